// Checks settings and says everything that is wrong with them at once, each problem named
// by its JSON path: first the shape (schema.ts), then the rules that span fields. On success
// it returns the settings with every default filled in, ready for the engine.
import type { ErrorObject } from 'ajv';
import { isIP } from 'node:net';
import { probePort } from '../http/port-probe.ts';
import type { ConfigProblem, Persona, PortcullisConfig, ProviderConfig, UpstreamConfig } from './types.ts';
import compiled from './config-validators.ts';
import { DEFAULT_CONFIG, DEFAULT_BUILTIN_IDP_PORT, DEFAULT_CONSOLE_PORT, withUpstreamDefaults } from './defaults.ts';
import { BUILTIN_CLIENT_ID, MAX_CLAIMS_BYTES, protocolClaimProblem } from './builtin-idp-rules.ts';
import { migrateConfig } from './migrations.ts';
import { refusedKeyReason } from './refused-keys.ts';
import { CURRENT_CONFIG_VERSION } from './version.ts';
import { childPath, pointerToPath } from './json-path.ts';
import { parseRouteRule } from './routes.ts';
import { canonicalHeaderName, claimHeaderNameProblem, claimPathProblem } from './claim-paths.ts';
import { accessRuleProblems, pathRouteProblems } from './upstream-routing.ts';

export interface ValidationResult {
  config?: PortcullisConfig;
  problems: ConfigProblem[];
}

/** The `Id` pattern of schema.ts in words. Kept here so that a start from the bundle, which
 * checks settings with precompiled code, never loads the schema builder. */
const ID_RULE = '1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Authorization parameters the code flow sets itself (scope has its own `scopes` field; request
// and request_uri would replace the whole request). Matched ignoring case, because some issuers
// read query parameter names that way.
const FLOW_PARAMS = new Set(['client_id', 'redirect_uri', 'response_type', 'response_mode', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'scope', 'request', 'request_uri']);
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Validates raw settings (as parsed from JSON); migrates older versions first. */
export function validateConfig(raw: unknown): ValidationResult {
  if (!isObject(raw)) return { problems: [{ path: '$', message: 'settings must be a JSON object' }] };
  const structural = structureProblems(raw);
  if (structural.some((p) => p.message.startsWith('nesting'))) return { problems: structural };

  const migrated = migrateConfig(raw);
  const forbidden = new Set(structural.map((p) => p.path));
  const problems = [
    ...structural,
    ...schemaProblems(migrated).filter((p) => !forbidden.has(p.path)),
    ...crossFieldProblems(migrated),
  ];
  if (problems.length > 0) return { problems };
  return { config: fillDefaults(migrated), problems: [] };
}

/** Settings with every optional field filled from the defaults. Input must already be valid. */
function fillDefaults(raw: Record<string, any>): PortcullisConfig {
  const input = structuredClone(raw);
  const idp = input.builtinIdp ?? {};
  return {
    version: CURRENT_CONFIG_VERSION,
    upstreams: input.upstreams.map(withUpstreamDefaults),
    providers: input.providers,
    builtinIdp: {
      // Token lifetimes, clock skew and service clients stay as written: the provider has their defaults.
      ...idp,
      port: idp.port ?? DEFAULT_BUILTIN_IDP_PORT,
      users: (idp.users ?? structuredClone(DEFAULT_CONFIG.builtinIdp.users)).map(
        (p: Partial<Persona> & Pick<Persona, 'username' | 'email'>): Persona => ({ name: p.username, groups: [], ...p }),
      ),
    },
    console: input.console ?? { port: DEFAULT_CONSOLE_PORT },
  };
}

// Keys that could pollute prototypes in code that copies settings around, and nesting so deep
// that recursive code would overflow the stack, are refused before anything else looks at them.
function structureProblems(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: raw, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth > MAX_DEPTH) return [{ path, message: `nesting deeper than ${MAX_DEPTH} levels is not valid settings` }];
    for (const [key, value] of Object.entries(node)) {
      const child = childPath(path, Array.isArray(node) ? Number(key) : key);
      if (FORBIDDEN_KEYS.has(key)) problems.push({ path: child, message: `forbidden key "${key}"` });
      else stack.push({ node: value, path: child, depth: depth + 1 });
    }
  }
  return problems.sort((a, b) => a.path.localeCompare(b.path));
}

