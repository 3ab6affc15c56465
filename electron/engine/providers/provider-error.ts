// How sign-in providers fail: ProviderError carries a machine-readable code (OAuth error
// codes such as access_denied or invalid_grant, or our own such as state_mismatch) and a
// message a person can act on. Also the checks every callback gets before any code exchange.

import * as client from 'openid-client';
import type { AuthChecks } from './types.ts';

export class ProviderError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ProviderError';
    this.code = code;
  }
}

/** Error codes come from the network; anything but a plain OAuth-style code is not echoed. */
function safeCode(code: unknown): string {
  return typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code) ? code : 'provider_error';
}

function safeText(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 300);
}

/** A provider's own OAuth error (redirect `error=` or a token-endpoint error body). */
export function oauthError(label: string, code: unknown, description: unknown): ProviderError {
  const safe = safeCode(code);
  const detail = safeText(description);
  return new ProviderError(safe, `${label} refused the sign-in (${safe}${detail ? `: ${detail}` : ''}).`);
}

/**
 * Judges the query the browser brought back before anything is exchanged: the state must be the
 * one this sign-in started with (so a forged or replayed error is not trusted either), then a
 * provider `error` ends the sign-in.
 */
export function checkCallback(label: string, callbackUrl: URL, checks: AuthChecks): void {
  const params = callbackUrl.searchParams;
  if (params.get('state') !== checks.state) {
    throw new ProviderError('state_mismatch', 'The sign-in response does not belong to the sign-in that was started here (state mismatch). Start the sign-in again.');
  }
  const error = params.get('error');
  if (error !== null) throw oauthError(label, error, params.get('error_description'));
  if (!params.get('code')) throw new ProviderError('invalid_request', `${label} sent the browser back without an authorization code.`);
}

/** The callback URL openid-client must see: the registered redirect URI with the received query. */
export function registeredCallbackUrl(redirectUri: string, callbackUrl: URL): URL {
  const url = new URL(redirectUri);
  url.search = callbackUrl.search;
  url.hash = '';
  return url;
}

/** Why a request never got an answer (refused, DNS, timeout), or undefined when it did. */
export function networkCause(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = err.cause as NodeJS.ErrnoException | undefined;
    return cause?.code ?? cause?.message ?? 'connection failed';
  }
  return undefined;
}

/** Turns whatever a token-endpoint or API call threw into a ProviderError with a clear message. */
export function toProviderError(label: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const network = networkCause(err);
  if (network) return new ProviderError('unreachable', `${label} is unreachable (${network}).`);
  if (err instanceof client.ResponseBodyError || err instanceof client.AuthorizationResponseError) {
    return oauthError(label, err.error, err.error_description);
  }
  // Providers that answer errors with HTTP 200 (GitHub) fail response validation; their body says why.
  const body = ((err as { cause?: { cause?: { body?: unknown } } }).cause?.cause?.body
    ?? (err as { cause?: { body?: unknown } }).cause?.body) as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body.error === 'string') return oauthError(label, body.error, body.error_description);
  const message = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
  return new ProviderError('provider_error', `${label} answered unexpectedly (${safeText(message) ?? 'unknown error'}).`);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Parses a provider URL. Plain http is allowed only on loopback (a local IdP or test stand-in):
 * anywhere else tokens and secrets would cross the network in the clear.
 */
export function parseProviderUrl(what: string, value: string): { url: URL; insecure: boolean } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProviderError('invalid_config', `The ${what} "${safeText(value) ?? ''}" is not a URL.`);
  }
  if (url.username || url.password) throw new ProviderError('invalid_config', `The ${what} must not contain a user name or password.`);
  if (url.protocol === 'https:') return { url, insecure: false };
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return { url, insecure: true };
  throw new ProviderError('invalid_config', `The ${what} ${url.origin} must use https (plain http is only allowed on localhost).`);
}
