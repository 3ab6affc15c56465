// Slowloris and connection floods: a client that sends its headers slowly, or nothing at all,
// gets 408 and loses its connection, while uploads and event streams, whose headers are in,
// run as long as they need; and a flood on one listener is capped there, so the console, the
// identity provider and the other listeners still answer. The headers timeout is shortened
// for the first part with the internal PORTCULLIS_HEADERS_TIMEOUT_MS.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlask, type Upstream } from '../support/flask.ts';
import { rawRequest } from '../support/browser.ts';
import { consoleApi } from '../support/console-api.ts';
import { startPortcullis, type Portcullis } from '../support/serve.ts';
import { LISTENER_MAX_CONNECTIONS } from '../../electron/engine/http/connection-limits.ts';

/** What the server sent on a raw connection until it closed it. */
interface RawConnection {
  socket: Socket;
  received(): string;
  closed: Promise<string>;
}

function open(port: number, first?: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<string>((done) => socket.once('close', () => done(data)));
    socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      if (first !== undefined) socket.write(first);
      resolve({ socket, received: () => data, closed });
    });
  });
}

let flask: Upstream;
beforeAll(async () => {
  flask = await startFlask();
});
afterAll(async () => {
  await flask?.stop();
});

describe('slow and idle clients', () => {
  let pc: Portcullis;
  let port: number;
  beforeAll(async () => {
    pc = await startPortcullis({
      upstreams: [{ id: 'app', target: flask.url, skipAuthRoutes: ['^/public', '^/upload', '^/sse'] }],
      env: { PORTCULLIS_HEADERS_TIMEOUT_MS: '400' },
    });
    port = pc.ports.upstreams.app;
  });
  afterAll(async () => {
    await pc?.dispose();
  });

  it('headers sent slowly: 408 and the connection is closed', async () => {
    const slow = await open(port, `GET /public HTTP/1.1\r\nHost: localhost:${port}\r\nX-Slow: 1\r\n`);
    expect(await slow.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('a connection that never sends a request: 408 and closed', async () => {
    const idle = await open(port);
    expect(await idle.closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it.each([
    ['the console', () => pc.ports.console],
    ['the identity provider', () => pc.ports.idp],
  ])('%s closes slow clients the same way', async (_name, portOf) => {
    const slow = await open(portOf(), `GET / HTTP/1.1\r\nHost: 127.0.0.1:${portOf()}\r\n`);
    expect(await slow.closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('an upload whose body comes after the headers timeout, and an event stream, run to the end', async () => {
    const upload = await open(port, `POST /upload HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\nConnection: close\r\n\r\n`);
    const stream = rawRequest('GET', new URL(`http://localhost:${port}/sse?count=4&interval=0.3`));
    // Once an idle connection opened after them has been timed out, both outlived the timeout.
    await (await open(port)).closed;
    upload.socket.write('hello');
    const answer = await upload.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"length":5');
    const events = await stream;
    expect(events.status).toBe(200);
    expect(events.body.match(/^data: /gm)).toHaveLength(4);
  });
});

describe('a connection flood on one listener', () => {
  const CAP = LISTENER_MAX_CONNECTIONS;
  let pc: Portcullis;
  let flood: RawConnection[] = [];
  beforeAll(async () => {
    pc = await startPortcullis({ upstreams: [{ id: 'app', target: flask.url }, { id: 'other', target: flask.url }] });
  });
  afterAll(async () => {
    for (const c of flood) c.socket.destroy();
    await pc?.dispose();
  });

  it(`is capped at ${CAP} connections while the console, the identity provider and the other listener answer`, async () => {
    const port = pc.ports.upstreams.app;
    for (let i = 0; i < CAP; i += 64) flood.push(...(await Promise.all(Array.from({ length: Math.min(64, CAP - i) }, () => open(port)))));
    const beyond = await Promise.all(Array.from({ length: 20 }, () => open(port)));
    // Each connection beyond the cap is closed without a word.
    expect(await Promise.all(beyond.map((c) => c.closed))).toEqual(Array(20).fill(''));
    expect(flood.every((c) => !c.socket.destroyed)).toBe(true);

    expect((await consoleApi(pc).call('GET', 'state')).status).toBe(200);
    const discovery = await rawRequest('GET', new URL(`http://127.0.0.1:${pc.ports.idp}/.well-known/openid-configuration`));
    expect(discovery.status).toBe(200);
    expect((await rawRequest('GET', new URL(`${pc.url('other')}/ping`))).status).toBe(200);

    // Once the flood is gone the listener answers again.
    await Promise.all(flood.map((c) => (c.socket.destroy(), c.closed)));
    flood = [];
    expect((await rawRequest('GET', new URL(`${pc.url('app')}/ping`))).status).toBe(200);
  });
});
