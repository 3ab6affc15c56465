// The data dir holds the secret store's key, the sessions and the identity provider's keys:
// it is readable by its owner only (files inside are written 0600 as well), and a looser mode
// found at start, e.g. from an older version or a copy, is repaired with a warning.
import { chmod, mkdir, stat } from 'node:fs/promises';

/** Creates `dir` 0700 if missing; returns a warning when an existing one had to be tightened. */
export async function ensurePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Windows has no mode bits to speak of: its ACLs already keep a profile's AppData private.
  if (platform === 'win32') return undefined;
  const mode = (await stat(dir)).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  await chmod(dir, 0o700);
  return `the data dir ${dir} was open to other users (mode ${mode.toString(8).padStart(4, '0')}); it is now 0700`;
}
