// Entry of the worker thread the built-in identity provider runs in (see idp-thread.ts).
// Its modules (oidc-provider, Koa, jose) load as soon as the thread is spawned, in parallel
// with the main thread's; it starts the provider when sent `start`, then answers setUsers / close.
import { parentPort } from 'node:worker_threads';
import type { Persona } from '../config/types.ts';
import { startBuiltinIdp, type BuiltinIdp, type BuiltinIdpOptions } from './builtin-idp.ts';

export type IdpRequest = { type: 'start'; options: BuiltinIdpOptions } | { type: 'setUsers'; users: Persona[] } | { type: 'close' };
export type IdpReply =
  | { type: 'ready'; issuer: string; clientId: string; clientSecret: string }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'problem'; scope: string; message: string }
  | { type: 'closed' };

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

port.on('message', (request: IdpRequest) => {
  if (request.type === 'start') void start(request.options);
  else if (request.type === 'setUsers') idp?.setUsers(request.users);
  else void (idp?.close() ?? Promise.resolve()).then(() => reply({ type: 'closed' }));
});
