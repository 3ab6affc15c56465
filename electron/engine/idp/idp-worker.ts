// Entry of the worker thread the built-in identity provider runs in (see idp-thread.ts).
// Its modules (oidc-provider, Koa, jose) load as soon as the thread is spawned, in parallel
// with the main thread's; it starts the provider when sent `start`, then answers calls of
// BuiltinIdp's methods, each reply carrying the id of its call.
import { parentPort } from 'node:worker_threads';
import { startBuiltinIdp, type BuiltinIdp, type BuiltinIdpOptions } from './builtin-idp.ts';
import { IdpRequestError } from './request-error.ts';

type Method = Exclude<keyof BuiltinIdp, 'issuer' | 'clientId' | 'clientSecret'>;
/** A call of one of BuiltinIdp's methods (close included), by name, with its argument. */
export type IdpCall = { [M in Method]: { method: M; arg: Parameters<BuiltinIdp[M]>[0] } }[Method];
export type IdpRequest = { type: 'start'; options: BuiltinIdpOptions } | ({ type: 'call'; id: number } & IdpCall);
export type IdpReply =
  | { type: 'ready'; issuer: string; clientId: string; clientSecret: string }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'problem'; scope: string; message: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string; refused: boolean };

const port = parentPort!;
const reply = (message: IdpReply) => port.postMessage(message);
let idp: BuiltinIdp | undefined;

async function start(options: BuiltinIdpOptions): Promise<void> {
  try {
    // Functions do not cross into a thread: problems go back to the engine's reporter as messages.
    const report = (scope: string, message: string) => reply({ type: 'problem', scope, message });
    idp = await startBuiltinIdp({ ...options, report });
    reply({ type: 'ready', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
  } catch (err) {
    reply({ type: 'failed', message: (err as Error).message, code: (err as NodeJS.ErrnoException).code });
  }
}

async function call(request: IdpCall): Promise<unknown> {
  if (request.method === 'close') return idp?.close();
  if (!idp) throw new Error('the built-in identity provider has not started');
  switch (request.method) {
    case 'update': return idp.update(request.arg);
    case 'setFaults': return idp.setFaults(request.arg);
    case 'mint': return idp.mint(request.arg);
    case 'signIn': return idp.signIn(request.arg);
    case 'setFrontOrigins': return idp.setFrontOrigins(request.arg);
  }
}

port.on('message', (request: IdpRequest) => {
  if (request.type === 'start') {
    void start(request.options);
    return;
  }
  call(request).then(
    (value) => reply({ type: 'result', id: request.id, value }),
    (err: unknown) => reply({ type: 'error', id: request.id, message: (err as Error).message, refused: err instanceof IdpRequestError }),
  );
});
