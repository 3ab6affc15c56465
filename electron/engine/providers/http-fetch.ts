// The fetch every provider request goes through (openid-client, jose's JWKS, the GitHub API).
// It is built on undici's request() rather than fetch() for two reasons: fetch refuses the
// WHATWG "bad ports", and 4190 — the built-in provider's default port — is one of them; and
// naming undici explicitly means a host that replaces globalThis.fetch (a browser-like test
// environment, an embedding shell) cannot change how Portcullis talks to identity providers.
import { request, Response } from 'undici';

/** Statuses whose responses cannot carry a body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

interface FetchInit {
  method?: string;
  headers?: unknown;
  body?: string | URLSearchParams | Uint8Array | null;
  signal?: AbortSignal | null;
  redirect?: string;
}

/** Headers from a Headers object (ours or a test environment's), pairs, or a plain record. */
function plainHeaders(headers: unknown): Record<string, string> {
  if (!headers) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers as Array<[string, string]>);
  const maybeHeaders = headers as { forEach?: unknown };
  if (typeof maybeHeaders.forEach === 'function') {
    const out: Record<string, string> = {};
    (headers as Headers).forEach((value, name) => (out[name] = value));
    return out;
  }
  return headers as Record<string, string>;
}

export async function httpFetch(url: string | URL, init: object = {}): Promise<globalThis.Response> {
  const { method = 'GET', headers, body, signal } = init as FetchInit;
  let answer;
  try {
    answer = await request(url, {
      method: method as 'GET',
      headers: plainHeaders(headers),
      body: body instanceof URLSearchParams ? body.toString() : (body ?? undefined),
      signal: signal ?? undefined,
    });
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'AbortError' || name === 'TimeoutError') throw err;
    // Callers tell network failures apart the way fetch reports them.
    throw new TypeError('fetch failed', { cause: err });
  }
  const responseHeaders: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) responseHeaders.push([name, v]);
  }
  const payload = NULL_BODY.has(answer.statusCode) ? (await answer.body.dump(), null) : Buffer.from(await answer.body.arrayBuffer());
  return new Response(payload, { status: answer.statusCode, headers: responseHeaders }) as unknown as globalThis.Response;
}