function schemaProblems(data: unknown): ConfigProblem[] {
  const validate = compiled.config;
  if (validate(data)) return [];
  const problems = (validate.errors ?? []).map((error) => describeSchemaError(error, data));
  return dedupe(problems);
}

function describeSchemaError(error: ErrorObject, data: unknown): ConfigProblem {
  const at = pointerToPath(error.instancePath, data);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const refused = refusedKeyReason(key, error.data);
      if (refused) return { path: childPath(at, key), message: refused };
      const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      const guess = closest(key, known);
      const hint = guess ? ` (did you mean "${guess}"?)` : known.length ? `; known keys: ${known.join(', ')}` : '';
      return { path: childPath(at, key), message: `unknown key "${key}"${hint}` };
    }
    case 'required':
      return { path: childPath(at, String(params.missingProperty)), message: 'is required' };
    case 'type':
      if (at.endsWith('.clientSecret')) return { path: at, message: SECRET_SHAPE };
      return { path: at, message: `must be ${article(String(params.type))}, not ${describeValue(error.data)}` };
    case 'minProperties':
    case 'maxProperties':
      if (at.endsWith('.clientSecret')) return { path: at, message: SECRET_SHAPE };
      break;
    case 'pattern':
      if (at.endsWith('.id') || at.endsWith('.provider') || at.endsWith('.clientId')) return { path: at, message: `must be ${ID_RULE}` };
      if (at.endsWith('.username')) return { path: at, message: 'must be 1-64 letters, digits, ".", "_", "@" or "-"' };
      break;
    case 'minimum':
    case 'maximum':
      if (at.endsWith('.port')) return { path: at, message: `must be a port number from 0 to 65535, not ${describeValue(error.data)}` };
      if (at === '$.version' && error.keyword === 'maximum')
        return {
          path: at,
          message: `was written by a newer Portcullis (settings version ${String(error.data)}); this one reads versions up to ${CURRENT_CONFIG_VERSION}`,
        };
      break;
    case 'discriminator':
      return { path: childPath(at, 'type'), message: 'must be one of "builtin", "oidc", "github"' };
    case 'minLength':
      if (params.limit === 1) return { path: at, message: 'must not be empty' };
      break;
  }
  return { path: at, message: error.message ?? 'is not valid' };
}

const SECRET_SHAPE = 'must be a string, { "env": "NAME" } or { "secretRef": "REF" }';

