// Proves each real upstream the other tests rely on starts, answers and stops here. A missing
// part fails with the message saying how to install it: CI installs everything, so no skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlask, type Echo, type Upstream } from './flask.ts';
import { startNginx, type RunningNginx } from './nginx.ts';
import { startStreamlit } from './streamlit.ts';
import { freePort } from './free-port.ts';
import { startProcess, waitForHttp } from './processes.ts';
import { startViteApp, type ViteApp } from './vite.ts';

describe('Flask echo upstream', () => {
  let flask: Upstream;
  beforeAll(async () => {
    flask = await startFlask();
  });
  afterAll(() => flask?.stop());

  it('echoes method, path, query, every header (raw too), cookies and body length', async () => {
    const res = await fetch(`${flask.url}/some/path?a=1&a=2&b=x`, {
      method: 'POST',
      headers: { 'X-Forwarded-Email': 'eve@evil.test', X_Forwarded_Groups: 'admins', Cookie: 'k=v; other=2' },
      body: 'hello',
    });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo).toMatchObject({
      method: 'POST',
      path: '/some/path',
      query: { a: ['1', '2'], b: ['x'] },
      cookies: { k: 'v', other: '2' },
      bodyLength: 5,
    });
    expect(echo.headers['x-forwarded-email']).toBe('eve@evil.test');
    expect(echo.rawHeaders).toContainEqual(['X_Forwarded_Groups', 'admins']);
  });

  it('hashes uploads', async () => {
    const body = Buffer.alloc(300_000, 7);
    const res = await fetch(`${flask.url}/upload`, { method: 'POST', body });
    const { createHash } = await import('node:crypto');
    expect(await res.json()).toEqual({ sha256: createHash('sha256').update(body).digest('hex'), length: body.length });
  });

  it('streams server-sent events', async () => {
    const res = await fetch(`${flask.url}/sse?count=3&interval=0`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await res.text()).match(/^data: /gm)).toHaveLength(3);
  });

  it('redirects where asked', async () => {
    const res = await fetch(`${flask.url}/redirect?to=/after`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/\/after$/);
  });

  it('stops, taking its port down with it', async () => {
    const again = await startFlask();
    await again.stop();
    await expect(fetch(`${again.url}/healthz`)).rejects.toThrow();
  });
});

describe('Streamlit upstream', () => {
  it('starts with XSRF protection on and answers its health check', async () => {
    const app = await startStreamlit();
    try {
      const health = await fetch(`${app.url}/_stcore/health`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok');
      const page = await fetch(`${app.url}/`);
      expect(page.status).toBe(200);
      // XSRF protection is on: an upload without the token is refused
      const upload = await fetch(`${app.url}/_stcore/upload_file/session/file`, { method: 'PUT', body: 'x' });
      expect(upload.status).toBe(403);
    } finally {
      await app.stop();
    }
  });
});

describe('nginx', () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    nginx = await startNginx((_dirs, { port }) => `server { listen 127.0.0.1:${port}; location / { return 200 "hi\\n"; } }`);
  });
  afterAll(() => nginx?.stop());

  it('serves a trivial config from its own prefix', async () => {
    const res = await fetch(`${nginx.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hi\n');
  });
});

describe('startProcess', () => {
  it('reports a program that dies before it is ready, with its output', async () => {
    await expect(startProcess('sh', ['-c', 'echo boom >&2; exit 3'], { readyLine: /never/ })).rejects.toThrow(
      /exited before it was ready \(code 3[\s\S]*boom/,
    );
  });

  it('reports a program that never becomes ready', async () => {
    const port = await freePort();
    await expect(
      startProcess('sleep', ['30'], { readyUrl: `http://127.0.0.1:${port}/`, timeoutMs: 500 }),
    ).rejects.toThrow(/was not ready within 500 ms/);
  });

  it('kills the whole process group on stop', async () => {
    const port = await freePort();
    // the shell's child holds the port; stopping the shell must take the child too
    const started = await startProcess(
      'sh',
      ['-c', `python3 -m http.server ${port} --bind 127.0.0.1 & wait`],
      { readyUrl: `http://127.0.0.1:${port}/` },
    );
    await started.stop();
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, 300)).rejects.toThrow(/did not answer/);
  });
});

describe('Vite dev server with the test shop front end', () => {
  let vite: ViteApp;
  beforeAll(async () => {
    vite = await startViteApp();
  });
  afterAll(() => vite?.stop());

  it('serves the app page and its module from a temporary copy', async () => {
    const page = await fetch(`${vite.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/src/main.js');
    await vite.edit('src/message.js', "export const message = 'edited';\n");
    const module = await fetch(`${vite.url}/src/message.js`);
    expect(await module.text()).toContain('edited');
  });
});
