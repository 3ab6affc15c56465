// GitHub's REST API as the GitHub provider uses it: authenticated reads, lists read across their
// `Link: rel="next"` pages, and the OAuth-app call that deletes (revokes) a user's token.

import { httpFetch } from './http-fetch.ts';
import { ProviderError } from './provider-error.ts';

export const TIMEOUT_MS = 10_000;
const PER_PAGE = 100;
/** 1,000 entries: more orgs or teams than any real account has, and a bound on a looping `next`. */
export const MAX_PAGES = 10;

const COMMON_HEADERS = {
  Accept: 'application/vnd.github+json',
  'X-GitHub-Api-Version': '2022-11-28',
  'User-Agent': 'Portcullis',
};

/**
 * The `rel="next"` URL of a Link header (RFC 8288), or undefined on the last page. The token is
 * sent to that URL, so it must stay under the configured API URL.
 */
export function nextPageUrl(link: string | null, apiUrl: URL): URL | undefined {
  if (!link) return undefined;
  for (const [, target, params] of link.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes('next')) continue;
    const url = URL.parse(target, apiUrl);
    if (!url || !url.href.startsWith(apiUrl.href)) {
      throw new ProviderError('invalid_response', `The GitHub API sent a next-page link outside ${apiUrl.href}; it was not followed.`);
    }
    return url;
  }
  return undefined;
}

export class GithubApi {
  readonly #apiUrl: URL;
  readonly #label: string;

  /** apiUrl ends with a slash, so paths resolve beneath it (GitHub Enterprise serves under /api/v3/). */
  constructor(apiUrl: URL, label: string) {
    this.#apiUrl = apiUrl;
    this.#label = label;
  }

  async get<T>(path: string, accessToken: string): Promise<T> {
    return (await (await this.#read(new URL(path, this.#apiUrl), accessToken)).json()) as T;
  }

  /** Every entry of a paged list; past MAX_PAGES it fails rather than silently drop entries. */
  async list<T>(path: string, accessToken: string): Promise<T[]> {
    const items: T[] = [];
    let url: URL | undefined = new URL(`${path}?per_page=${PER_PAGE}`, this.#apiUrl);
    for (let page = 1; url; page++) {
      if (page > MAX_PAGES) {
        throw new ProviderError('too_many_entries', `${this.#label} API /${path} lists more than ${MAX_PAGES * PER_PAGE} entries; Portcullis reads at most ${MAX_PAGES} pages.`);
      }
      const res = await this.#read(url, accessToken);
      const body: unknown = await res.json();
      if (!Array.isArray(body)) throw new ProviderError('invalid_response', `${this.#label} API /${path} did not answer with a list.`);
      items.push(...(body as T[]));
      url = nextPageUrl(res.headers.get('link'), this.#apiUrl);
    }
    return items;
  }

  /** OAuth apps revoke a token with their own credentials (HTTP Basic); GitHub answers 204. */
  async deleteToken(clientId: string, clientSecret: string, accessToken: string): Promise<boolean> {
    const res = await httpFetch(new URL(`applications/${encodeURIComponent(clientId)}/token`, this.#apiUrl), {
      method: 'DELETE',
      headers: {
        ...COMMON_HEADERS,
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ access_token: accessToken }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return res.status === 204;
  }

  async #read(url: URL, accessToken: string): Promise<Response> {
    const res = await httpFetch(url, {
      headers: { ...COMMON_HEADERS, Authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) throw new ProviderError('api_error', `${this.#label} API ${url.pathname} answered HTTP ${res.status}.`);
    return res;
  }
}
