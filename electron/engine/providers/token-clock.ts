// Portcullis's own clock check on a provider's tokens (docs/configuration.md,
// "builtinIdp.clockSkewSeconds"): an ID token issued more than LEEWAY_SECONDS away from this
// machine's clock is refused, in words that say which way the provider's clock is off.
import type { Claims } from './oidc-claims.ts';

/** How far a provider's clock may be off, both ways, before its tokens are refused. */
export const LEEWAY_SECONDS = 60;

/** Why the token's times cannot be trusted, or undefined when they are within the leeway. */
export function tokenClockProblem(claims: Claims, nowSeconds = Math.floor(Date.now() / 1000)): string | undefined {
  const iat = claims.iat;
  if (typeof iat !== 'number') return undefined;
  const off = Math.round(iat - nowSeconds);
  if (Math.abs(off) <= LEEWAY_SECONDS) return undefined;
  return `token from the ${off > 0 ? 'future' : 'past'} by ${Math.abs(off)} s (Portcullis allows ${LEEWAY_SECONDS} s of clock difference; is the provider's clock off?)`;
}