function crossFieldProblems(config: Record<string, any>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const upstreams = arrayAt(config, 'upstreams');
  const providers = arrayAt(config, 'providers');

  duplicates(upstreams, (u) => u?.id, (i) => `$.upstreams[${i}].id`, 'upstream id', add);
  duplicates(providers, (p) => p?.id, (i) => `$.providers[${i}].id`, 'provider id', add);
  portProblems(config, upstreams, add);

  const providerIds = new Set(providers.map((p) => p?.id).filter((id) => typeof id === 'string'));
  upstreams.forEach((upstream, i) => {
    if (!isObject(upstream)) return;
    const at = `$.upstreams[${i}]`;
    const provider = upstream.provider ?? 'builtin';
    if (typeof provider === 'string' && !providerIds.has(provider)) {
      if (provider === 'builtin')
        add(`${at}.provider`, 'uses the built-in identity provider, but $.providers has no { "id": "builtin", "type": "builtin" } entry');
      else add(`${at}.provider`, `unknown provider "${provider}"; defined: ${[...providerIds].join(', ') || 'none'}`);
    }
    if (typeof upstream.target === 'string') checkHttpUrl(upstream.target, `${at}.target`, add);
    const listen = upstream.listen;
    if (isObject(listen) && typeof listen.host === 'string') {
      if (!isIP(listen.host) && !HOSTNAME.test(listen.host)) add(`${at}.listen.host`, `"${listen.host}" is not an IP address or host name`);
      else if (!isLoopback(listen.host) && upstream.allowNonLoopback !== true)
        add(
          `${at}.listen.host`,
          `${listen.host} is reachable from other machines; set "allowNonLoopback": true on this upstream to allow that`,
        );
    }
    stringsAt(upstream, 'redirectOrigins').forEach(([value, j]) => checkOrigin(value, `${at}.redirectOrigins[${j}]`, add));
    stringsAt(upstream, 'allowedEmails').forEach(([value, j]) => {
      if (!isEmail(value)) add(`${at}.allowedEmails[${j}]`, `"${value}" is not an email address (needs exactly one "@")`);
    });
    stringsAt(upstream, 'emailDomains').forEach(([value, j]) => {
      if (value !== '*' && !HOSTNAME.test(value.replace(/^\*?\./, '')))
        add(`${at}.emailDomains[${j}]`, `"${value}" is not a domain (write "example.com", or "*" for any)`);
    });
    claimHeaderProblems(upstream.claimHeaders, `${at}.claimHeaders`, add);
    const providerType = providers.find((p) => isObject(p) && p.id === provider)?.type;
    if (upstream.bearerTokens === true && providerType === 'github')
      add(`${at}.bearerTokens`, `provider "${provider}" is a GitHub provider: its tokens are opaque, not JWTs, so they cannot be checked as bearer tokens`);
    for (const field of ['skipAuthRoutes', 'apiRoutes'] as const) {
      stringsAt(upstream, field).forEach(([value, j]) => {
        try {
          parseRouteRule(value);
        } catch (error) {
          add(`${at}.${field}[${j}]`, `route rule "${value}": ${(error as Error).message}`);
        }
      });
    }
    pathRouteProblems(arrayAt(upstream, 'paths'), at, (value, path) => checkHttpUrl(value, path, add), add);
    accessRuleProblems(arrayAt(upstream, 'rules'), at, add);
  });

  providers.forEach((provider, i) => {
    if (!isObject(provider)) return;
    const at = `$.providers[${i}]`;
    if (provider.type === 'oidc' && typeof provider.issuer === 'string') checkHttpUrl(provider.issuer, `${at}.issuer`, add);
    if (provider.type === 'oidc' && isObject(provider.authParams))
      for (const key of Object.keys(provider.authParams))
        if (FLOW_PARAMS.has(key.toLowerCase()))
          add(
            childPath(`${at}.authParams`, key),
            key.toLowerCase() === 'scope'
              ? 'cannot be set here; list the scopes in "scopes" instead'
              : `"${key}" is set by Portcullis on every sign-in and cannot be overridden`,
          );
    if (provider.type === 'github' && provider.team !== undefined && provider.org === undefined)
      add(`${at}.team`, 'has no "org": a GitHub team belongs to an organization, so set "org" too (without it the team restricts nothing)');
    for (const key of ['baseUrl', 'apiUrl'])
      if (provider.type === 'github' && typeof provider[key] === 'string') checkHttpUrl(provider[key], `${at}.${key}`, add);
    secretProblems(provider.clientSecret, `${at}.clientSecret`, add);
  });

  builtinIdpProblems(isObject(config.builtinIdp) ? config.builtinIdp : {}, add);
  return problems;
}

function builtinIdpProblems(idp: Record<string, any>, add: (path: string, message: string) => void) {
  const users = arrayAt(idp, 'users');
  duplicates(users, (u) => u?.username, (i) => `$.builtinIdp.users[${i}].username`, 'persona username', add);
  users.forEach((user, i) => {
    if (!isObject(user)) return;
    if (typeof user.email === 'string' && !isEmail(user.email))
      add(`$.builtinIdp.users[${i}].email`, `"${user.email}" is not an email address (needs exactly one "@")`);
    claimsProblems(user.claims, `$.builtinIdp.users[${i}].claims`, add);
  });
  const clients = arrayAt(idp, 'clients');
  duplicates(clients, (c) => c?.clientId, (i) => `$.builtinIdp.clients[${i}].clientId`, 'service client id', add);
  clients.forEach((client, i) => {
    if (!isObject(client)) return;
    const at = `$.builtinIdp.clients[${i}]`;
    if (client.clientId === BUILTIN_CLIENT_ID)
      add(`${at}.clientId`, `"${BUILTIN_CLIENT_ID}" is the client id the built-in provider knows Portcullis by; choose another`);
    secretProblems(client.clientSecret, `${at}.clientSecret`, add);
    claimsProblems(client.claims, `${at}.claims`, add);
  });
}

