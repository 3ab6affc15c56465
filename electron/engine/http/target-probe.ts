// Answers "is anything listening where this upstream points?" with a plain TCP connect, for the
// console's status dot and the form's target check. It never sends a byte to the app.
import { connect } from 'node:net';

export interface ProbeResult {
  reachable: boolean;
  message: string;
}

export function probeTarget(target: string, timeoutMs = 1000): Promise<ProbeResult> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve({ reachable: false, message: `${JSON.stringify(target)} is not a URL` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({ reachable: false, message: `${target} is not an http:// or https:// URL` });
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const where = `${url.hostname}:${port}`;

  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (result: ProbeResult): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({ reachable: false, message: `nothing answered on ${where} within ${timeoutMs} ms` }),
    );
    socket.once('connect', () => finish({ reachable: true, message: `something is listening on ${where}` }));
    socket.once('error', (err: NodeJS.ErrnoException) => finish({ reachable: false, message: describeFailure(where, err) }));
  });
}

function describeFailure(where: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `nothing is listening on ${where} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${where} could not be resolved`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this machine`;
    default:
      return `could not connect to ${where}: ${err.message}`;
  }
}
