// What every request (HTTP or WebSocket) loses and gains on its way to the target, per
// docs/security.md: client identity headers go in any spelling (and Authorization when Portcullis
// sends its own), Portcullis's and its identity provider's cookies go both ways (the target
// neither reads nor sets them), and the signed-in identity's headers are set.
import type { IncomingMessage } from 'node:http';
import { removeCookies } from '../auth/cookies.ts';
import { isClientIdentityHeader } from '../auth/headers.ts';
import { isReservedCookie, setsReservedCookie } from '../auth/reserved-cookies.ts';
import type { UpstreamContext } from './context.ts';
import type { HeaderPolicy } from './outgoing-headers.ts';

const dropIdentityHeaders = (name: string) => isClientIdentityHeader(name, false);
const dropIdentityAndAuthorization = (name: string) => isClientIdentityHeader(name, true);

export function targetHeaderPolicy(ctx: UpstreamContext, req: IncomingMessage, setHeaders: Record<string, string> | undefined): HeaderPolicy {
  return {
    setHeaders,
    dropHeader: ctx.upstream.passAuthorizationHeader ? dropIdentityAndAuthorization : dropIdentityHeaders,
    cookie: removeCookies(req.headers.cookie, isReservedCookie),
    dropSetCookie: setsReservedCookie,
  };
}
