// Answers "could a listener bind host:port right now?" by binding it and letting go, for the
// form's port check and `portcullis check`.
import { createServer } from 'node:net';
import { bindErrorMessage } from './bind-error.ts';

/** Undefined when the port can be bound, else why not (in bindErrorMessage's words). */
export function probePort(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(bindErrorMessage(err, host, port)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
