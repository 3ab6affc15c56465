// The built-in OpenID Provider (oidc-provider): signs in configured personas for one
// first-party client, Portcullis itself, so apps can be developed against real OIDC tokens
// without an external identity provider. It doubles as a test double: service clients, minted
// tokens, a shifted clock and failures on demand (docs/configuration.md, "builtinIdp").

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Provider as OidcProvider } from 'oidc-provider';
import { BUILTIN_CLIENT_ID } from '../config/builtin-idp-rules.ts';
import { bindErrorMessage } from '../http/bind-error.ts';
import { limitConnections, limitedServerOptions } from '../http/connection-limits.ts';
import { ignoreProblems, type ReportProblem } from '../problems.ts';
import { customClaimNames } from './claims.ts';
import { setClockSkew } from './clock.ts';
import { checkFaults, NO_FAULTS, faultDescription, type IdpFaults } from './faults.ts';
import { InjectedFault } from './injected-fault.ts';
import { signInWithoutBrowser, type HeadlessSignInRequest } from './headless-sign-in.ts';
import { loadOrCreateKeyMaterial } from './keys.ts';
import { mintTokens, type MintedTokens, type MintRequest } from './mint.ts';
import { markOfflineAccess } from './offline-access.ts';
import { addRefreshExpiry } from './refresh-expiry.ts';
import { oidcConfiguration } from './oidc-configuration.ts';
import { errors, Provider } from './oidc-provider-quiet.ts';
import { renderErrorPage, renderSignInPage } from './pages.ts';
import type { Persona } from '../config/types.ts';
import { DEFAULT_IDP_SETTINGS, type IdpSettings } from './settings.ts';
import { IdpStore } from './store.ts';
import { createUserinfoHandler, USERINFO_PATH } from './userinfo.ts';

export type BuiltinIdpOptions = {
  /** Default 127.0.0.1. The issuer uses this host verbatim: `localhost` would be another issuer. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Where the signing keys, cookie keys, client secret and refresh tokens are kept. */
  dataDir: string;
  /** Front-proxy origins (the upstreams' redirectOrigins) whose /oauth2/callback is accepted too. */
  frontOrigins?: string[];
  /** Where failures go (the engine's reporter; from the worker thread, a message to it). */
  report?: ReportProblem;
} & Pick<IdpSettings, 'users'> & Partial<IdpSettings>;

export interface BuiltinIdp {
  /** `http://<host>:<port>`, no trailing slash. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Applies the given settings; resolves once the next request sees them. */
  update(settings: Partial<IdpSettings>): Promise<void>;
  /** Replaces every fault (NO_FAULTS clears them); resolves with the faults now in force. */
  setFaults(faults: IdpFaults): Promise<IdpFaults>;
  /** Tokens for a persona, signed with the provider's keys, without a browser. */
  mint(request: MintRequest): Promise<MintedTokens>;
  /** A fresh sign-in as a persona without a browser: where the browser would land (the callback with a code). */
  signIn(request: HeadlessSignInRequest): Promise<{ callbackUrl: string }>;
  /** Replaces the front-proxy origins whose callback is accepted (the upstreams' redirectOrigins). */
  setFrontOrigins(origins: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Listeners come and go at runtime, so any loopback port's callback is a valid redirect. */
const LOOPBACK_CALLBACK = /^http:\/\/(?:localhost|127\.0\.0\.1)(?::([1-9]\d{0,4}))?\/oauth2\/callback$/;
const LOOPBACK_URL = /^http:\/\/(?:localhost|127\.0\.0\.1)(?::([1-9]\d{0,4}))?\/[^\s\\#]*$/;

function matchesLoopback(pattern: RegExp, value: string): boolean {
  const match = pattern.exec(value);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65535);
}

/** A loopback listener's callback, or the callback on a front proxy's origin that the settings name. */
export function isAllowedRedirectUri(value: string, frontOrigins: ReadonlySet<string> = new Set()): boolean {
  if (matchesLoopback(LOOPBACK_CALLBACK, value)) return true;
  const url = URL.parse(value);
  return url !== null && url.href === value && url.pathname === '/oauth2/callback' && !url.search && frontOrigins.has(url.origin);
}

// A host name, an IPv4 address or a bracketed IPv6 one: nothing that could end a CSP directive.
const PLAIN_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])$/;

/** The origins of `origins` that are plain http(s) origins with a plain host. */
function originSet(origins: readonly string[]): Set<string> {
  return new Set(
    origins
      .map((o) => URL.parse(o))
      .filter((u) => u !== null && (u.protocol === 'http:' || u.protocol === 'https:') && PLAIN_HOST.test(u.hostname))
      .map((u) => u!.origin),
  );
}

/** Sign-out returns to any loopback listener: the provider registers them all. */
export function isAllowedPostLogoutRedirectUri(value: string): boolean {
  return matchesLoopback(LOOPBACK_URL, value);
}

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/;
/** Answered at once whatever latencyMs says: metadata a client caches, not a sign-in or a token. */
const NEVER_DELAYED = new Set(['/.well-known/openid-configuration', '/jwks']);
const MAX_FORM_BYTES = 16 * 1024;

