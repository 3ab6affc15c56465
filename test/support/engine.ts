// The one in-process engine harness, for the console, desktop and renderer tests: a real Engine
// on free loopback ports with a temp data dir and config file, optionally with the headless
// console in front of it, and a raw HTTP client that can send any Host header. The desktop's
// tests hand it the keychain secret store; a test may hand it ports it already holds, to see how
// a listener that cannot bind is reported.
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../electron/engine/config/defaults.ts';
import { request } from 'node:http';
import { Engine } from '../../electron/engine/engine.ts';
import { EncryptedFileSecretStore, type SecretStore } from '../../electron/engine/config/secrets.ts';
import { startConsole, type ConsoleHandle } from '../../electron/console/server.ts';
import type { PortcullisConfig, UpstreamConfig } from '../../electron/engine/api.ts';
import { freePort } from './free-port.ts';

// Paths by dirname: happy-dom (the renderer tests) replaces the global URL class.
export const RENDERER_DIST = join(import.meta.dirname, '../../renderer/dist');

export interface TestEngine {
  engine: Engine;
  /** The temp folder holding the config file and the data dir; removed on close. */
  dir: string;
  configFile: string;
  appPort: number;
  idpPort: number;
  /** The settings file as it is on disk now. */
  savedConfig(): Promise<PortcullisConfig>;
  /** A value in the engine's secret store as it is on disk now (headless store only). */
  storedSecret(ref: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  /** The `app` upstream's target; by default a free port nothing listens on. */
  target?: string;
  /** Extra settings for the `app` upstream (e.g. `allowedGroups`). */
  app?: Partial<UpstreamConfig>;
  /** Replaces the `app` upstream altogether. */
  upstreams?: (ports: { app: number }) => Partial<UpstreamConfig>[];
  /** Ports to use instead of free ones, e.g. one a test already holds. */
  appPort?: number;
  idpPort?: number;
  /** Opens the engine's secret store in the data dir; the headless encrypted file by default. */
  secretStore?: (dataDir: string) => Promise<SecretStore>;
  /** Where the engine's notices go; dropped by default. */
  log?: (line: string) => void;
  /** Merged into the `builtinIdp` settings (its port and default personas). */
  builtinIdp?: Record<string, unknown>;
  /** Providers besides `builtin` (e.g. an `oidc` one at a second identity provider). */
  providers?: Record<string, unknown>[];
}

export async function startTestEngine(opts: TestEngineOptions = {}): Promise<TestEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-engine-'));
  const [appPort, idpPort, deadPort] = [opts.appPort ?? (await freePort()), opts.idpPort ?? (await freePort()), await freePort()];
  const config = {
    upstreams: opts.upstreams?.({ app: appPort }) ?? [
      {
        id: 'app',
        enabled: true,
        listen: { host: '127.0.0.1', port: appPort },
        target: opts.target ?? `http://127.0.0.1:${deadPort}`,
        provider: 'builtin',
        ...opts.app,
      },
    ],
    providers: [{ id: 'builtin', type: 'builtin' }, ...(opts.providers ?? [])],
    builtinIdp: {
      port: idpPort,
      users: defaultConfig().builtinIdp.users,
      ...opts.builtinIdp,
    },
  };
  const configFile = join(dir, 'portcullis.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const dataDir = join(dir, 'data');
  try {
    const secretStore = await opts.secretStore?.(dataDir);
    const engine = await Engine.start({ configFile, dataDir, log: opts.log ?? (() => {}), secretStore });
    return {
      engine,
      dir,
      configFile,
      appPort,
      idpPort,
      savedConfig: async () => JSON.parse(await readFile(configFile, 'utf8')) as PortcullisConfig,
      // A second reader of the same encrypted file: it sees only what the engine wrote.
      storedSecret: (ref) => new EncryptedFileSecretStore(dataDir).get(ref),
      async close() {
        await engine.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

export interface CallOptions {
  body?: string | object;
  headers?: Record<string, string>;
  /** Defaults to the console's token; `null` sends none. */
  token?: string | null;
  host?: string;
}

export interface TestConsole extends TestEngine {
  console: ConsoleHandle;
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
}

export async function startTestConsole(opts: Parameters<typeof startTestEngine>[0] = {}): Promise<TestConsole> {
  const te = await startTestEngine(opts);
  const handle = await startConsole({ api: te.engine, port: 0, rendererDir: RENDERER_DIST });
  const call = (method: string, path: string, o: CallOptions = {}) =>
    rawRequest(handle.port, method, path, {
      ...o,
      token: o.token === undefined ? handle.token : o.token,
    });
  return {
    ...te,
    console: handle,
    call,
    async close() {
      await handle.close();
      await te.close();
    },
  };
}

export function rawRequest(port: number, method: string, path: string, o: CallOptions = {}): Promise<Reply> {
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = {
    Host: o.host ?? `127.0.0.1:${port}`,
    ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}),
    ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}),
    ...o.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
