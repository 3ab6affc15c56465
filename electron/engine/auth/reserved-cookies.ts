// Cookie names that belong to Portcullis or to its built-in identity provider. A target never
// sees them on a request and can never set them: every local port shares the browser's
// cookie jar for the host name, so an app that could set `_portcullis_<port>` or the identity
// provider's session cookie could swap another listener's session (docs/security.md).
import { isPortcullisCookie } from './cookies.ts';

// The built-in identity provider names its cookies `_portcullis_idp_*` (idp/builtin-idp.ts),
// so isPortcullisCookie covers them. oidc-provider's default names, which earlier versions used: `_session`, `_interaction`,
// `_interaction_resume`, the `_state.<client>` of older oidc-provider releases, each with its
// `.legacy` twin and the `.sig` signature cookie.
const IDP_DEFAULT_NAME = /^(?:_session|_interaction|_interaction_resume|_state\.[^=]+)(?:\.legacy)?(?:\.sig)?$/;

export function isReservedCookie(name: string): boolean {
  return isPortcullisCookie(name) || IDP_DEFAULT_NAME.test(name);
}

/** Whether a target's `Set-Cookie` line would set a reserved cookie. */
export function setsReservedCookie(setCookieLine: string): boolean {
  const eq = setCookieLine.indexOf('=');
  // A line without `=` is a cookie with an empty name to a browser (RFC 6265bis): not ours.
  return eq !== -1 && isReservedCookie(setCookieLine.slice(0, eq).trim());
}
