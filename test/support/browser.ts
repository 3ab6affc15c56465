// A small cookie-keeping HTTP client on node:http that behaves like a browser where it matters
// for sign-in: cookies per host name (not per port, as browsers do), optional redirect following
// with every hop recorded, and headers sent exactly as given (any spelling, duplicates allowed).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

export interface StoredCookie {
  name: string;
  value: string;
  path: string;
  /** The Set-Cookie line it came from, for attribute checks. */
  raw: string;
}

export interface Hop {
  method: string;
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The raw Location header, if any. */
  location?: string;
  setCookies: string[];
  body: string;
}

export interface BrowserResponse extends Hop {
  /** Every response on the way, the last one included. */
  hops: Hop[];
  json<T = unknown>(): T;
}

export interface RequestOptions {
  /** Extra headers, sent in this order and spelling. */
  headers?: [string, string][];
  /** Form fields, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  body?: string;
  follow?: boolean;
  /** Leave out the browser's Accept header (and send these headers only). */
  noAccept?: boolean;
}

export const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

export interface Browser {
  request(method: string, url: string, options?: RequestOptions): Promise<BrowserResponse>;
  get(url: string, options?: RequestOptions): Promise<BrowserResponse>;
  post(url: string, form: Record<string, string>, options?: RequestOptions): Promise<BrowserResponse>;
  /** A cookie the jar would send to `url`'s host. */
  cookie(url: string, name: string): StoredCookie | undefined;
  cookies(url: string): StoredCookie[];
  /** The Cookie header this browser sends to `url` ('' when it holds none), for clients of its own (WebSockets). */
  cookieHeader(url: string): string;
  setCookie(url: string, name: string, value: string): void;
  deleteCookie(url: string, name: string): void;
  /** Every hop of every request so far, for leak checks. */
  history: Hop[];
}

function parseSetCookie(line: string): { cookie: StoredCookie; expired: boolean } {
  const [pair, ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const cookie: StoredCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: '/', raw: line };
  let expired = false;
  for (const attribute of attributes) {
    const [key, ...rest] = attribute.split('=');
    const value = rest.join('=').trim();
    const name = key.trim().toLowerCase();
    if (name === 'path' && value.startsWith('/')) cookie.path = value;
    if (name === 'max-age' && Number(value) <= 0) expired = true;
    if (name === 'expires' && Date.parse(value) <= Date.now()) expired = true;
  }
  return { cookie, expired };
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  const prefix = cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`;
  return requestPath.startsWith(prefix);
}

function hasHost(headers: [string, string][]): boolean {
  return headers.some(([name]) => name.toLowerCase() === 'host');
}

/**
 * Sends one request; `localhost` is dialled on 127.0.0.1 but keeps `localhost` in Host, as a
 * browser would. `target` overrides the request target verbatim (e.g. `/public/../admin`, which
 * URL parsing would normalise away).
 */
export function rawRequest(
  method: string,
  url: URL,
  headers: [string, string][] = [],
  body?: string,
  target = `${url.pathname}${url.search}`,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // A Host among `headers` replaces the URL's (a rebinding page's name on a loopback port).
    const all: [string, string][] = [...(hasHost(headers) ? [] : [['Host', url.host] as [string, string]]), ...headers];
    if (body !== undefined) all.push(['Content-Length', String(Buffer.byteLength(body))]);
    const req = httpRequest(
      {
        method,
        host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname,
        port: url.port || 80,
        path: target,
        agent: false,
        headers: all.flat(),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function createBrowser(): Browser {
  const jar = new Map<string, StoredCookie[]>();
  const history: Hop[] = [];

  const cookiesFor = (url: URL) => (jar.get(url.hostname) ?? []).filter((c) => pathMatches(c.path, url.pathname));
  const cookieHeader = (url: URL) => cookiesFor(url).map((c) => `${c.name}=${c.value}`).join('; ');
  const store = (url: URL, line: string) => {
    const { cookie, expired } = parseSetCookie(line);
    const kept = (jar.get(url.hostname) ?? []).filter((c) => !(c.name === cookie.name && c.path === cookie.path));
    if (!expired) kept.push(cookie);
    jar.set(url.hostname, kept);
  };

  async function one(method: string, url: URL, options: RequestOptions): Promise<Hop> {
    const headers: [string, string][] = [];
    if (!options.noAccept) headers.push(['Accept', HTML_ACCEPT]);
    const cookie = cookieHeader(url);
    if (cookie) headers.push(['Cookie', cookie]);
    let body = options.body;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
    headers.push(...(options.headers ?? []));
    const res = await rawRequest(method, url, headers, body);
    const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    for (const line of setCookies) store(url, line);
    const location = res.headers.location;
    const hop: Hop = { method, url: url.href, status: res.status, headers: res.headers, location, setCookies, body: res.body };
    history.push(hop);
    return hop;
  }

  async function request(method: string, url: string, options: RequestOptions = {}): Promise<BrowserResponse> {
    const hops: Hop[] = [];
    let current = new URL(url);
    let hop = await one(method, current, options);
    hops.push(hop);
    while (options.follow && hop.location && [301, 302, 303, 307, 308].includes(hop.status)) {
      if (hops.length > 20) throw new Error(`too many redirects, last ${hop.url}`);
      current = new URL(hop.location, current);
      const keepMethod = hop.status === 307 || hop.status === 308;
      hop = await one(keepMethod ? method : 'GET', current, keepMethod ? options : { ...options, form: undefined, body: undefined });
      hops.push(hop);
    }
    return { ...hop, hops, json: <T>() => JSON.parse(hop.body) as T };
  }

  return {
    request,
    get: (url, options) => request('GET', url, options),
    post: (url, form, options) => request('POST', url, { ...options, form }),
    cookie: (url, name) => cookiesFor(new URL(url)).find((c) => c.name === name),
    cookies: (url) => cookiesFor(new URL(url)),
    cookieHeader: (url) => cookieHeader(new URL(url)),
    setCookie: (url, name, value) => store(new URL(url), `${name}=${value}; Path=/`),
    deleteCookie: (url, name) => store(new URL(url), `${name}=; Path=/; Max-Age=0`),
    history,
  };
}

/** A WebSocket handshake (RFC 6455) as a browser sends it; resolves with the status (101 on success). */
export function upgradeRequest(url: string, headers: [string, string][] = []): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: target.hostname === 'localhost' ? '127.0.0.1' : target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      agent: false,
      headers: [
        ...(hasHost(headers) ? [] : [['Host', target.host]]),
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
        ['Sec-WebSocket-Version', '13'],
        ['Sec-WebSocket-Key', key],
        ['Origin', target.origin],
        ...headers,
      ].flat(),
    });
    req.on('upgrade', (res, socket) => {
      const expected = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      socket.destroy();
      if (res.headers['sec-websocket-accept'] !== expected) reject(new Error('bad Sec-WebSocket-Accept'));
      else resolve({ status: res.statusCode ?? 101, headers: res.headers });
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}
