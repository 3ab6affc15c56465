// Starts Apache with mod_auth_openidc (test/bench/apache/httpd.conf.template) in its own
// ServerRoot on a free loopback port, as the relying party the benchmark compares against.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { startProcess, type Started } from '../support/processes.ts';

export interface ApacheOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  upstreamPort: number;
  loginHint: string;
}

export interface RunningApache {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** The Apache parent; its children serve the requests. */
  started: Started;
}

const TEMPLATE = new URL('./apache/httpd.conf.template', import.meta.url);

export async function startApache(opts: ApacheOptions): Promise<RunningApache> {
  const serverRoot = await mkdtemp(join(tmpdir(), 'portcullis-apache-'));
  // the www-data workers must reach the shared-memory and mutex files here
  await chmod(serverRoot, 0o755);
  const port = await freePort();
  const values: Record<string, string> = {
    SERVER_ROOT: serverRoot,
    PORT: String(port),
    ISSUER: opts.issuer,
    CLIENT_ID: opts.clientId,
    CLIENT_SECRET: opts.clientSecret,
    PASSPHRASE: randomBytes(24).toString('base64url'),
    UPSTREAM_PORT: String(opts.upstreamPort),
    LOGIN_HINT: opts.loginHint,
  };
  const conf = (await readFile(TEMPLATE, 'utf8')).replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`httpd.conf.template uses an unknown placeholder {{${name}}}`);
    return value;
  });
  const confFile = join(serverRoot, 'httpd.conf');
  await writeFile(confFile, conf, { mode: 0o600 });
  const url = `http://127.0.0.1:${port}`;
  const started = await startProcess('/usr/sbin/apache2', ['-d', serverRoot, '-f', confFile, '-DFOREGROUND'], {
    readyUrl: `${url}/`,
    readyStatus: () => true,
    timeoutMs: 15_000,
  }).catch(async (err: unknown) => {
    const log = await readFile(join(serverRoot, 'error.log'), 'utf8').catch(() => '');
    await rm(serverRoot, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n--- error.log ---\n${log}`);
  });
  return {
    url,
    port,
    started,
    stop: async () => {
      await started.stop();
      await rm(serverRoot, { recursive: true, force: true });
    },
  };
}
