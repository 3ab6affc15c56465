// Runs a real nginx without touching the system one: its own prefix in a temp folder, every
// temp path and log under it, in the foreground, on free loopback ports.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startProcess } from './processes.ts';

export interface NginxDirs {
  /** the -p prefix; nginx.conf and the logs live here */
  prefix: string;
  errorLog: string;
  accessLog: string;
}

export interface NginxPorts {
  /** the port the template's first `listen` should use; `listen` is the same list */
  port: number;
  listen: number[];
}

export interface RunningNginx {
  port: number;
  ports: number[];
  url: string;
  stop(): Promise<void>;
  output(): string;
  /** Runs `nginx -t` on the running configuration. */
  check(): Promise<{ ok: boolean; output: string }>;
}

const NGINX = '/usr/sbin/nginx';

/**
 * `confTemplate` returns what goes inside `http { … }` (the `server` blocks, upstreams,
 * maps); the surrounding file with pid, temp paths and logs is written here.
 */
export async function startNginx(
  confTemplate: (dirs: NginxDirs, ports: NginxPorts) => string,
  options: { portCount?: number } = {},
): Promise<RunningNginx> {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx is not installed (${NGINX} missing). Run .ci/run or \`apt-get install -y nginx\`.`);
  }
  const prefix = await mkdtemp(join(tmpdir(), 'portcullis-nginx-'));
  const listen: number[] = [];
  for (let i = 0; i < (options.portCount ?? 1); i++) listen.push(await freePort());
  const dirs: NginxDirs = { prefix, errorLog: join(prefix, 'error.log'), accessLog: join(prefix, 'access.log') };
  const conf = await prepareConf(prefix, dirs, confTemplate(dirs, { port: listen[0], listen }));
  await writeFile(join(prefix, 'nginx.conf'), conf);

  const cleanup = (): Promise<void> => rm(prefix, { recursive: true, force: true });
  const started = await startProcess(
    NGINX,
    ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', dirs.errorLog, '-g', 'daemon off;'],
    {
      // any HTTP answer, even an error page, means the listener is up
      readyUrl: `http://127.0.0.1:${listen[0]}/`,
      readyStatus: () => true,
      timeoutMs: 15_000,
    },
  ).catch(async (err: unknown) => {
    await cleanup();
    throw err;
  });
  return {
    port: listen[0],
    ports: listen,
    url: `http://127.0.0.1:${listen[0]}`,
    output: started.output,
    check: () =>
      new Promise((resolve) => {
        execFile(NGINX, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', dirs.errorLog], (err, stdout, stderr) =>
          resolve({ ok: !err, output: stdout + stderr }),
        );
      }),
    stop: async () => {
      await started.stop();
      await cleanup();
    },
  };
}

const TEMPS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];

/** The whole nginx.conf around what goes inside `http { … }`, with every temp path under `prefix`. */
async function prepareConf(prefix: string, dirs: NginxDirs, httpBody: string): Promise<string> {
  await Promise.all(TEMPS.map((t) => mkdir(join(prefix, t))));
  return [
    // as root, workers would otherwise drop to `nobody` and lose access to the temp dirs
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${dirs.errorLog} info;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${dirs.accessLog};`,
    ...TEMPS.map((t) => `  ${t}_temp_path ${join(prefix, t)};`),
    httpBody,
    '}',
    '',
  ].join('\n');
}

/** Runs `nginx -t` on `httpBody` placed inside `http { … }`: the exit code and what nginx said. */
export async function testNginxConf(httpBody: string): Promise<{ code: number | null; output: string }> {
  if (!existsSync(NGINX)) throw new Error(`nginx is not installed (${NGINX} missing). Run .ci/run or \`apt-get install -y nginx\`.`);
  const prefix = await mkdtemp(join(tmpdir(), 'portcullis-nginx-t-'));
  try {
    const dirs: NginxDirs = { prefix, errorLog: join(prefix, 'error.log'), accessLog: join(prefix, 'access.log') };
    await writeFile(join(prefix, 'nginx.conf'), await prepareConf(prefix, dirs, httpBody));
    return await new Promise((resolve, reject) => {
      const proc = spawn(NGINX, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', dirs.errorLog], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      proc.stdout.on('data', (c: Buffer) => (output += c));
      proc.stderr.on('data', (c: Buffer) => (output += c));
      proc.once('error', reject);
      proc.once('exit', (code) => resolve({ code, output }));
    });
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }
}