/** A secret's shape is the schema's; what it names must be usable. */
/** Claim header names must be usable HTTP header names the proxy does not manage itself; paths must name claims. */
function claimHeaderProblems(claimHeaders: unknown, at: string, add: (path: string, message: string) => void) {
  if (!isObject(claimHeaders)) return;
  const seen = new Map<string, string>();
  for (const [name, path] of Object.entries(claimHeaders)) {
    const problem = claimHeaderNameProblem(name);
    if (problem) add(childPath(at, name), problem);
    const canonical = canonicalHeaderName(name);
    const first = seen.get(canonical);
    if (first !== undefined) add(childPath(at, name), `header ${name} is the same header as ${first} (names ignore case and _/-)`);
    seen.set(canonical, name);
    const pathProblem = typeof path === 'string' ? claimPathProblem(path) : undefined;
    if (pathProblem) add(childPath(at, name), pathProblem);
  }
}

function secretProblems(secret: unknown, at: string, add: (path: string, message: string) => void) {
  if (!isObject(secret)) return;
  if (typeof secret.env === 'string' && !ENV_NAME.test(secret.env))
    add(`${at}.env`, secret.env === '' ? 'names no environment variable (it is empty)' : `"${secret.env}" is not an environment variable name`);
  if (secret.secretRef === '') add(`${at}.secretRef`, 'names no secret (it is empty)');
}

/** Claims for the built-in provider's tokens: none the protocol sets, and small enough to travel in headers. */
function claimsProblems(claims: unknown, at: string, add: (path: string, message: string) => void) {
  if (!isObject(claims)) return;
  for (const name of Object.keys(claims)) {
    const problem = protocolClaimProblem(name);
    if (problem) add(childPath(at, name), problem);
  }
  const bytes = Buffer.byteLength(JSON.stringify(claims));
  if (bytes > MAX_CLAIMS_BYTES)
    add(at, `take ${bytes} bytes as JSON, more than ${MAX_CLAIMS_BYTES} (16 KiB): claims travel in every token and in headers`);
}

// Each port may be bound once: upstream listeners, the built-in IdP and the console share the
// machine, and session cookies are named by port.
function portProblems(config: Record<string, any>, upstreams: any[], add: (path: string, message: string) => void) {
  const seen = new Map<number, string>();
  const claim = (port: unknown, path: string) => {
    if (typeof port !== 'number' || port === 0) return;
    const first = seen.get(port);
    if (first) add(path, `port ${port} is already used by ${first}`);
    else seen.set(port, path);
  };
  // The built-in IdP only runs (and binds its port) when a provider uses it.
  if (usesBuiltinIdp(arrayAt(config, 'providers'))) {
    const idpPort = isObject(config.builtinIdp) ? config.builtinIdp.port : undefined;
    claim(idpPort ?? DEFAULT_BUILTIN_IDP_PORT, idpPort === undefined ? '$.builtinIdp.port (default)' : '$.builtinIdp.port');
  }
  const consolePort = isObject(config.console) ? config.console.port : undefined;
  claim(consolePort ?? DEFAULT_CONSOLE_PORT, consolePort === undefined ? '$.console.port (default)' : '$.console.port');
  upstreams.forEach((u, i) => claim(u?.listen?.port, `$.upstreams[${i}].listen.port`));
  // A target that is one of our own listeners would send every request round in a loop.
  upstreams.forEach((u, i) => {
    const target = typeof u?.target === 'string' ? URL.parse(u.target) : null;
    if (!target || !isLoopback(target.hostname.replace(/^\[|\]$/g, ''))) return;
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    const owner = seen.get(port);
    if (owner) add(`$.upstreams[${i}].target`, `points at Portcullis's own listener (${owner}): requests would loop`);
  });
}

function usesBuiltinIdp(providers: unknown[]): boolean {
  return providers.some((p) => isObject(p) && p.type === 'builtin');
}

function duplicates(
  items: any[],
  keyOf: (item: any) => unknown,
  pathOf: (index: number) => string,
  what: string,
  add: (path: string, message: string) => void,
) {
  const seen = new Map<unknown, number>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (typeof key !== 'string') return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else add(pathOf(i), `duplicate ${what} "${key}" (first used at ${pathOf(first)})`);
  });
}

