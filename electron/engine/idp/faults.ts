// Failures the built-in identity provider can be told to produce, so an app's handling of a
// refused sign-in, a revoked refresh token, a slow or a dead provider can be tried on demand.
// Free of oidc-provider, so the engine's main thread can use these without loading it
// (injected-fault.ts has the error the provider answers with).

import type { IdpFaults } from '../api.ts';
import { IdpRequestError } from './request-error.ts';

export const SIGN_IN_FAULTS = ['access_denied', 'login_required', 'server_error'] as const;
export const REFRESH_FAULTS = ['invalid_grant', 'server_error'] as const;
export const MAX_LATENCY_MS = 30_000;

// The shape is the control API's (api.ts): the same object crosses the API and the thread.
export type { IdpFaults };

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
