// Entry of the worker thread the built-in identity provider runs in (see idp-thread.ts).
// It starts the provider with the options it was given and answers calls of BuiltinIdp's
// methods, each reply carrying the id of its request.
import { parentPort, workerData } from 'node:worker_threads';
import { startBuiltinIdp, type BuiltinIdp, type BuiltinIdpOptions } from './builtin-idp.ts';
import { IdpRequestError } from './request-error.ts';

/** A call of one of BuiltinIdp's methods (close included), by name, with its argument. */
export type IdpCall = {
  [M in Exclude<keyof BuiltinIdp, 'issuer' | 'clientId' | 'clientSecret'>]: { method: M; arg: Parameters<BuiltinIdp[M]>[0] }
}[Exclude<keyof BuiltinIdp, 'issuer' | 'clientId' | 'clientSecret'>];
export type IdpRequest = IdpCall & { id: number };
export type IdpReply =
  | { type: 'ready'; issuer: string; clientId: string; clientSecret: string }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string; refused: boolean };

const port = parentPort!;
const reply = (message: IdpReply) => port.postMessage(message);

async function call(idp: BuiltinIdp, request: IdpCall): Promise<unknown> {
  switch (request.method) {
    case 'update': return idp.update(request.arg);
    case 'setFaults': return idp.setFaults(request.arg);
    case 'mint': return idp.mint(request.arg);
    case 'signIn': return idp.signIn(request.arg);
    case 'close': return idp.close();
  }
}

try {
  const idp = await startBuiltinIdp(workerData as BuiltinIdpOptions);
  port.on('message', (request: IdpRequest) => {
    call(idp, request).then(
      (value) => reply({ type: 'result', id: request.id, value }),
      (err: unknown) => reply({ type: 'error', id: request.id, message: (err as Error).message, refused: err instanceof IdpRequestError }),
    );
  });
  reply({ type: 'ready', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
} catch (err) {
  reply({ type: 'failed', message: (err as Error).message, code: (err as NodeJS.ErrnoException).code });
}
