// The built-in OpenID Provider (oidc-provider): signs in configured personas for one
// first-party client, Portcullis itself, so apps can be developed against real OIDC tokens
// without an external identity provider.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Persona } from '../config/types.ts';
import { ignoreProblems, type ReportProblem } from '../problems.ts';
import { bindErrorMessage } from '../http/bind-error.ts';
import { limitConnections, limitedServerOptions } from '../http/connection-limits.ts';
import { loadOrCreateKeyMaterial } from './keys.ts';
import { errors, interactionPolicy, Provider } from './oidc-provider-quiet.ts';
import { renderErrorPage, renderLoggedOutPage, renderLogoutPage, renderSignInPage } from './pages.ts';
import { IdpStore } from './store.ts';

export const BUILTIN_CLIENT_ID = 'portcullis';

export interface BuiltinIdpOptions {
  /** Default 127.0.0.1. The issuer uses this host verbatim: `localhost` would be another issuer. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  users: Persona[];
  /** Where the signing keys, cookie keys, client secret and refresh tokens are kept. */
  dataDir: string;
  /** Where failures go (the engine's reporter; from the worker thread, a message to it). */
  report?: ReportProblem;
}

export interface BuiltinIdp {
  /** `http://<host>:<port>`, no trailing slash. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  setUsers(users: Persona[]): void;
  close(): Promise<void>;
}

/** Listeners come and go at runtime, so any loopback port's callback is a valid redirect. */
const LOOPBACK_CALLBACK = /^http:\/\/(?:localhost|127\.0\.0\.1)(?::([1-9]\d{0,4}))?\/oauth2\/callback$/;
const LOOPBACK_URL = /^http:\/\/(?:localhost|127\.0\.0\.1)(?::([1-9]\d{0,4}))?\/[^\s\\#]*$/;

function matchesLoopback(pattern: RegExp, value: string): boolean {
  const match = pattern.exec(value);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65535);
}

export function isAllowedRedirectUri(value: string): boolean {
  return matchesLoopback(LOOPBACK_CALLBACK, value);
}

export function isAllowedPostLogoutRedirectUri(value: string): boolean {
  return matchesLoopback(LOOPBACK_URL, value);
}

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;
const MAX_FORM_BYTES = 16 * 1024;

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'");
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError('The sign-in form must be posted as application/x-www-form-urlencoded.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormError('The sign-in form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

class FormError extends Error {}

function accountClaims(persona: Persona): { sub: string; [claim: string]: unknown } {
  return {
    sub: persona.username,
    email: persona.email,
    email_verified: true,
    name: persona.name,
    preferred_username: persona.username,
    groups: [...persona.groups],
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startBuiltinIdp(opts: BuiltinIdpOptions): Promise<BuiltinIdp> {
  const host = opts.host ?? '127.0.0.1';
  const keys = await loadOrCreateKeyMaterial(opts.dataDir);
  const report = opts.report ?? ignoreProblems;
  const store = new IdpStore(opts.dataDir, report);
  let users = [...opts.users];
  const findPersona = (username: string): Persona | undefined => users.find((u) => u.username === username);

  // The issuer needs the bound port, so the request handler is attached once it is known
  // (synchronously after listening: no request can be served in between).
  const server: Server = createServer(limitedServerOptions(false));
  limitConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // In the words every listener uses; the code travels on for callers that branch on it.
      reject(Object.assign(new Error(bindErrorMessage(err, host, opts.port)), { code: err.code }));
    });
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${hostForUrl(host)}:${port}`;

  const policy = interactionPolicy.base();
  // A persona picker is the point of this provider: every sign-in shows it (or honours
  // login_hint) instead of silently reusing whoever signed in last in this browser.
  policy.get('login')?.checks.add(new interactionPolicy.Check(
    'choose_persona',
    'a persona must be chosen for every sign-in',
    (ctx) => (ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT),
  ));

  const configuration: Configuration = {
    adapter: store.adapterFactory(),
    clients: [{
      client_id: BUILTIN_CLIENT_ID,
      client_secret: keys.clientSecret,
      client_name: 'Portcullis',
      // Registered for form; redirectUriAllowed below accepts any loopback port.
      redirect_uris: ['http://127.0.0.1/oauth2/callback', 'http://localhost/oauth2/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: keys.signingKeys as Record<string, unknown>[] },
    // In Portcullis's `_portcullis` cookie namespace: the browser sends them to every port of
    // 127.0.0.1, and listeners keep that namespace from targets both ways (docs/security.md).
    cookies: {
      keys: keys.cookieKeys,
      names: { session: '_portcullis_idp_session', interaction: '_portcullis_idp_interaction', resume: '_portcullis_idp_resume' },
    },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    // Apps behind Portcullis read groups from the ID token, as behind oauth2-proxy.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const persona = findPersona(sub);
      return persona && { accountId: persona.username, claims: () => accountClaims(persona) };
    },
    // First-party client: consent is implied, so every requested scope is granted.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      if (!oidc.client || !accountId) return undefined;
      const existingId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client.clientId);
      const existing = existingId ? await oidc.provider.Grant.find(existingId) : undefined;
      const grant = existing?.accountId === accountId
        ? existing
        : new oidc.provider.Grant({ accountId, clientId: oidc.client.clientId });
      grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    // Portcullis refreshes sessions whether or not it asked for offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    pkce: { required: () => true },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true, allowedPolicy: () => true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = renderLogoutPage(form);
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = renderLoggedOutPage();
        },
      },
    },
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      Session: 14 * 24 * 60 * 60,
      Grant: 30 * 24 * 60 * 60,
      RefreshToken: 30 * 24 * 60 * 60,
    },
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out.error, out.error_description);
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.Client.prototype.redirectUriAllowed = isAllowedRedirectUri;
  provider.Client.prototype.postLogoutRedirectUriAllowed = isAllowedPostLogoutRedirectUri;
  provider.on('server_error', (_ctx, err) => {
    report('builtinIdp', `the built-in identity provider failed: ${(err as Error).message}`);
  });

  async function finishLogin(req: IncomingMessage, res: ServerResponse, persona: Persona): Promise<void> {
    await provider.interactionFinished(req, res, { login: { accountId: persona.username } }, { mergeWithLastSubmission: false });
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const interaction = await provider.interactionDetails(req, res);
    // The interaction cookie alone names the interaction; the URL must agree with it.
    if (interaction.uid !== uid || interaction.prompt.name !== 'login') {
      sendHtml(res, 400, renderErrorPage('invalid_request', 'This sign-in page does not belong to the sign-in in progress. Start again from the app.'));
      return;
    }
    const action = `/interaction/${uid}`;
    const page = (status: number, message?: string) => sendHtml(res, status, renderSignInPage({ action, personas: users, clientName: 'Portcullis', message }));

    if (req.method === 'GET') {
      const hint = interaction.params.login_hint;
      if (typeof hint === 'string' && hint !== '') {
        const persona = findPersona(hint);
        if (persona) return finishLogin(req, res, persona);
        return page(200, `No persona is called "${hint}". Choose one below.`);
      }
      return page(200);
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST');
      sendHtml(res, 405, renderErrorPage('method_not_allowed', 'Use the sign-in form.'));
      return;
    }
    const form = await readForm(req);
    if (form.has('cancel')) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The sign-in was cancelled.' }, { mergeWithLastSubmission: false });
      return;
    }
    const login = form.get('login') ?? '';
    const persona = findPersona(login);
    if (persona) return finishLogin(req, res, persona);
    return page(400, login ? `No persona is called "${login}". Choose one below.` : 'Choose a persona to sign in.');
  }

  const providerCallback = provider.callback();
  const issuerHost = new URL(issuer).host;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Only the issuer's own host: any other name pointing here is DNS rebinding (docs/security.md).
    if ((req.headers.host ?? '').toLowerCase() !== issuerHost) {
      sendHtml(res, 421, renderErrorPage('Misdirected request', `The built-in identity provider answers only at ${issuer}.`));
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const match = INTERACTION_PATH.exec(path);
    if (!match) {
      providerCallback(req, res);
      return;
    }
    handleInteraction(req, res, match[1]).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof errors.SessionNotFound) {
        sendHtml(res, 400, renderErrorPage('Sign-in expired', 'This sign-in has expired or was started in another browser. Start again from the app.'));
      } else if (err instanceof FormError) {
        sendHtml(res, 400, renderErrorPage('invalid_request', err.message));
      } else {
        report('builtinIdp', `the built-in identity provider failed: ${(err as Error).message}`);
        sendHtml(res, 500, renderErrorPage('server_error', 'The built-in identity provider failed to handle this sign-in.'));
      }
    });
  });

  return {
    issuer,
    clientId: BUILTIN_CLIENT_ID,
    clientSecret: keys.clientSecret,
    setUsers(next) {
      users = [...next];
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.flush();
    },
  };
}
