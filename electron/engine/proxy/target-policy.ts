// What every request (HTTP or WebSocket) loses and gains on its way to the target, per
// docs/security.md: client identity headers go in any spelling (and Authorization when Portcullis
// sends its own), so do copies of the upstream's claim headers; Portcullis's and its identity
// provider's cookies go both ways (the target neither reads nor sets them), and the signed-in
// identity's headers are set.
import type { IncomingMessage } from 'node:http';
import { removeCookies } from '../auth/cookies.ts';
import { isClaimHeaderName } from '../auth/claim-headers.ts';
import { isClientIdentityHeader } from '../auth/headers.ts';
import { isReservedCookie, setsReservedCookie } from '../auth/reserved-cookies.ts';
import type { UpstreamConfig } from '../config/types.ts';
import type { UpstreamContext } from './context.ts';
import type { HeaderPolicy } from './outgoing-headers.ts';

const dropIdentityHeaders = (name: string) => isClientIdentityHeader(name, false);
const dropIdentityAndAuthorization = (name: string) => isClientIdentityHeader(name, true);

function dropper(upstream: UpstreamConfig): (name: string) => boolean {
  const identity = upstream.passAuthorizationHeader ? dropIdentityAndAuthorization : dropIdentityHeaders;
  if (Object.keys(upstream.claimHeaders).length === 0) return identity;
  return (name) => identity(name) || isClaimHeaderName(name, upstream.claimHeaders);
}
const droppers = new WeakMap<UpstreamConfig, (name: string) => boolean>();

export function targetHeaderPolicy(ctx: UpstreamContext, req: IncomingMessage, setHeaders: Record<string, string> | undefined): HeaderPolicy {
  let dropHeader = droppers.get(ctx.upstream);
  if (!dropHeader) droppers.set(ctx.upstream, (dropHeader = dropper(ctx.upstream)));
  return {
    setHeaders,
    dropHeader,
    cookie: removeCookies(req.headers.cookie, isReservedCookie),
    dropSetCookie: setsReservedCookie,
  };
}
