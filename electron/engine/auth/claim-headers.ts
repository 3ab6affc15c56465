// An upstream's `claimHeaders` (docs/configuration.md, "Claim headers"): headers whose values
// come from the identity's claims, sent to the target and on /oauth2/auth's 202. Names are
// checked by validate.ts; a client's own header of one of these names is removed in any
// spelling (target-policy.ts), as the identity headers are.
import { canonicalHeaderName, claimAt, claimHeaderValue, MAX_CLAIM_HEADER_BYTES, type ClaimSet } from '../config/claim-paths.ts';
import { headerSafe } from './headers.ts';

/** The path that stands for all of the identity's claims, as compact JSON. */
export const ALL_CLAIMS = '$';

/** The claim headers for these claims; a claim that is missing (or renders empty) sends no header. */
export function renderClaimHeaders(claims: ClaimSet, claimHeaders: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, path] of Object.entries(claimHeaders)) {
    const value = claimHeaderValue(path === ALL_CLAIMS ? claims : claimAt(claims, path));
    const safe = value === undefined ? '' : headerSafe(value);
    if (safe !== '') out[name] = safe;
  }
  return out;
}

const namesByUpstream = new WeakMap<Readonly<Record<string, string>>, ReadonlySet<string>>();

/** Whether a client header has the name of one of the upstream's claim headers, in any case or `_`/`-` spelling. */
export function isClaimHeaderName(name: string, claimHeaders: Readonly<Record<string, string>>): boolean {
  let names = namesByUpstream.get(claimHeaders);
  if (!names) {
    names = new Set(Object.keys(claimHeaders).map(canonicalHeaderName));
    namesByUpstream.set(claimHeaders, names);
  }
  return names.size > 0 && names.has(canonicalHeaderName(name));
}

/** Why these rendered claim headers cannot be sent (one over 8 KiB), or undefined. */
export function oversizedClaimHeader(headers: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    const bytes = Buffer.byteLength(value, 'latin1');
    if (bytes > MAX_CLAIM_HEADER_BYTES) return `claim header ${name} would be ${bytes} bytes, over the ${MAX_CLAIM_HEADER_BYTES / 1024} KiB limit; send a smaller claim (claimHeaders in docs/configuration.md)`;
  }
  return undefined;
}
