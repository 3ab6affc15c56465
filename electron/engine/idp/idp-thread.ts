// Runs the built-in identity provider in a worker thread. oidc-provider keeps its request
// context in an AsyncLocalStorage, and once that is active every promise in the same thread
// pays for it: measured here, the proxy's throughput fell by about a fifth. In its own thread
// the provider costs the request path nothing.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuiltinIdp, BuiltinIdpOptions } from './builtin-idp.ts';
import type { IdpCall, IdpReply, IdpRequest } from './idp-worker.ts';
import { IdpRequestError } from './request-error.ts';

/**
 * From the TypeScript sources (tsx, vitest) the worker compiles its entry with tsx; from the
 * desktop bundle, the build script has put a compiled idp-worker.js beside main.js.
 */
function spawnWorker(options: BuiltinIdpOptions): Worker {
  // import.meta.filename rather than .url: browser-like test environments rewrite the latter.
  const here = import.meta.filename;
  if (!here.endsWith('.ts')) return new Worker(join(dirname(here), 'idp-worker.js'), { workerData: options });
  const tsxPackage = createRequire(here).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  const entry = pathToFileURL(join(dirname(here), 'idp-worker.ts')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: options });
}

export async function startBuiltinIdpThread(options: BuiltinIdpOptions): Promise<BuiltinIdp> {
  const worker = spawnWorker(options);
  const first = await new Promise<IdpReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the built-in identity provider's thread exited (code ${code})`)));
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
    stopped = why;
    for (const { reject } of pending.values()) reject(new Error(why));
    pending.clear();
  };
  // A crash of the provider must not take the proxies down; it is reported when used.
  worker.on('error', (err) => stop(`the built-in identity provider's thread failed: ${err.message}`));
  worker.on('exit', () => stop('the built-in identity provider has stopped'));
  worker.on('message', (message: IdpReply) => {
    if (message.type !== 'result' && message.type !== 'error') return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.type === 'result') waiting?.resolve(message.value);
    else waiting?.reject(message.refused ? new IdpRequestError(message.message) : new Error(message.message));
  });
  const call = <T>(request: IdpCall): Promise<T> => {
    if (stopped) return Promise.reject(new Error(stopped));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id } satisfies IdpRequest);
    });
  };

  return {
    issuer: first.issuer,
    clientId: first.clientId,
    clientSecret: first.clientSecret,
    update: (settings) => call({ method: 'update', arg: settings }),
    setFaults: (faults) => call({ method: 'setFaults', arg: faults }),
    mint: (request) => call({ method: 'mint', arg: request }),
    signIn: (request) => call({ method: 'signIn', arg: request }),
    async close() {
      const closed = call<void>({ method: 'close', arg: undefined }).catch(() => undefined);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await worker.terminate();
    },
  };
}
