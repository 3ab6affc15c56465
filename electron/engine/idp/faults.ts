// Failures the built-in identity provider can be told to produce, so an app's handling of a
// refused sign-in, a revoked refresh token, a slow or a dead provider can be tried on demand.

import { errors } from './oidc-provider-quiet.ts';
import { IdpRequestError } from './request-error.ts';

export const SIGN_IN_FAULTS = ['access_denied', 'login_required', 'server_error'] as const;
export const REFRESH_FAULTS = ['invalid_grant', 'server_error'] as const;
export const MAX_LATENCY_MS = 30_000;

export interface IdpFaults {
  /** Every authorization request ends with this OAuth error, redirected to the client's callback. */
  signIn: (typeof SIGN_IN_FAULTS)[number] | null;
  /** The token endpoint answers refresh_token grants with this error (400 invalid_grant, 500 server_error). */
  refresh: (typeof REFRESH_FAULTS)[number] | null;
  /** Delay before answering anything but discovery and the JWKS. */
  latencyMs: number;
  /** Every connection is reset until cleared. */
  down: boolean;
}

export const NO_FAULTS: Readonly<IdpFaults> = Object.freeze({ signIn: null, refresh: null, latencyMs: 0, down: false });

/** Checks a faults object from another thread or the API; throws a message naming the bad field. */
export function checkFaults(value: unknown): IdpFaults {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new IdpRequestError('faults must be an object');
  const v = value as Record<string, unknown>;
  const unknown = Object.keys(v).filter((key) => !(key in NO_FAULTS));
  if (unknown.length) throw new IdpRequestError(`unknown fault ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
  const faults = { ...NO_FAULTS, ...v } as IdpFaults;
  if (faults.signIn !== null && !SIGN_IN_FAULTS.includes(faults.signIn)) throw new IdpRequestError(`signIn must be one of ${SIGN_IN_FAULTS.join(', ')} or null`);
  if (faults.refresh !== null && !REFRESH_FAULTS.includes(faults.refresh)) throw new IdpRequestError(`refresh must be one of ${REFRESH_FAULTS.join(', ')} or null`);
  if (!Number.isInteger(faults.latencyMs) || faults.latencyMs < 0 || faults.latencyMs > MAX_LATENCY_MS) throw new IdpRequestError(`latencyMs must be a whole number from 0 to ${MAX_LATENCY_MS}`);
  if (typeof faults.down !== 'boolean') throw new IdpRequestError('down must be true or false');
  return faults;
}

const DESCRIPTIONS: Record<string, string> = {
  access_denied: 'The built-in identity provider refused the sign-in (fault set in Portcullis).',
  login_required: 'The built-in identity provider requires a new sign-in (fault set in Portcullis).',
  server_error: 'The built-in identity provider failed (fault set in Portcullis).',
  invalid_grant: 'The refresh token was revoked (fault set in Portcullis).',
};

export function faultDescription(error: string): string {
  return DESCRIPTIONS[error];
}

/** An error answered on purpose; not logged as a failure of the provider. */
export class InjectedFault extends errors.CustomOIDCProviderError {
  constructor(error: string) {
    super(error, faultDescription(error));
    if (error === 'server_error') Object.assign(this, { status: 500, statusCode: 500, expose: true });
  }
}