function sendHtml(res: ServerResponse, status: number, html: string, frontOrigins: ReadonlySet<string> = new Set()): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Frame-Options', 'DENY');
  const formTargets = ["'self'", 'http://localhost:*', 'http://127.0.0.1:*', ...frontOrigins].join(' ');
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; form-action ${formTargets}; frame-ancestors 'none'`);
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

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // In the words every listener uses; the code travels on for callers that branch on it.
      reject(Object.assign(new Error(bindErrorMessage(err, host, port)), { code: err.code }));
    });
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Starts the provider in this thread. A clockSkewSeconds other than 0 shifts Date.now() of the
 * whole thread (clock.ts): the engine runs the provider in a thread of its own (idp-thread.ts).
 */
export async function startBuiltinIdp(opts: BuiltinIdpOptions): Promise<BuiltinIdp> {
  const host = opts.host ?? '127.0.0.1';
  const keys = await loadOrCreateKeyMaterial(opts.dataDir);
  const report = opts.report ?? ignoreProblems;
  const store = new IdpStore(opts.dataDir, report);
  let settings: IdpSettings = { ...DEFAULT_IDP_SETTINGS, ...settingsOf(opts) };
  let faults: IdpFaults = NO_FAULTS;
  setClockSkew(settings.clockSkewSeconds);
  const findPersona = (username: string): Persona | undefined => settings.users.find((u) => u.username === username);
  // The persona form's post ends in a redirect to the callback, which CSP form-action also governs.
  let frontOrigins = originSet(opts.frontOrigins ?? []);

  // The issuer needs the bound port, so the request handler is attached once it is known
  // (synchronously after listening: no request can be served in between).
  const server: Server = createServer(limitedServerOptions(false));
  limitConnections(server);
  const port = await listen(server, host, opts.port);
  const issuer = `http://${hostForUrl(host)}:${port}`;
  const publicKeys = keys.signingKeys.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use }));
  const handleUserinfo = createUserinfoHandler({
    issuer, publicKeys, findPersona, customClaimNames: () => claimNames, isAccessTokenLive: (jti) => store.isAccessTokenLive(jti),
  });

  // oidc-provider releases only the claims it was configured with, so a new persona claim name
  // means a new Provider; everything it keeps lives in the store and the cookies, which outlast it.
  let claimNames: string[] = [];
  let provider!: OidcProvider;
  let providerCallback!: (req: IncomingMessage, res: ServerResponse) => void;
  const buildProvider = () => {
    claimNames = customClaimNames(settings.users);
    provider = new Provider(issuer, oidcConfiguration({
      issuer, keys, store, customClaimNames: claimNames, findPersona, settings: () => settings, faults: () => faults,
    }));
    provider.Client.prototype.redirectUriAllowed = (value: string) => isAllowedRedirectUri(value, frontOrigins);
    provider.Client.prototype.postLogoutRedirectUriAllowed = isAllowedPostLogoutRedirectUri;
    provider.on('access_token.issued', (token) => {
      const { jti, grantId, expiration } = token as { jti: string; grantId?: string; expiration: number };
      store.rememberAccessToken(jti, grantId, expiration);
    });
    provider.on('server_error', (_ctx, err) => {
      if (err instanceof InjectedFault) return;
      report('builtinIdp', `the built-in identity provider failed: ${(err as Error).message}`);
    });
    provider.use(markOfflineAccess);
    provider.use(addRefreshExpiry(provider));
    providerCallback = provider.callback();
  };
  buildProvider();

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
    // A sign-in fault ends the request the way a real provider does: the error, at the client's callback.
    if (faults.signIn) {
      await provider.interactionFinished(req, res, { error: faults.signIn, error_description: faultDescription(faults.signIn) }, { mergeWithLastSubmission: false });
      return;
    }
    const action = `/interaction/${uid}`;
    const page = (status: number, message?: string) => sendHtml(res, status, renderSignInPage({ action, personas: settings.users, clientName: 'Portcullis', message }), frontOrigins);

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

  function requestFailed(res: ServerResponse, err: unknown): void {
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
  }

  const issuerHost = new URL(issuer).host;
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only the issuer's own host: any other name pointing here is DNS rebinding (docs/security.md).
    if ((req.headers.host ?? '').toLowerCase() !== issuerHost) {
      return sendHtml(res, 421, renderErrorPage('Misdirected request', `The built-in identity provider answers only at ${issuer}.`));
    }
    const path = (req.url ?? '/').split('?')[0];
    if (faults.latencyMs > 0 && !NEVER_DELAYED.has(path)) await delay(faults.latencyMs);
    if (path === USERINFO_PATH) return handleUserinfo(req, res);
    const match = INTERACTION_PATH.exec(path);
    if (!match) return providerCallback(req, res);
    return handleInteraction(req, res, match[1]);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => requestFailed(res, err));
  });
  // "Down": every connection is reset, as by a crashed provider behind a live port; the port
  // stays ours, so clearing the fault brings the provider back at once.
  server.on('connection', (socket: Socket) => {
    if (faults.down) socket.resetAndDestroy();
  });

  return {
    issuer,
    clientId: BUILTIN_CLIENT_ID,
    clientSecret: keys.clientSecret,
    async update(next) {
      const namesBefore = claimNames.join('\n');
      settings = { ...settings, ...next };
      setClockSkew(settings.clockSkewSeconds);
      if (customClaimNames(settings.users).join('\n') !== namesBefore) buildProvider();
    },
    async setFaults(next) {
      faults = checkFaults(next);
      if (faults.down) server.closeAllConnections();
      return faults;
    },
    mint: (request) => mintTokens({
      issuer, clientId: BUILTIN_CLIENT_ID, signingKey: keys.signingKeys[0], findPersona,
      issued: (jti, expiresInSeconds) => store.rememberAccessToken(jti, undefined, expiresInSeconds),
    }, request),
    signIn: (request) => signInWithoutBrowser(issuer, request),
    async setFrontOrigins(next) {
      frontOrigins = originSet(next);
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

function settingsOf(opts: BuiltinIdpOptions): Partial<IdpSettings> & Pick<IdpSettings, 'users'> {
  const { host: _host, port: _port, dataDir: _dataDir, report: _report, frontOrigins: _frontOrigins, ...settings } = opts;
  return settings;
}
