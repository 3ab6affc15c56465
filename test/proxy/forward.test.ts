import { createHash } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder } from '../../electron/engine/proxy/forward.ts';
import { closeServer, freePort, listen, send, startProxy, startTarget, type Proxy, type Target } from './harness.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function target(handler: Parameters<typeof startTarget>[0], port?: number): Promise<Target> {
  const t = await startTarget(handler, port);
  cleanups.push(() => t.close());
  return t;
}

async function proxy(...args: Parameters<typeof startProxy>): Promise<Proxy> {
  const p = await startProxy(...args);
  cleanups.push(() => p.close());
  return p;
}

const echoHeaders = (req: IncomingMessage, res: import('node:http').ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ url: req.url, method: req.method, headers: req.headers, rawHeaders: req.rawHeaders }));
};

describe('forwarding a request', () => {
  it('relays method, path, status, headers and body', async () => {
    const t = await target((req, res) => {
      res.statusCode = 201;
      res.setHeader('x-from-target', 'yes');
      res.end(`${req.method} ${req.url}`);
    });
    const p = await proxy(t.url);
    const reply = await send(p.port, { method: 'PUT', path: '/client/path', headers: { 'content-length': '0' } });
    expect(reply.status).toBe(201);
    expect(reply.headers['x-from-target']).toBe('yes');
    expect(reply.body.toString()).toBe('PUT /client/path');
  });

  it('sends the path the caller decided, not the one the client sent', async () => {
    const t = await target(echoHeaders);
    const p = await proxy(t.url, {}, () => ({ path: '/normalized?q=1' }));
    const reply = await send(p.port, { path: '/a/../normalized?q=1' });
    expect(JSON.parse(reply.body.toString()).url).toBe('/normalized?q=1');
  });

  it('keeps the Host header exactly as the client sent it', async () => {
    const t = await target(echoHeaders);
    const p = await proxy(t.url);
    const reply = await send(p.port, { headers: { host: 'myapp.localhost:4180' } });
    const seen = JSON.parse(reply.body.toString()).headers;
    expect(seen.host).toBe('myapp.localhost:4180');
    expect(seen['x-forwarded-host']).toBe('myapp.localhost:4180');
  });

  it('replaces client-supplied X-Forwarded-For/-Proto/-Host with its own', async () => {
    const t = await target(echoHeaders);
    const p = await proxy(t.url);
    const reply = await send(p.port, {
      headers: { host: 'real.localhost:4180', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
    });
    const { rawHeaders } = JSON.parse(reply.body.toString()) as { rawHeaders: string[] };
    const values = (name: string) => rawHeaders.filter((_, i) => i % 2 === 1 && rawHeaders[i - 1].toLowerCase() === name);
    expect(values('x-forwarded-for')).toEqual(['127.0.0.1']);
    expect(values('x-forwarded-proto')).toEqual(['http']);
    expect(values('x-forwarded-host')).toEqual(['real.localhost:4180']);
  });

  it.each([
    ['keep-alive', { 'keep-alive': 'timeout=5' }],
    ['te', { te: 'trailers' }],
    ['trailer', { trailer: 'x-checksum', 'transfer-encoding': 'chunked' }],
    ['upgrade', { upgrade: 'h2c' }],
    ['proxy-authorization', { 'proxy-authorization': 'Basic c2VjcmV0' }],
    ['proxy-connection', { 'proxy-connection': 'keep-alive' }],
    ['x-named-in-connection', { connection: 'keep-alive, X-Named-In-Connection', 'x-named-in-connection': '1' }],
    ['expect', { expect: '100-continue', 'content-length': '2' }],
  ])('removes the hop-by-hop request header %s', async (name, headers) => {
    const t = await target(echoHeaders);
    const p = await proxy(t.url);
    const body = 'content-length' in headers || 'transfer-encoding' in headers ? 'hi' : undefined;
    const reply = await send(p.port, { method: body ? 'POST' : 'GET', headers, body });
    const seen = JSON.parse(reply.body.toString()).headers;
    expect(seen).not.toHaveProperty(name);
    expect(seen.connection).not.toMatch(/named/i);
  });

  it.each([
    ['absent: passes the client Cookie through', {}, 'a=1; _portcullis_4180=secret', 'a=1; _portcullis_4180=secret'],
    ['a string: replaces it', { cookie: 'a=1' }, 'a=1; _portcullis_4180=secret', 'a=1'],
    ['undefined: removes it', { cookie: undefined }, '_portcullis_4180=secret', undefined],
  ])('cookie option %s', async (_label, policy, sent, expected) => {
    const t = await target(echoHeaders);
    const p = await proxy(t.url, {}, () => policy);
    const reply = await send(p.port, { headers: { cookie: sent } });
    expect(JSON.parse(reply.body.toString()).headers.cookie).toBe(expected);
  });

  it('sets the caller headers over client copies and drops what the caller rejects', async () => {
    const t = await target(echoHeaders);
    const p = await proxy(t.url, {}, () => ({
      setHeaders: { 'X-Forwarded-User': 'alice', 'X-Forwarded-Groups': 'admins,devs' },
      dropHeader: (name) => /^x-(forwarded-(user|groups)$|auth-request-)/.test(name.replace(/_/g, '-')),
    }));
    const reply = await send(p.port, {
      headers: ['Host', '127.0.0.1', 'X-Forwarded-User', 'mallory', 'x_forwarded_user', 'mallory', 'X-Auth-Request-Email', 'm@evil', 'x_auth_request_user', 'm', 'X-Keep', 'kept'],
    });
    const seen = JSON.parse(reply.body.toString()).headers;
    expect(seen['x-forwarded-user']).toBe('alice');
    expect(seen['x-forwarded-groups']).toBe('admins,devs');
    expect(seen).not.toHaveProperty('x-auth-request-email');
    expect(seen).not.toHaveProperty('x_auth_request_user');
    expect(seen['x-keep']).toBe('kept');
    expect(t.seen[0].rawHeaders).not.toContain('mallory');
  });

  it('removes hop-by-hop response headers and adds the caller response headers over the target ones', async () => {
    const t = await target((_req, res) => {
      res.writeHead(200, {
        connection: 'keep-alive, X-Internal',
        'x-internal': 'hop',
        'proxy-authenticate': 'Basic',
        'x-auth-request-user': 'from-target',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end('ok');
    });
    const p = await proxy(t.url, {}, () => ({ responseHeaders: { 'X-Auth-Request-User': 'alice', 'X-Portcullis-Simulated': 'groups' } }));
    const reply = await send(p.port);
    expect(reply.headers).not.toHaveProperty('x-internal');
    expect(reply.headers).not.toHaveProperty('proxy-authenticate');
    expect(reply.headers['x-auth-request-user']).toBe('alice');
    expect(reply.headers['x-portcullis-simulated']).toBe('groups');
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it.each([
    ['HEAD', 200, { 'content-length': '5' }],
    ['GET', 204, {}],
    ['GET', 304, { etag: '"v1"' }],
    ['GET', 302, { location: '/elsewhere' }],
  ])('relays a %s answered %i without a body', async (method, status, headers) => {
    const t = await target((_req, res) => {
      res.writeHead(status, headers);
      res.end();
    });
    const p = await proxy(t.url);
    const agent = new Agent({ keepAlive: true });
    const reply = await send(p.port, { method, agent });
    expect(reply.status).toBe(status);
    expect(reply.body).toHaveLength(0);
    for (const [name, value] of Object.entries(headers)) expect(reply.headers[name]).toBe(value);
    // The connection stays usable afterwards.
    expect((await send(p.port, { method, agent })).status).toBe(status);
    agent.destroy();
  });

  it('resolves with the status the client got', async () => {
    const t = await target((_req, res) => {
      res.statusCode = 418;
      res.end();
    });
    const p = await proxy(t.url);
    const outcome = p.nextOutcome();
    await send(p.port);
    expect(await outcome).toEqual({ status: 418 });
  });

  it('rejects a caller header value that would split the request, with a 500 page', async () => {
    const t = await target(echoHeaders);
    const p = await proxy(t.url, {}, () => ({ setHeaders: { 'X-Forwarded-User': 'alice\r\nX-Injected: 1' } }));
    const reply = await send(p.port);
    expect(reply.status).toBe(500);
    expect(reply.body.toString()).toContain('could not forward this request');
    expect(t.seen).toHaveLength(0);
  });

  it('prepends the target path', async () => {
    const t = await target(echoHeaders);
    const p = await proxy(`${t.url}/base/`);
    const reply = await send(p.port, { path: '/x?y=1' });
    expect(JSON.parse(reply.body.toString()).url).toBe('/base/x?y=1');
  });

  it.each([
    ['not a URL', 'localhost:8501'],
    ['another scheme', 'ftp://127.0.0.1:21'],
    ['credentials', 'http://user:pw@127.0.0.1:8501'],
    ['a query', 'http://127.0.0.1:8501/?a=1'],
  ])('refuses a target with %s', (_label, bad) => {
    expect(() => createForwarder(bad)).toThrow(/target/);
  });
});

describe('streaming', () => {
  it('streams a 20 MB upload to the target without buffering it whole', async () => {
    const t = await target((req, res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        hash.update(c);
        bytes += c.length;
      });
      req.on('end', () => res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), te: req.headers['transfer-encoding'] ?? null })));
    });
    const p = await proxy(t.url);
    const total = 20 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024);
    const expected = createHash('sha256');
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= total) return this.push(null);
        chunk.fill(sent / chunk.length);
        expected.update(chunk);
        sent += chunk.length;
        this.push(Buffer.from(chunk));
      },
    });
    const reply = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: p.port, method: 'POST', path: '/upload' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      void pipeline(body, req).catch(reject);
    });
    expect(JSON.parse(reply)).toEqual({ bytes: total, sha256: expected.digest('hex'), te: 'chunked' });
  });

  it('delivers server-sent events as they are sent, before the stream ends', async () => {
    let sendRest: () => void = () => undefined;
    const t = await target((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      sendRest = () => {
        res.write('data: second\n\n');
        res.end();
      };
    });
    const p = await proxy(t.url);
    const events = await new Promise<string[]>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: p.port, path: '/events', headers: { accept: 'text/event-stream' } }, (res) => {
        const received: string[] = [];
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          received.push(c);
          // The target only finishes once the client has the first event in hand.
          if (received.length === 1) {
            expect(c).toBe('data: first\n\n');
            sendRest();
          }
        });
        res.on('end', () => resolve(received));
      });
      req.on('error', reject);
      req.end();
    });
    expect(events.join('')).toBe('data: first\n\ndata: second\n\n');
  });

  it('relays a chunked response of unknown length', async () => {
    const t = await target((_req, res) => {
      for (let i = 0; i < 50; i++) res.write(`chunk ${i}\n`);
      res.end();
    });
    const p = await proxy(t.url);
    const reply = await send(p.port);
    expect(reply.headers['transfer-encoding']).toBe('chunked');
    expect(reply.body.toString().split('\n')).toHaveLength(51);
  });

  it('reuses one keep-alive connection to the target for sequential requests', async () => {
    const t = await target((_req, res) => res.end('ok'));
    const p = await proxy(t.url);
    const agent = new Agent({ keepAlive: true });
    for (let i = 0; i < 10; i++) expect((await send(p.port, { agent })).status).toBe(200);
    agent.destroy();
    expect(t.seen).toHaveLength(10);
    expect(t.connections).toBe(1);
  });

  it('aborts the target request when the client disconnects', async () => {
    let targetSawClose!: () => void;
    const closed = new Promise<void>((resolve) => (targetSawClose = resolve));
    const t = await target((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: hello\n\n');
      res.on('close', () => targetSawClose());
    });
    const p = await proxy(t.url);
    const outcome = p.nextOutcome();
    const req = request({ host: '127.0.0.1', port: p.port, path: '/stream' }, (res) => {
      res.once('data', () => req.destroy());
    });
    req.on('error', () => undefined);
    req.end();
    await closed;
    expect(await outcome).toEqual({ status: 200, error: 'aborted' });
  });
});