function checkHttpUrl(value: string, path: string, add: (path: string, message: string) => void) {
  const url = URL.parse(value);
  if (!url) return add(path, `"${value}" is not an absolute URL`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return add(path, `must be an http:// or https:// URL, not ${url.protocol}`);
  if (!url.hostname) return add(path, `"${value}" has no host`);
  if (url.username || url.password) return add(path, 'must not contain a user name or password');
  if (url.hash) add(path, 'must not contain a #fragment');
}

function checkOrigin(value: string, path: string, add: (path: string, message: string) => void) {
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return add(path, `"${value}" is not an http(s) origin (write e.g. http://localhost:8080)`);
  if (url.origin !== value) add(path, `"${value}" is not a bare origin; write "${url.origin}"`);
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

function isEmail(value: string): boolean {
  const parts = value.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '' && !/\s/.test(value);
}

/** Problems with a config that still runs: printed by `check` and shown in the UI. */
export function warningsFor(config: PortcullisConfig): string[] {
  const warnings: string[] = [];
  const providers = new Map<string, ProviderConfig>(config.providers.map((p) => [p.id, p]));
  for (const upstream of config.upstreams) {
    if (!isLoopback(upstream.listen.host))
      warnings.push(`upstream ${upstream.id} listens on ${upstream.listen.host}: reachable from other machines`);
    const provider = providers.get(upstream.provider);
    if (provider && provider.type !== 'builtin' && opensToEveryone(upstream, provider))
      warnings.push(
        `upstream ${upstream.id}: any account at provider ${provider.id} may sign in (no allowedGroups, allowedEmails, email domain or org restriction)`,
      );
    if (upstream.passAccessToken && upstream.setXAuthRequest)
      warnings.push(`upstream ${upstream.id}: the access token is also returned to the browser in X-Auth-Request-Access-Token`);
  }
  config.providers.forEach((provider, i) => {
    if ('clientSecret' in provider && typeof provider.clientSecret === 'string')
      warnings.push(
        `$.providers[${i}].clientSecret is written in the settings in clear text; prefer { "env": "NAME" } or the secret store`,
      );
  });
  return warnings;
}

function opensToEveryone(upstream: UpstreamConfig, provider: ProviderConfig): boolean {
  const restricted =
    upstream.allowedGroups.length > 0 ||
    upstream.allowedRoles.length > 0 ||
    upstream.allowedEmails.length > 0 ||
    !upstream.emailDomains.includes('*') ||
    (provider.type === 'github' && Boolean(provider.org));
  return !restricted;
}

/** Ports that cannot be bound right now (for `portcullis check`): each named by its path. */
export async function findPortsInUse(config: PortcullisConfig): Promise<ConfigProblem[]> {
  const wanted: Array<{ host: string; port: number; path: string }> = [
    ...config.upstreams.map((u, i) => ({ ...u.listen, path: `$.upstreams[${i}].listen.port` })),
    ...(usesBuiltinIdp(config.providers) ? [{ host: '127.0.0.1', port: config.builtinIdp.port, path: '$.builtinIdp.port' }] : []),
    ...(config.console ? [{ host: '127.0.0.1', port: config.console.port, path: '$.console.port' }] : []),
  ].filter((w) => w.port !== 0);
  const results = await Promise.all(wanted.map(async (w) => ({ path: w.path, message: await probePort(w.host, w.port) })));
  return results.filter((r): r is ConfigProblem => r.message !== undefined);
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

function article(type: string): string {
  const words: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', array: 'an array', object: 'an object' };
  return type.split(',').map((t) => words[t] ?? t).join(' or ');
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.path + '\0' + p.message) && Boolean(seen.add(p.path + '\0' + p.message)));
}

function isObject(value: unknown): value is Record<string, any> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

function arrayAt(node: Record<string, any>, key: string): any[] {
  return Array.isArray(node[key]) ? node[key] : [];
}

function stringsAt(node: Record<string, any>, key: string): Array<[string, number]> {
  return arrayAt(node, key).flatMap((value, i): Array<[string, number]> => (typeof value === 'string' ? [[value, i]] : []));
}
