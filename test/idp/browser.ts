// A minimal no-JavaScript browser for tests: fetch with a cookie jar and manual redirects,
// enough to walk an OAuth code flow through the built-in identity provider's forms.

export interface Step {
  status: number;
  url: URL;
  location?: URL;
  body: string;
  headers: Headers;
}

export class Browser {
  readonly #cookies = new Map<string, Map<string, string>>();

  /** The names of the cookies this browser holds for `url`'s host. */
  cookieNames(url: URL | string): string[] {
    return [...(this.#cookies.get(new URL(url).host)?.keys() ?? [])];
  }

  #cookieHeader(url: URL): string | undefined {
    const jar = this.#cookies.get(url.host);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  #store(url: URL, res: Response): void {
    const jar = this.#cookies.get(url.host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(url.host, jar);
  }

  async request(url: URL | string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Step> {
    const target = new URL(url);
    const headers: Record<string, string> = { Accept: 'text/html' };
    const cookie = this.#cookieHeader(target);
    if (cookie) headers.Cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(target, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.#store(target, res);
    const location = res.headers.get('location');
    return { status: res.status, url: target, location: location ? new URL(location, target) : undefined, body: await res.text(), headers: res.headers };
  }

  /** Follows redirects until a page is shown or the browser is sent to `stopAtOrigin`. */
  async follow(url: URL | string, stopAtOrigin: string, init: { form?: Record<string, string> } = {}): Promise<Step> {
    let step = await this.request(url, init);
    for (let hops = 0; step.location && step.location.origin !== stopAtOrigin; hops += 1) {
      if (hops > 10) throw new Error('too many redirects');
      step = await this.request(step.location);
    }
    return step;
  }
}

/** The form action of the persona page in `html`. */
export function formAction(html: string, base: URL): URL {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form in page: ${html.slice(0, 300)}`);
  return new URL(match[1].replace(/&amp;/g, '&'), base);
}
