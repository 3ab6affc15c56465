// Runs the built-in identity provider in a worker thread. oidc-provider keeps its request
// context in an AsyncLocalStorage, and once that is active every promise in the same thread
// pays for it: measured here, the proxy's throughput fell by about a fifth. In its own thread
// the provider costs the request path nothing.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Persona } from '../config/types.ts';
import type { BuiltinIdp, BuiltinIdpOptions } from './builtin-idp.ts';
import type { IdpReply, IdpRequest } from './idp-worker.ts';

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
  // A crash of the provider must not take the proxies down; it is reported when used.
  worker.on('error', () => undefined);
  worker.unref();
  const send = (request: IdpRequest) => worker.postMessage(request);
  return {
    issuer: first.issuer,
    clientId: first.clientId,
    clientSecret: first.clientSecret,
    setUsers(users: Persona[]) {
      send({ type: 'setUsers', users });
    },
    setFrontOrigins(origins: string[]) {
      send({ type: 'setFrontOrigins', origins });
    },
    async close() {
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (m: IdpReply) => m.type === 'closed' && resolve());
        worker.once('exit', () => resolve());
      });
      send({ type: 'close' });
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await worker.terminate();
    },
  };
}
