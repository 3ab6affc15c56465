// Entry of the worker thread the built-in identity provider runs in (see idp-thread.ts).
// It starts the provider with the options it was given and answers setUsers / setFrontOrigins / close.
import { parentPort, workerData } from 'node:worker_threads';
import type { Persona } from '../config/types.ts';
import { startBuiltinIdp, type BuiltinIdpOptions } from './builtin-idp.ts';

export type IdpRequest = { type: 'setUsers'; users: Persona[] } | { type: 'setFrontOrigins'; origins: string[] } | { type: 'close' };
export type IdpReply =
  | { type: 'ready'; issuer: string; clientId: string; clientSecret: string }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'closed' };

const port = parentPort!;
const reply = (message: IdpReply) => port.postMessage(message);

try {
  const idp = await startBuiltinIdp(workerData as BuiltinIdpOptions);
  port.on('message', (request: IdpRequest) => {
    if (request.type === 'setUsers') idp.setUsers(request.users);
    else if (request.type === 'setFrontOrigins') idp.setFrontOrigins(request.origins);
    else void idp.close().then(() => reply({ type: 'closed' }));
  });
  reply({ type: 'ready', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
} catch (err) {
  reply({ type: 'failed', message: (err as Error).message, code: (err as NodeJS.ErrnoException).code });
}
