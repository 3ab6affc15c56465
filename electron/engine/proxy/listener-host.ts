// Which Host headers a listener answers to. A page on any web site can make the browser talk to
// a loopback port under a name the attacker controls (DNS rebinding, rebind.attacker.example
// → 127.0.0.1); refusing every name the listener is not really reached by keeps such a page
// from reading even the public routes (docs/security.md).
import { isListenerHost } from '../auth/callback-url.ts';
import type { UpstreamConfig } from '../config/types.ts';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Loopback names with this port (the port may be left out only on port 80, as browsers do), the
 * hosts of the front proxies the settings name (`redirectOrigins`: a proxy may pass its own Host
 * on) and, on a listener opened to other machines, the names `isListenerHost` accepts there.
 */
export function answersToHost(
  host: string | undefined,
  port: number,
  upstream: Pick<UpstreamConfig, 'listen' | 'allowNonLoopback'> & Partial<Pick<UpstreamConfig, 'redirectOrigins'>>,
): boolean {
  if (host === undefined) return false;
  const lower = host.toLowerCase();
  for (const name of LOOPBACK_NAMES) {
    if (lower === `${name}:${port}` || (port === 80 && lower === name)) return true;
  }
  if (upstream.redirectOrigins?.some((origin) => URL.parse(origin)?.host === lower)) return true;
  return isListenerHost(lower, port, upstream);
}

/** What the refusal says: the names to use instead, never the refused name itself in markup. */
export function misdirectedMessage(port: number): string {
  return `This listener answers only to localhost:${port} and 127.0.0.1:${port}. The address in your browser names another host, which points here by DNS: Portcullis refuses it so that no other site can read this app.`;
}

/** For the request log: the refused name, cut short and quoted so it cannot pose as log text. */
export function refusedHostReason(host: string | undefined): string {
  return `refused Host ${JSON.stringify((host ?? '').slice(0, 100))}: not a name of this listener`;
}
