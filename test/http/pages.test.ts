import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPage, sendJson, sendPage, sendText } from '../../electron/engine/http/pages.ts';
import { closeServer, listen, send } from '../proxy/harness.ts';

describe('renderPage', () => {
  it('renders status, title, message, details and actions', () => {
    const html = renderPage({
      status: 403,
      title: 'Access denied',
      message: 'You are signed in as bob, but this app needs the group admins.',
      details: [['Rule', 'allowedGroups']],
      actions: [{ href: '/oauth2/sign_out?rd=%2F', label: 'Sign out' }],
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>Access denied</title>');
    expect(html).toContain('<p class="status">403</p>');
    expect(html).toContain('<dt>Rule</dt><dd>allowedGroups</dd>');
    expect(html).toContain('<a href="/oauth2/sign_out?rd=%2F">Sign out</a>');
    expect(html).toContain('prefers-color-scheme: dark');
  });

  const hostile = `<script>alert(1)</script>"'&`;
  it.each([
    ['title', { title: hostile }],
    ['message', { message: hostile }],
    ['detail name', { details: [[hostile, 'v']] as Array<[string, string]> }],
    ['detail value', { details: [['k', hostile]] as Array<[string, string]> }],
    ['action label', { actions: [{ href: '/', label: hostile }] }],
    ['action href', { actions: [{ href: `"><script>alert(1)</script>`, label: 'x' }] }],
  ])('escapes a hostile %s', (_where, part) => {
    const html = renderPage({ status: 400, title: 't', message: 'm', ...part });
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/href="[^"]*"[^>]*><script/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('contains no script at all', () => {
    expect(renderPage({ status: 502, title: 't', message: 'm' })).not.toMatch(/<script|javascript:|\son\w+=/i);
  });
});

describe('send helpers', () => {
  const servers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (servers.length) await servers.pop()!();
  });

  it.each([
    ['sendPage', 'text/html; charset=utf-8', (res: import('node:http').ServerResponse) => sendPage(res, { status: 503, title: 'Not ready', message: 'Provider — down' })],
    ['sendJson', 'application/json; charset=utf-8', (res: import('node:http').ServerResponse) => sendJson(res, 503, { error: { code: 'not_ready', message: 'é' } })],
    ['sendText', 'text/plain; charset=utf-8', (res: import('node:http').ServerResponse) => sendText(res, 503, 'not ready — é')],
  ])('%s sets type, exact length, no-store and nosniff', async (_name, type, write) => {
    const server = createServer((_req, res) => write(res));
    const port = await listen(server);
    servers.push(() => closeServer(server));
    const reply = await send(port);
    expect(reply.status).toBe(503);
    expect(reply.headers['content-type']).toBe(type);
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sendJson serializes the body', async () => {
    const server = createServer((_req, res) => sendJson(res, 401, { error: { code: 'unauthenticated', message: 'sign in' } }));
    const port = await listen(server);
    servers.push(() => closeServer(server));
    expect(JSON.parse((await send(port)).body.toString())).toEqual({ error: { code: 'unauthenticated', message: 'sign in' } });
  });
});
