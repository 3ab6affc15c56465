// Replaces a file so that readers see either the old or the new content, never a torn one:
// write a temporary file in the same directory, flush it, rename it over the target, then
// flush the directory so the rename itself survives a power cut. Every file Portcullis keeps
// (settings, secrets, sessions, the built-in provider's keys and store) is written this way.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `data` to `file` atomically, keeping the existing file's mode (else `mode`). */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const keptMode = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => mode,
  );
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', keptMode);
  try {
    await handle.writeFile(data);
    // The umask may have narrowed the mode on creation; the file keeps what it had.
    await handle.chmod(keptMode);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

// Windows cannot open a directory to flush it (and its renames are durable already).
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