describe('when the target is down or slow', () => {
  it('answers 502 with a page that names the target', async () => {
    const port = await freePort();
    const p = await proxy(`http://127.0.0.1:${port}`);
    const outcome = p.nextOutcome();
    const reply = await send(p.port);
    expect(reply.status).toBe(502);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body.toString()).toContain(`Portcullis could not reach http://127.0.0.1:${port} — is your app running?`);
    expect(await outcome).toEqual({ status: 502, error: 'target_down' });
  });

  it('answers 502 to an upload whose target is down', async () => {
    const p = await proxy(`http://127.0.0.1:${await freePort()}`);
    const reply = await send(p.port, { method: 'POST', body: Buffer.alloc(256 * 1024, 1) });
    expect(reply.status).toBe(502);
  });

  it('adds the caller response headers to the error page', async () => {
    const p = await proxy(`http://127.0.0.1:${await freePort()}`, {}, () => ({ responseHeaders: { 'X-Portcullis-Simulated': 'groups' } }));
    const reply = await send(p.port);
    expect(reply.headers['x-portcullis-simulated']).toBe('groups');
  });

  it('answers 504 when the target does not answer in time', async () => {
    const t = await target(() => undefined);
    const p = await proxy(t.url, { headersTimeoutMs: 200 });
    const outcome = p.nextOutcome();
    const reply = await send(p.port);
    expect(reply.status).toBe(504);
    expect(reply.body.toString()).toContain(`${t.url} did not answer within 0.2 s`);
    expect(await outcome).toEqual({ status: 504, error: 'timeout' });
  });

  it('works again once the target is back, without a restart', async () => {
    const port = await freePort();
    const p = await proxy(`http://127.0.0.1:${port}`);
    expect((await send(p.port)).status).toBe(502);
    await target((_req, res) => res.end('back'), port);
    const reply = await send(p.port);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('back');
  });

  it('cuts the client connection when the target dies mid-response', async () => {
    const t = await target((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setImmediate(() => req.socket.destroy());
    });
    const p = await proxy(t.url);
    const outcome = p.nextOutcome();
    await expect(send(p.port)).rejects.toThrow();
    expect(await outcome).toEqual({ status: 200, error: 'aborted' });
  });
});

describe('closing', () => {
  it('cuts a stream that never ends instead of waiting for it', async () => {
    const t = await target((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: forever\n\n');
    });
    const forwarder = createForwarder(t.url);
    const server = createServer((req, res) => void forwarder.forward(req, res, { path: '/' }));
    const port = await listen(server);
    cleanups.push(() => closeServer(server));
    const ended = new Promise<string>((resolve) => {
      request({ host: '127.0.0.1', port }, (res) => {
        res.once('data', () => void forwarder.close());
        res.on('error', () => resolve('cut'));
        res.on('close', () => resolve('cut'));
      }).end();
    });
    expect(await ended).toBe('cut');
  });
});
