// Runs the built-in identity provider in a worker thread. oidc-provider keeps its request
// context in an AsyncLocalStorage, and once that is active every promise in the same thread
// pays for it: measured here, the proxy's throughput fell by about a fifth. In its own thread
// the provider costs the request path nothing.
//
// Loading oidc-provider and its dependencies is most of the thread's start, so the thread can
// be spawned before the settings are read (spawnIdpThread, called by `serve` first thing) and
// handed its options later (startBuiltinIdpThread): both threads load their modules at once.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuiltinIdp, BuiltinIdpOptions } from './builtin-idp.ts';
import { NO_FAULTS, type IdpFaults } from './faults.ts';
import type { IdpSettings } from './settings.ts';
import type { IdpCall, IdpReply, IdpRequest } from './idp-worker.ts';
import { IdpRequestError } from './request-error.ts';

/** A spawned provider thread that has not been given its options yet. */
export interface IdpThread {
  readonly worker: Worker;
  /** Ends a thread that turned out not to be needed (the settings have no built-in provider). */
  discard(): Promise<void>;
}

/** The provider's heap stays small: it serves a handful of sign-ins, not the proxied traffic. */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * From the TypeScript sources (tsx, vitest) the worker compiles its entry with tsx; from a
 * bundle (dist/cli.js, the desktop's main.js), the build script has put a compiled
 * idp-worker.js beside it.
 */
export function spawnIdpThread(): IdpThread {
  // import.meta.filename rather than .url: browser-like test environments rewrite the latter.
  const here = import.meta.filename;
  let worker: Worker;
  if (!here.endsWith('.ts')) {
    worker = new Worker(join(dirname(here), 'idp-worker.js'), { resourceLimits: RESOURCE_LIMITS });
  } else {
    const tsxPackage = createRequire(here).resolve('tsx/package.json');
    const tsxApi = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
    const entry = pathToFileURL(join(dirname(here), 'idp-worker.ts')).href;
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    worker = new Worker(bootstrap, { eval: true, resourceLimits: RESOURCE_LIMITS });
  }
  // Until started, the thread must neither keep the process alive nor crash it.
  worker.unref();
  worker.on('error', () => undefined);
  return { worker, discard: async () => void (await worker.terminate()) };
}

/** A started provider thread: what it answered at start and how to call it. */
interface ThreadConnection {
  issuer: string;
  clientId: string;
  clientSecret: string;
  call<T>(request: IdpCall): Promise<T>;
  /** Resolves when the thread has exited, whoever ended it. */
  exited: Promise<void>;
  terminate(): Promise<void>;
}

/** Restarts after a crash, at most; a provider that keeps crashing stays stopped and says so. */
const MAX_RESTARTS = 5;

/**
 * Starts the provider in `thread` and supervises it: if the thread dies (a crash, running out of
 * its small heap), it is started again on the same port with the settings, front origins and
 * faults it had, so what the console shows stays what the provider does. Calls made meanwhile
 * wait for the new thread.
 */
export async function startBuiltinIdpThread({ report, ...options }: BuiltinIdpOptions, thread: IdpThread = spawnIdpThread()): Promise<BuiltinIdp> {
  let current = await connect(options, thread, report);
  // What the running provider has been told since it started, to tell a restarted one again.
  let settings: Partial<IdpSettings> = {};
  let faults: IdpFaults = NO_FAULTS;
  let frontOrigins = options.frontOrigins ?? [];
  let restarting: Promise<void> | undefined;
  let closing = false;
  let restarts = 0;
  let stopped: string | undefined;
  const port = Number(new URL(current.issuer).port);

  const restart = async (): Promise<void> => {
    if (restarts >= MAX_RESTARTS) throw new Error(`the built-in identity provider stopped ${restarts + 1} times; restart Portcullis to start it again`);
    restarts++;
    report?.('builtinIdp', 'the built-in identity provider\'s thread stopped; starting it again with its settings and faults');
    const next = await connect({ ...options, ...settings, frontOrigins, port }, spawnIdpThread(), report);
    await next.call({ method: 'setFaults', arg: faults });
    current = next;
    watch(next);
  };
  const watch = (connection: ThreadConnection) => {
    void connection.exited.then(() => {
      if (closing || connection !== current) return;
      restarting = restart().then(
        () => void (restarting = undefined),
        (err: Error) => {
          stopped = err.message;
          restarting = undefined;
          report?.('builtinIdp', `the built-in identity provider could not start again: ${err.message}`);
        },
      );
    });
  };
  watch(current);

  const call = async <T>(request: IdpCall): Promise<T> => {
    if (restarting) await restarting;
    if (stopped) throw new Error(stopped);
    return current.call<T>(request);
  };

  return {
    issuer: current.issuer,
    clientId: current.clientId,
    clientSecret: current.clientSecret,
    update: async (next) => {
      await call({ method: 'update', arg: next });
      settings = { ...settings, ...next };
    },
    setFaults: async (next) => {
      faults = await call<IdpFaults>({ method: 'setFaults', arg: next });
      return faults;
    },
    mint: (request) => call({ method: 'mint', arg: request }),
    signIn: (request) => call({ method: 'signIn', arg: request }),
    setFrontOrigins: async (origins) => {
      await call({ method: 'setFrontOrigins', arg: origins });
      frontOrigins = origins;
    },
    async close() {
      closing = true;
      if (restarting) await restarting;
      const closed = current.call<void>({ method: 'close', arg: undefined }).catch(() => undefined);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await current.terminate();
    },
  };
}

async function connect(options: Omit<BuiltinIdpOptions, 'report'>, thread: IdpThread, report: BuiltinIdpOptions['report']): Promise<ThreadConnection> {
  const { worker } = thread;
  worker.ref();
  // Functions do not cross into a thread: its problems come back as messages.
  if (report) worker.on('message', (m: IdpReply) => m.type === 'problem' && report(m.scope, m.message));
  const first = await new Promise<IdpReply>((resolve, reject) => {
    const first = (m: IdpReply) => {
      if (m.type === 'problem') return;
      worker.off('message', first);
      resolve(m);
    };
    worker.on('message', first);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the built-in identity provider's thread exited (code ${code})`)));
    worker.postMessage({ type: 'start', options } satisfies IdpRequest);
  });
  if (first.type !== 'ready') {
    await worker.terminate();
    const message = first.type === 'failed' ? first.message : 'unexpected reply';
    throw Object.assign(new Error(message), first.type === 'failed' && first.code ? { code: first.code } : {});
  }
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.unref();

  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextId = 1;
  let stopped: string | undefined;
  const stop = (why: string) => {
    stopped ??= why;
    for (const { reject } of pending.values()) reject(new Error(why));
    pending.clear();
  };
  // A crash of the provider must not take the proxies down; it is reported when used.
  worker.on('error', (err) => stop(`the built-in identity provider's thread failed: ${err.message}`));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => stop('the built-in identity provider has stopped'));
  worker.on('message', (message: IdpReply) => {
    if (message.type !== 'result' && message.type !== 'error') return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.type === 'result') waiting?.resolve(message.value);
    else waiting?.reject(message.refused ? new IdpRequestError(message.message) : new Error(message.message));
  });

  return {
    issuer: first.issuer,
    clientId: first.clientId,
    clientSecret: first.clientSecret,
    call: <T>(request: IdpCall): Promise<T> => {
      if (stopped) return Promise.reject(new Error(stopped));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ ...request, type: 'call', id } satisfies IdpRequest);
      });
    },
    exited,
    terminate: async () => void (await worker.terminate()),
  };
}
