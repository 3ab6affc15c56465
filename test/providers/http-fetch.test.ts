// The providers' fetch must reach an identity provider on any port — the built-in provider's
// default, 4190, is on the WHATWG "bad ports" list that fetch() refuses — and must report
// network failures the way fetch does, so the callers' error messages stay clear.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../electron/engine/providers/http-fetch.ts';
import { freePort } from '../support/free-port.ts';

// Ports fetch() refuses; the test takes the first one that is free here.
const BAD_PORTS = [10080, 6666, 6667, 6668, 6669, 6697, 4190, 5060, 5061, 6000];

let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/empty') {
      res.writeHead(204).end();
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end(JSON.stringify({ method: req.method, body, contentType: req.headers['content-type'] ?? null }));
    });
  });
  for (const candidate of BAD_PORTS) {
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      port = candidate;
      break;
    }
  }
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpFetch', () => {
  it('reaches a server on a port that fetch() refuses', async () => {
    expect(port, 'no port of the bad-ports list was free').not.toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    const res = await httpFetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'GET' });
  });

  it('sends form bodies and headers as fetch would, and keeps repeated response headers', async () => {
    const res = await httpFetch(new URL(`http://127.0.0.1:${port}/token`), {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x y' }),
    });
    expect(await res.json()).toEqual({ method: 'POST', body: 'grant_type=authorization_code&code=x+y', contentType: 'application/x-www-form-urlencoded' });
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
  });

  it('answers a bodiless status without a body', async () => {
    const res = await httpFetch(`http://127.0.0.1:${port}/empty`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('reports a refused connection as fetch does, with the cause', async () => {
    const closed = await freePort();
    const failure = await httpFetch(`http://127.0.0.1:${closed}/`).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect(((failure as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
