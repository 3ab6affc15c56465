// Runs `work` with Node's fetch classes (undici) in place of happy-dom's. The Engine runs in the
// test's own process, so without this its calls to the identity provider would go through
// happy-dom's browser fetch, which adds an Origin and applies CORS as a page would.
import * as undici from 'undici';

const NAMES = ['fetch', 'Request', 'Response', 'Headers', 'FormData'] as const;

export async function withNodeFetch<T>(work: () => Promise<T>): Promise<T> {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = NAMES.map((n) => g[n]);
  for (const n of NAMES) g[n] = undici[n];
  try {
    return await work();
  } finally {
    NAMES.forEach((n, i) => (g[n] = saved[i]));
  }
}
