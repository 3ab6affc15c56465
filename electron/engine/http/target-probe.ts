// Answers "is anything listening where this upstream points?" with a plain TCP connect, for the
// console's status dot and the form's target check. It never sends a byte to the app.
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
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

/**
 * Like probeTarget, but an HTTP answer is needed: a provider whose port accepts connections and
 * then drops them (crashed behind a live port, or the built-in provider's `down` fault) is down.
 */
export async function probeHttp(target: string, timeoutMs = 1000): Promise<ProbeResult> {
  const connected = await probeTarget(target, timeoutMs);
  if (!connected.reachable) return connected;
  // node:http rather than fetch: fetch refuses the "bad ports" of the Fetch standard, and 4190
  // (the built-in provider's default) is one of them.
  return new Promise((resolve) => {
    const get = target.startsWith('https:') ? httpsGet : httpGet;
    const req = get(target, { timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      req.destroy();
      resolve({ reachable: true, message: `${target} answered HTTP ${res.statusCode}` });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const cause = err.code;
      resolve({ reachable: false, message: `${target} does not answer${cause ? ` (${cause === 'ECONNRESET' ? 'connection reset' : cause})` : ''}` });
    });
  });
}
