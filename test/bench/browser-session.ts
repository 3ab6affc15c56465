// Signs in through a real redirect chain with node:http the way a browser would (cookie jar,
// navigation headers), so the benchmark can load Portcullis and mod_auth_openidc as a
// signed-in user without a browser.
import http from 'node:http';

// mod_auth_openidc answers 401 instead of redirecting to requests that look like XHR.
const NAVIGATION_HEADERS = {
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Sec-Fetch-Mode': 'navigate',
  'Sec-Fetch-Dest': 'document',
  'User-Agent': 'portcullis-bench',
};

/**
 * Cookies per host name. Ports share cookies (RFC 6265), which is exactly why Portcullis names
 * its cookie per port; paths and expiry beyond deletion do not matter for a short bench run.
 */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(url: URL, setCookie: string[] | undefined): void {
    const jar = this.byHost.get(url.hostname) ?? new Map<string, string>();
    this.byHost.set(url.hostname, jar);
    for (const line of setCookie ?? []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a))
        || attrs.some((a) => /^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: URL): string {
    return [...(this.byHost.get(url.hostname) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: URL, name: string): string | undefined {
    return this.byHost.get(url.hostname)?.get(name);
  }
}

export interface Landing {
  status: number;
  url: string;
  body: string;
  hops: number;
}

/** GETs `start`, following redirects (any origin) with the jar, until a non-redirect answer. */
export async function navigate(start: string, jar: CookieJar, maxHops = 15): Promise<Landing> {
  let url = new URL(start);
  for (let hops = 0; hops <= maxHops; hops++) {
    const res = await get(url, jar);
    jar.store(url, res.headers['set-cookie']);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    return { status: res.status, url: url.href, body: res.body, hops };
  }
  throw new Error(`more than ${maxHops} redirects starting from ${start}`);
}

function get(url: URL, jar: CookieJar): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const cookie = jar.header(url);
    const req = http.get(url, { agent: false, headers: { ...NAVIGATION_HEADERS, ...(cookie ? { Cookie: cookie } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
