// Runs `work` with Node's fetch classes (undici) and URL in place of happy-dom's. The Engine runs
// in the test's own process, so without this its calls to the identity provider would go through
// happy-dom's browser fetch, which adds an Origin and applies CORS as a page would, and
// openid-client would refuse happy-dom's URL objects as not being URLs.
import * as undici from 'undici';
import { URL as NodeURL, URLSearchParams as NodeURLSearchParams } from 'node:url';

const NODE_GLOBALS = { ...undici, URL: NodeURL, URLSearchParams: NodeURLSearchParams };
const NAMES = ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'URL', 'URLSearchParams'] as const;

export async function withNodeFetch<T>(work: () => Promise<T>): Promise<T> {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = NAMES.map((n) => g[n]);
  for (const n of NAMES) g[n] = NODE_GLOBALS[n];
  try {
    return await work();
  } finally {
    NAMES.forEach((n, i) => (g[n] = saved[i]));
  }
}
