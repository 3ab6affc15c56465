// A local stand-in for GitHub's OAuth and REST endpoints (github.com cannot be reached from
// tests): authorize redirects straight back for a configured user, the token endpoint answers
// errors with HTTP 200 as GitHub does, the API needs the issued Bearer token and pages its lists
// with `Link: rel="next"`, and an OAuth app can delete (revoke) a token as on GitHub.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandinUser {
  login: string;
  name?: string;
  /** The first is primary; all verified unless listed in `unverified`. */
  emails: string[];
  unverified?: string[];
  orgs?: string[];
  /** `org:team-slug` */
  teams?: string[];
}

export interface GithubStandin {
  /** Like https://github.com */
  baseUrl: string;
  /** Like https://api.github.com (served under /api/v3, as GitHub Enterprise does) */
  apiUrl: string;
  /** Makes authorize answer with this OAuth error instead of a code, until cleared with undefined. */
  setAuthorizeError(error: string | undefined): void;
  close(): Promise<void>;
}

interface PendingCode { user: StandinUser; redirectUri: string; challenge?: string; clientId: string }

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startGithubStandin(opts: { users: StandinUser[]; clientId?: string; clientSecret?: string }): Promise<GithubStandin> {
  const clientId = opts.clientId ?? 'gh-client';
  const clientSecret = opts.clientSecret ?? 'gh-secret';
  const codes = new Map<string, PendingCode>();
  const tokens = new Map<string, StandinUser>();
  let authorizeError: string | undefined;
  /** Known once the server listens; page links are absolute, as GitHub's are. */
  let base = '';

  function authorize(url: URL, res: ServerResponse): void {
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    const back = new URL(redirectUri);
    const state = url.searchParams.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (authorizeError) {
      back.searchParams.set('error', authorizeError);
      back.searchParams.set('error_description', 'The user has denied your application access.');
    } else {
      const wanted = url.searchParams.get('login');
      const user = opts.users.find((u) => u.login === wanted) ?? opts.users[0];
      const code = randomBytes(10).toString('hex');
      codes.set(code, { user, redirectUri, challenge: url.searchParams.get('code_challenge') ?? undefined, clientId: url.searchParams.get('client_id') ?? '' });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { Location: back.href });
    res.end();
  }

  async function accessToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const answer = (body: Record<string, string>) => {
      if ((req.headers.accept ?? '').includes('application/json')) json(res, 200, body);
      else {
        res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' });
        res.end(new URLSearchParams(body).toString());
      }
    };
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return answer({ error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
    }
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const challengeOk = !pending?.challenge || createHash('sha256').update(verifier).digest('base64url') === pending.challenge;
    if (!pending || pending.clientId !== clientId || pending.redirectUri !== form.get('redirect_uri') || !challengeOk) {
      return answer({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    }
    const token = `gho_${randomBytes(16).toString('hex')}`;
    tokens.set(token, pending.user);
    answer({ access_token: token, token_type: 'bearer', scope: 'read:org,read:user,user:email' });
  }

  /** One page of a list, as GitHub pages them: `per_page` (default 30, at most 100) and `page`. */
  function page(url: URL, res: ServerResponse, items: unknown[]): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page')) || 30, 100);
    const number = Math.max(Number(url.searchParams.get('page')) || 1, 1);
    const pages = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (n: number, rel: string) => {
      const target = new URL(url.pathname, base);
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(n));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links = number < pages ? [link(number + 1, 'next'), link(pages, 'last')] : [];
    res.writeHead(200, { 'Content-Type': 'application/json', ...(links.length ? { Link: links.join(', ') } : {}) });
    res.end(JSON.stringify(items.slice((number - 1) * perPage, number * perPage)));
  }

  function api(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization ?? '';
    const user = auth.startsWith('Bearer ') ? tokens.get(auth.slice(7)) : undefined;
    if (!user) return json(res, 401, { message: 'Bad credentials' });
    switch (url.pathname.slice('/api/v3'.length)) {
      case '/user':
        return json(res, 200, { login: user.login, id: 1, name: user.name ?? null, email: null });
      case '/user/emails':
        return page(url, res, user.emails.map((email, i) => ({ email, primary: i === 0, verified: !user.unverified?.includes(email), visibility: null })));
      case '/user/orgs':
        return page(url, res, (user.orgs ?? []).map((login) => ({ login })));
      case '/user/teams':
        return page(url, res, (user.teams ?? []).map((t) => {
          const [org, slug] = t.split(':');
          return { slug, name: slug, organization: { login: org } };
        }));
      default:
        return json(res, 404, { message: 'Not Found' });
    }
  }

  /** DELETE /applications/{client_id}/token: the app's Basic credentials, the token in a JSON body. */
  async function deleteToken(pathClientId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (pathClientId !== encodeURIComponent(clientId) || req.headers.authorization !== basic) return json(res, 404, { message: 'Not Found' });
    let token: unknown;
    try {
      token = (JSON.parse(await readBody(req)) as { access_token?: unknown }).access_token;
    } catch {
      return json(res, 400, { message: 'Problems parsing JSON' });
    }
    if (typeof token !== 'string' || !tokens.delete(token)) return json(res, 422, { message: 'Validation Failed' });
    res.writeHead(204);
    res.end();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') return authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      accessToken(req, res).catch(() => json(res, 500, { message: 'stand-in failure' }));
      return;
    }
    const revoke = /^\/api\/v3\/applications\/([^/]+)\/token$/.exec(url.pathname);
    if (req.method === 'DELETE' && revoke) {
      deleteToken(revoke[1], req, res).catch(() => json(res, 500, { message: 'stand-in failure' }));
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/api/v3/')) return api(url, req, res);
    json(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: base,
    apiUrl: `${base}/api/v3`,
    setAuthorizeError(error) {
      authorizeError = error;
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
