// The callback URL a sign-in returns to. It must be on the host name the browser used, since
// the CSRF cookie set by /oauth2/start is kept per host; but the Host header is the client's
// word, so only names that really reach this listener are taken from it.
import type { UpstreamConfig } from '../config/types.ts';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** Whether `host` (a Host header) names this listener: loopback always, other names only on a listener opened to other machines. */
export function isListenerHost(host: string, port: number, upstream: Pick<UpstreamConfig, 'listen' | 'allowNonLoopback'>): boolean {
  if (host === `localhost:${port}` || host === `127.0.0.1:${port}`) return true;
  if (upstream.allowNonLoopback !== true) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  // Only a Host written exactly as the parser writes it: no userinfo, path or re-spelt address.
  if (url.host !== host.toLowerCase() || url.port !== String(port)) return false;
  const listenHost = upstream.listen.host.toLowerCase();
  return WILDCARD_HOSTS.has(listenHost) || url.hostname.replace(/^\[|\]$/g, '') === listenHost.replace(/^\[|\]$/g, '');
}

export function callbackUrlFor(host: string | undefined, port: number, upstream: Pick<UpstreamConfig, 'listen' | 'allowNonLoopback'>): string {
  return `http://${host && isListenerHost(host, port, upstream) ? host : `localhost:${port}`}/oauth2/callback`;
}
