// Reading a value out of a token's claims by a claim name or a dot path (docs/configuration.md,
// "Claims"): `groupsClaim`, `rolesClaim` and `claimHeaders` all name claims this way. Kept below
// the providers (which read groups and roles), the header policy (claim headers) and validate.ts.

export type ClaimSet = Record<string, unknown>;

/**
 * The claim's value: the exact name first (Auth0's namespaced `https://example.com/roles`
 * contains dots), else a dot path into nested objects (Keycloak's `realm_access.roles`).
 */
export function claimAt(claims: ClaimSet, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as ClaimSet)[part];
  }
  return value;
}

/** A list claim (groups, roles) as strings, or undefined when absent. Accepts an array or a comma-separated string. */
export function claimList(claims: ClaimSet, path: string): string[] | undefined {
  const value = claimAt(claims, path);
  if (Array.isArray(value)) {
    return value.filter((g): g is string | number => typeof g === 'string' || typeof g === 'number').map((g) => String(g).trim()).filter(Boolean);
  }
  if (typeof value === 'string') return value.split(',').map((g) => g.trim()).filter(Boolean);
  return undefined;
}

/**
 * A claim as a header value: text as it is, an array joined with `,`, an object as compact
 * JSON; undefined when the claim is missing or null.
 */
export function claimHeaderValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Header names compare in lower case with `_` read as `-`: how a client could smuggle a copy past the proxy. */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replaceAll('_', '-');
}

/** Claim header values over this size are refused at sign-in (docs/configuration.md). */
export const MAX_CLAIM_HEADER_BYTES = 8192;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'cookie']);
// The identity headers' names (auth/headers.ts sets them); a claim header may not pose as one.
const IDENTITY_HEADERS = new Set(['authorization', 'x-forwarded-user', 'x-forwarded-email', 'x-forwarded-groups', 'x-forwarded-preferred-username', 'x-forwarded-access-token']);
const TOKEN = /^[!#$%&'*+.^`|~0-9A-Za-z-]+$/;

/** What is wrong with a claim header's name, or undefined when it may be used. */
export function claimHeaderNameProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return `header name ${JSON.stringify(name)} is not a valid HTTP header name (letters, digits and -, no spaces, CR or LF)`;
  const canonical = canonicalHeaderName(name);
  if (HOP_BY_HOP.has(canonical)) return `header name ${name} is managed by the proxy itself (hop-by-hop or framing header) and cannot carry a claim`;
  if (IDENTITY_HEADERS.has(canonical) || canonical.startsWith('x-auth-request-') || canonical.startsWith('x-portcullis-'))
    return `header name ${name} is one of Portcullis's own identity headers (docs/security.md); choose another`;
  return undefined;
}

/** What is wrong with a claim path, or undefined. */
export function claimPathProblem(path: string): string | undefined {
  if (/[\r\n\u0000]/.test(path)) return 'claim path must not contain CR, LF or NUL';
  if (path !== '$' && (path.startsWith('.') || path.endsWith('.') || path.includes('..'))) return `claim path ${JSON.stringify(path)} has an empty part (use names separated by single dots, or "$" for all claims)`;
  return undefined;
}
