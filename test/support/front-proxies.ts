// Runs the front proxies the exports are written for (HAProxy, Caddy) without touching the
// system's: each config in its own temp folder, in the foreground, checked first with the
// proxy's own validator. The config text is the export as written; only file paths change.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startProcess } from './processes.ts';

const run = promisify(execFile);

export interface RunningFrontProxy {
  stop(): Promise<void>;
  output(): string;
}

export interface ValidationResult {
  ok: boolean;
  /** stdout and stderr of the validator */
  output: string;
}

async function validate(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ValidationResult> {
  try {
    const { stdout, stderr } = await run(cmd, args, { env });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message };
  }
}

function requireBinary(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${pkg} is not installed (${path} missing). Run .ci/run or \`apt-get install -y ${pkg}\`.`);
}

// ---- HAProxy: the export is haproxy.cfg followed by the Lua action, split at its marker line.

const HAPROXY = '/usr/sbin/haproxy';
const LUA_MARKER = '# ==== /etc/haproxy/oauth2-auth.lua ====';

export interface HaproxyFiles {
  dir: string;
  cfg: string;
}

/** Writes the export's two files; the only change is where haproxy.cfg finds the Lua file. */
export async function writeHaproxyExport(exported: string): Promise<HaproxyFiles> {
  const at = exported.indexOf(LUA_MARKER);
  if (at < 0) throw new Error('the HAProxy export has no Lua section');
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-haproxy-'));
  const lua = join(dir, 'oauth2-auth.lua');
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(lua, exported.slice(at));
  await writeFile(cfg, exported.slice(0, at).replaceAll('/etc/haproxy/oauth2-auth.lua', lua));
  return { dir, cfg };
}

export function checkHaproxy(files: HaproxyFiles): Promise<ValidationResult> {
  requireBinary(HAPROXY, 'haproxy');
  return validate(HAPROXY, ['-c', '-f', files.cfg]);
}

export async function startHaproxy(files: HaproxyFiles, readyUrl: string): Promise<RunningFrontProxy> {
  requireBinary(HAPROXY, 'haproxy');
  const started = await startProcess(HAPROXY, ['-db', '-f', files.cfg], { readyUrl, readyStatus: () => true, timeoutMs: 15_000 });
  return { output: started.output, stop: async () => (await started.stop(), await rm(files.dir, { recursive: true, force: true })) };
}

// ---- Caddy: the export is a Caddyfile site block. Around it go only the global options a
// test run needs: no admin endpoint (runs in parallel would fight over :2019), state in the temp dir.

const CADDY = '/usr/bin/caddy';

export interface CaddyFiles {
  dir: string;
  caddyfile: string;
  env: NodeJS.ProcessEnv;
}

export async function writeCaddyExport(exported: string): Promise<CaddyFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-caddy-'));
  await mkdir(join(dir, 'home'));
  const caddyfile = join(dir, 'Caddyfile');
  await writeFile(caddyfile, `{\n\tadmin off\n\tstorage file_system ${join(dir, 'data')}\n}\n\n${exported}`);
  const env = { ...process.env, HOME: join(dir, 'home'), XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
  return { dir, caddyfile, env };
}

export function checkCaddy(files: CaddyFiles): Promise<ValidationResult> {
  requireBinary(CADDY, 'caddy');
  return validate(CADDY, ['validate', '--config', files.caddyfile, '--adapter', 'caddyfile'], files.env);
}

export async function startCaddy(files: CaddyFiles, readyUrl: string): Promise<RunningFrontProxy> {
  requireBinary(CADDY, 'caddy');
  const started = await startProcess(CADDY, ['run', '--config', files.caddyfile, '--adapter', 'caddyfile'], {
    env: files.env,
    readyUrl,
    readyStatus: () => true,
    timeoutMs: 15_000,
  });
  return { output: started.output, stop: async () => (await started.stop(), await rm(files.dir, { recursive: true, force: true })) };
}
