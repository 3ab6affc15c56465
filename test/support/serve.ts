// Starts the real `portcullis serve` as a child process for integration tests: writes the config
// with free ports (never the defaults, since test files run in parallel), waits for
// `portcullis ready`, and stops it with a signal like a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Persona, ProviderConfig, UpstreamConfig } from '../../electron/engine/config/types.ts';
import { withUpstreamDefaults } from '../../electron/engine/config/defaults.ts';
import { freePort } from './free-port.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'portcullis.js');
/** Not a speed check: only a bound, so a hung start fails the test instead of leaking a process. */
const READY_TIMEOUT_MS = 60_000;

export const PERSONAS: Persona[] = [
  { username: 'alice', email: 'alice@example.test', name: 'Alice Admin', groups: ['admins', 'devs'] },
  { username: 'bob', email: 'bob@example.test', name: 'Bob Builder', groups: ['devs'] },
  { username: 'carol', email: 'carol@other.test', name: 'Carol Outsider', groups: ['ops'] },
];

/** An upstream with only what the test cares about; the rest takes the defaults of docs/configuration.md. */
export type UpstreamSpec = Partial<UpstreamConfig> & { id: string; target: string };

export interface PortcullisSpec {
  upstreams: UpstreamSpec[];
  providers?: ProviderConfig[];
  users?: Persona[];
  /** Extra environment for the process (internal knobs such as PORTCULLIS_HEADERS_TIMEOUT_MS). */
  env?: Record<string, string>;
  /** Extra `serve` arguments, e.g. `--open`. */
  args?: string[];
}

export interface Ports {
  idp: number;
  console: number;
  upstreams: Record<string, number>;
}

export interface Portcullis extends ReadyProcess {
  dataDir: string;
  configFile: string;
  ports: Ports;
  /** `http://localhost:<port>` of an upstream's listener, as `serve` prints it. */
  url(upstreamId: string): string;
  /** Stops (SIGTERM) and starts again on the same config file and data dir. */
  restart(): Promise<Portcullis>;
  /** Stops this run and every run restarted from it, and deletes the temp folders. */
  dispose(): Promise<void>;
}

/** Distinct free ports: asking one by one could hand out the same number twice. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

export function fullUpstream(spec: UpstreamSpec, port: number): UpstreamConfig {
  return withUpstreamDefaults({ ...spec, listen: { host: spec.listen?.host ?? '127.0.0.1', port } });
}

/** Builds a complete config, giving every listener without a port a free one. */
export async function buildConfig(spec: PortcullisSpec) {
  const [idp, consolePort, ...free] = await freePorts(2 + spec.upstreams.length);
  const upstreams = spec.upstreams.map((u, i) => fullUpstream(u, u.listen?.port || free[i]));
  const config = {
    upstreams,
    providers: spec.providers ?? [{ id: 'builtin', type: 'builtin' }],
    builtinIdp: { port: idp, users: spec.users ?? PERSONAS },
    console: { port: consolePort },
  };
  const ports: Ports = { idp, console: consolePort, upstreams: Object.fromEntries(upstreams.map((u) => [u.id, u.listen.port])) };
  return { config, ports };
}

export function childEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Keep the OS config dir inside the test's temp folder whatever the engine falls back to.
  return { ...process.env, XDG_CONFIG_HOME: join(home, 'xdg'), NO_COLOR: '1', DISPLAY: '', ...extra };
}

type LaunchOptions = Pick<PortcullisSpec, 'env' | 'args'>;

/** Every run of one config (the first and its restarts), so disposing any of them ends them all. */
type Runs = Portcullis[];

/** A `portcullis` process that printed `portcullis ready`. */
export interface ReadyProcess {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` unless it has exited already; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `portcullis <args>` with its OS config dir inside `home` and resolves once it prints
 * `portcullis ready`; rejects with its output when it exits first or is not ready within the
 * bound (then it is killed).
 */
export async function spawnPortcullis(args: string[], home: string, env?: Record<string, string>): Promise<ReadyProcess> {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: childEnv(home, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  const output = () => `stdout:\n${out}\nstderr:\n${err}`;

  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`still waiting for "portcullis ready" from portcullis ${args.join(' ')} after ${READY_TIMEOUT_MS} ms\n${output()}`));
    }, READY_TIMEOUT_MS);
    const check = () => {
      if (!/^portcullis ready\s*$/m.test(out)) return;
      clearTimeout(deadline);
      proc.stdout!.off('data', check);
      resolve();
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`portcullis ${args.join(' ')} exited (${code}) before it was ready\n${output()}`));
    });
  });

  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (running) proc.kill(signal);
      return exited;
    },
  };
}

async function launch(home: string, configFile: string, dataDir: string, ports: Ports, options: LaunchOptions = {}, runs: Runs = []): Promise<Portcullis> {
  const args = ['serve', '--config', configFile, '--data-dir', dataDir, '--console-port', String(ports.console), ...(options.args ?? [])];
  const ready = await spawnPortcullis(args, home, options.env);
  const instance: Portcullis = {
    ...ready,
    dataDir,
    configFile,
    ports,
    url: (id) => {
      const port = ports.upstreams[id];
      if (!port) throw new Error(`no upstream ${id}`);
      return `http://localhost:${port}`;
    },
    restart: async () => {
      await instance.stop('SIGTERM');
      return launch(home, configFile, dataDir, ports, options, runs);
    },
    dispose: async () => {
      for (const run of runs) await run.stop('SIGKILL');
      await rm(home, { recursive: true, force: true });
    },
  };
  runs.push(instance);
  return instance;
}

export async function makeTempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'portcullis-it-'));
}

export async function startPortcullis(spec: PortcullisSpec): Promise<Portcullis> {
  const home = await makeTempHome();
  const { config, ports } = await buildConfig(spec);
  const configFile = join(home, 'portcullis.json');
  const dataDir = join(home, 'data');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  try {
    return await launch(home, configFile, dataDir, ports, spec);
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
}

/** Runs one `portcullis` command to completion (check, import, export). */
export function runCli(args: string[], home: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: childEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    proc.once('error', reject);
    proc.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
