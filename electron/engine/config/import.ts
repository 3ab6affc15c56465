// Reads an existing oauth2-proxy setup — a `.cfg` file, an env file of OAUTH2_PROXY_* lines,
// or a docker-compose file running oauth2-proxy — and turns it into Portcullis settings.
// Client secrets become `{ env }` references; secret values are never copied or printed.
// The formats are read by libraries: TOML (smol-toml), env files (dotenv's parser), shell words
// (shell-quote) and YAML (yaml); this file only maps oauth2-proxy's options onto Portcullis's.
import { parse as parseEnv } from 'dotenv';
import { parse as parseShellWords } from 'shell-quote';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import type { PathRoute } from './types.ts';
import type { ImportFormat } from './production-formats.ts';
import type { PortcullisConfig, ProviderConfig, UpstreamConfig } from './types.ts';
import { DEFAULT_BUILTIN_IDP_PORT, DEFAULT_CONFIG, DEFAULT_CONSOLE_PORT, withUpstreamDefaults } from './defaults.ts';
import { ConfigError } from './errors.ts';
import { validateConfig } from './validate.ts';
import { appTargetFromCompose, publishedPorts } from './compose-app.ts';

export interface ImportResult {
  config: PortcullisConfig;
  /** Keys that were not imported and problems with the result, in words (never values). */
  warnings: string[];
}

type Value = string | boolean | string[];
type Options = Map<string, Value>;

// Keys that hold lists; flags and env vars for them may repeat or be comma-separated.
const LIST_KEYS = new Set([
  'upstreams', 'email_domains', 'allowed_groups', 'allowed_roles', 'skip_auth_routes', 'api_routes', 'whitelist_domains', 'skip_auth_regex', 'extra_jwt_issuers',
]);
// oauth2-proxy flag names are singular where the config key is plural.
const FLAG_ALIASES: Record<string, string> = {
  upstream: 'upstreams',
  email_domain: 'email_domains',
  allowed_group: 'allowed_groups',
  allowed_role: 'allowed_roles',
  skip_auth_route: 'skip_auth_routes',
  api_route: 'api_routes',
  whitelist_domain: 'whitelist_domains',
};
// Settings that only matter to a deployed oauth2-proxy: Portcullis handles them itself.
const HANDLED_LOCALLY = new Set([
  'cookie_secret', 'cookie_name', 'cookie_secure', 'cookie_domains', 'cookie_domain', 'cookie_expire', 'cookie_refresh',
  'cookie_samesite', 'cookie_httponly', 'cookie_path', 'redirect_url', 'reverse_proxy', 'session_store_type', 'redis_connection_url',
  'skip_provider_button', 'proxy_websockets', 'code_challenge_method', 'insecure_oidc_allow_unverified_email', 'ssl_insecure_skip_verify',
]);
const MAPPED = new Set([
  'upstreams', 'http_address', 'provider', 'provider_display_name', 'oidc_issuer_url', 'client_id', 'client_secret', 'scope',
  'oidc_groups_claim', 'allowed_groups', 'email_domains', 'skip_auth_routes', 'skip_auth_regex', 'skip_auth_preflight', 'api_routes',
  'pass_access_token', 'pass_authorization_header', 'set_xauthrequest', 'pass_user_headers', 'whitelist_domains', 'github_org', 'github_team',
  'allowed_roles', 'skip_jwt_bearer_tokens', 'extra_jwt_issuers', 'oidc_email_claim',
]);
const SECRET_ENV = 'OAUTH2_PROXY_CLIENT_SECRET';


/** `format` overrides what the file name and the text suggest (the UI's paste box has no name). */
export function importConfig(text: string, fileName: string, format: ImportFormat = detectFormat(text, fileName)): ImportResult {
  const warnings: string[] = [];
  const options = format === 'compose' ? fromCompose(text, warnings) : format === 'env' ? fromEnv(text, warnings) : fromCfg(text, warnings);
  const config = toPortcullis(options, warnings);
  for (const key of options.keys())
    if (!MAPPED.has(key))
      warnings.push(HANDLED_LOCALLY.has(key) ? `${key}: not needed locally (Portcullis handles it)` : `${key}: not imported (Portcullis has no equivalent)`);
  const { problems } = validateConfig(config);
  for (const problem of problems) warnings.push(`${problem.path}: ${problem.message}`);
  return { config, warnings };
}

function detectFormat(text: string, fileName: string): ImportFormat {
  if (/\.ya?ml$/i.test(fileName) || /^services\s*:/m.test(text)) return 'compose';
  if (/(^|\/)\.env|\.env$/i.test(fileName) || /^\s*(export\s+)?OAUTH2_PROXY_[A-Z0-9_]+\s*=/m.test(text)) return 'env';
  return 'cfg';
}

function setOption(options: Options, rawKey: string, value: Value) {
  const lower = rawKey.toLowerCase().replace(/-/g, '_');
  const key = FLAG_ALIASES[lower] ?? lower;
  if (!LIST_KEYS.has(key)) return void options.set(key, typeof value === 'string' ? coerce(value) : value);
  const items = Array.isArray(value) ? value : String(value).split(',').map((s) => s.trim()).filter(Boolean);
  const existing = options.get(key);
  options.set(key, [...(Array.isArray(existing) ? existing : []), ...items]);
}

const coerce = (value: string): Value => (value === 'true' ? true : value === 'false' ? false : value);

// ---- oauth2-proxy .cfg: TOML (`key = value` with strings, arrays, booleans and numbers).

function fromCfg(text: string, warnings: string[]): Options {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (error) {
    throw cfgError(text, error);
  }
  const options: Options = new Map();
  for (const [key, value] of Object.entries(doc)) {
    const scalar = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined);
    if (typeof value === 'boolean') setOption(options, key, value);
    else if (scalar(value) !== undefined) setOption(options, key, scalar(value)!);
    else if (Array.isArray(value) && value.every((item) => scalar(item) !== undefined)) setOption(options, key, value.map((item) => scalar(item)!));
    else warnings.push(`${key}: not imported (oauth2-proxy settings are strings, numbers, true/false or lists)`);
  }
  return options;
}

const KEY_LINE = /^\s*[A-Za-z0-9_-]+\s*=/;

// The parser reports where it gave up (for an unclosed array, the end of the file); the user is
// told which setting it was reading. Only the parser's first line is kept: the rest quotes the
// file, which may hold a secret.
function cfgError(text: string, error: unknown): ConfigError {
  const lines = text.split(/\r?\n/);
  const at = error instanceof TomlError ? error.line : 1;
  let start = Math.min(at, lines.length);
  while (start > 1 && !KEY_LINE.test(lines[start - 1])) start--;
  const inSetting = KEY_LINE.test(lines[start - 1] ?? '');
  const detail = (error as Error).message.split('\n')[0].replace(/^Invalid TOML document: /, '');
  const message = inSetting ? 'cannot read this value (expected "string", [array], true, false or a number)' : 'expected key = value';
  return new ConfigError([{ path: `line ${inSetting ? start : at}`, message: `${message}: ${detail}` }], 'cannot read the oauth2-proxy config');
}

// ---- env files: OAUTH2_PROXY_NAME=value, optionally `export` and quoted.

function fromEnv(text: string, warnings: string[]): Options {
  const options: Options = new Map();
  for (const [name, value] of Object.entries(parseEnv(text))) addEnv(options, name, value, warnings);
  return options;
}

function addEnv(options: Options, name: string, value: string, warnings: string[]) {
  if (!name.startsWith('OAUTH2_PROXY_')) return void warnings.push(`${name}: not an oauth2-proxy variable, ignored`);
  setOption(options, name.slice('OAUTH2_PROXY_'.length), value);
}

// ---- docker-compose: the oauth2-proxy service's command flags and environment.

function fromCompose(text: string, warnings: string[]): Options {
  let doc: any;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new ConfigError([{ path: '$', message: `not valid YAML: ${(error as Error).message}` }], 'cannot read the compose file');
  }
  const services: Record<string, any> = doc && typeof doc.services === 'object' ? doc.services : {};
  const entry = Object.entries(services).find(
    ([name, service]) => /oauth2[-_]?proxy/i.test(String(service?.image ?? '')) || /oauth2[-_]?proxy/i.test(name),
  );
  if (!entry) throw new ConfigError([{ path: '$.services', message: 'no oauth2-proxy service (by image or name) found' }], 'cannot read the compose file');
  const [, service] = entry;
  const options: Options = new Map();
  const environment = service.environment ?? {};
  const pairs: Array<[string, string]> = Array.isArray(environment)
    ? environment.map((item: string) => {
        const at = String(item).indexOf('=');
        return at < 0 ? [String(item), ''] : [String(item).slice(0, at), String(item).slice(at + 1)];
      })
    : Object.entries(environment).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]);
  for (const [name, value] of pairs) addEnv(options, name, value, warnings);
  const command: string[] = Array.isArray(service.command) ? service.command.map(String) : splitCommand(String(service.command ?? ''));
  for (let i = 0; i < command.length; i++) {
    const flag = /^--?([A-Za-z0-9-]+)(?:=(.*))?$/s.exec(command[i]);
    if (!flag) continue;
    const next = command[i + 1];
    const value = flag[2] ?? (next !== undefined && !next.startsWith('-') ? (i++, next) : 'true');
    setOption(options, flag[1], value);
  }
  rewriteComposeTarget(options, services, warnings);
  const upstreams = options.get('upstreams');
  if (!Array.isArray(upstreams) || !/^https?:/i.test(upstreams[0] ?? '')) {
    // `static://202` and the like answer auth requests only; the app is another service.
    const target = appTargetFromCompose(services, warnings);
    if (target) options.set('upstreams', [target]);
    else options.delete('upstreams');
  }
  return options;
}

// Compose splits a string command into words the way a shell would, without expanding
// variables (it interpolates ${VAR} itself, before this point) or running operators.
function splitCommand(command: string): string[] {
  return parseShellWords(command, (name) => `$${name}`).flatMap((word) => {
    if (typeof word === 'string') return [word];
    if ('comment' in word) return [];
    return [word.op === 'glob' ? word.pattern : word.op];
  });
}

// Inside compose, upstreams name other services (http://app:8501); Portcullis runs on the host,
// where such a service is reached through the port it publishes.
function rewriteComposeTarget(options: Options, services: Record<string, any>, warnings: string[]) {
  const upstreams = options.get('upstreams');
  if (!Array.isArray(upstreams) || upstreams.length === 0) return;
  const url = URL.parse(upstreams[0]);
  if (!url || !Object.hasOwn(services, url.hostname)) return;
  const containerPort = url.port || (url.protocol === 'https:' ? '443' : '80');
  const published = publishedPorts(services[url.hostname]).find((p) => p.container === containerPort);
  if (published) {
    const service = url.hostname;
    url.hostname = '127.0.0.1';
    url.port = published.host;
    upstreams[0] = url.href.replace(/\/$/, '');
    warnings.push(`upstreams: compose service "${service}" is reached at ${upstreams[0]} from your machine (its published port)`);
  } else warnings.push(`upstreams: "${url.hostname}" is a compose service name; set target to the address the app has on your machine`);
}

// ---- mapping oauth2-proxy options onto Portcullis settings.

function toPortcullis(options: Options, warnings: string[]): PortcullisConfig {
  const str = (key: string) => (typeof options.get(key) === 'string' ? (options.get(key) as string) : undefined);
  const list = (key: string) => (Array.isArray(options.get(key)) ? (options.get(key) as string[]) : []);
  const bool = (key: string) => (typeof options.get(key) === 'boolean' ? (options.get(key) as boolean) : undefined);

  const { target, paths } = targetAndPaths(list('upstreams'), warnings);
  const provider = importProvider(options, str, warnings);
  const roles = importRoles(list('allowed_roles'), str('provider'), provider, warnings);
  if (provider?.type === 'oidc' && roles.rolesClaim) provider.rolesClaim = roles.rolesClaim;
  const extraAudiences = importExtraIssuers(list('extra_jwt_issuers'), provider, warnings);
  checkEmailClaim(str('oidc_email_claim'), warnings);

  const skipAuthRoutes = [...list('skip_auth_routes'), ...list('skip_auth_regex')];
  if (bool('skip_auth_preflight')) skipAuthRoutes.push('OPTIONS=.*');
  const upstream: UpstreamConfig = withUpstreamDefaults({
    id: 'app',
    listen: listenAddress(str('http_address'), warnings),
    target,
    ...(paths.length ? { paths } : {}),
    provider: provider?.id ?? 'builtin',
    allowedGroups: list('allowed_groups'),
    ...(roles.allowedRoles.length ? { allowedRoles: roles.allowedRoles } : {}),
    ...(extraAudiences.length ? { extraAudiences } : {}),
    ...(options.has('email_domains') ? { emailDomains: list('email_domains') } : {}),
    skipAuthRoutes,
    apiRoutes: list('api_routes'),
    redirectOrigins: redirectOrigins(list('whitelist_domains'), warnings),
    ...definedFlags({
      passAccessToken: bool('pass_access_token'),
      passAuthorizationHeader: bool('pass_authorization_header'),
      setXAuthRequest: bool('set_xauthrequest'),
      passUserHeaders: bool('pass_user_headers'),
      bearerTokens: bool('skip_jwt_bearer_tokens'),
    }),
  });
  const builtin: ProviderConfig = { id: 'builtin', type: 'builtin' };
  const used = new Set([upstream.listen.port]);
  const freePort = (port: number): number => (used.has(port) ? freePort(port + 1) : (used.add(port), port));
  return {
    version: DEFAULT_CONFIG.version,
    upstreams: [upstream],
    providers: provider ? [provider, builtin] : [builtin],
    builtinIdp: { ...structuredClone(DEFAULT_CONFIG.builtinIdp), port: freePort(DEFAULT_BUILTIN_IDP_PORT) },
    console: { port: freePort(DEFAULT_CONSOLE_PORT) },
  };
}

/**
 * oauth2-proxy routes by the path of each upstream URL and forwards the whole request path: the
 * URL on `/` becomes the target, every other one a `paths` entry (prefix kept) on its origin.
 */
function targetAndPaths(upstreams: string[], warnings: string[]): { target: string; paths: PathRoute[] } {
  const parsed = upstreams.map((raw) => ({ raw, url: URL.parse(raw) }));
  for (const { raw, url } of parsed) if (!url) warnings.push(`upstreams: "${raw}" is not a URL, not imported`);
  const urls = parsed.flatMap(({ url }) => (url ? [url] : []));
  if (urls.length === 0) return { target: 'http://127.0.0.1:8501', paths: [] };
  let root = urls.findIndex((u) => u.pathname === '/');
  if (root === -1) {
    root = 0;
    if (urls.length > 1) warnings.push(`upstreams: no upstream serves "/", so ${urls[0].href} becomes the target for every path no other upstream takes`);
  }
  const target = urls.length === 1 ? urls[0].href.replace(/\/$/, '') : urls[root].origin;
  const paths = urls.filter((_, i) => i !== root).map((u) => ({ path: u.pathname, target: u.origin }));
  return { target, paths };
}

function importProvider(options: Options, str: (key: string) => string | undefined, warnings: string[]): ProviderConfig | undefined {
  const type = str('provider');
  const clientId = str('client_id') ?? 'CHANGE-ME';
  // The value itself is never copied: the settings point at the variable oauth2-proxy reads too.
  const clientSecret = options.has('client_secret') || type ? { env: SECRET_ENV } : undefined;
  if (options.has('client_secret')) warnings.push(`client_secret: not copied; Portcullis reads it from the environment variable ${SECRET_ENV}`);
  if (!type && !str('oidc_issuer_url')) return undefined;
  if (type === 'github') {
    const org = str('github_org');
    const team = str('github_team');
    return { id: 'github', type: 'github', clientId, ...(clientSecret ? { clientSecret } : {}), ...(org ? { org } : {}), ...(team ? { team } : {}) };
  }
  const issuer = str('oidc_issuer_url') ?? (type === 'google' ? 'https://accounts.google.com' : undefined);
  if (!issuer) {
    warnings.push(`provider: "${type}" without oidc_issuer_url is not imported; the upstream uses the built-in provider`);
    return undefined;
  }
  const scope = str('scope');
  const groupsClaim = str('oidc_groups_claim');
  return {
    id: type && type !== 'oidc' ? type.replace(/[^A-Za-z0-9_.-]/g, '-') : 'oidc',
    type: 'oidc',
    ...(str('provider_display_name') ? { name: str('provider_display_name') } : {}),
    issuer,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(scope ? { scopes: scope.split(/\s+/).filter(Boolean) } : {}),
    ...(groupsClaim ? { groupsClaim } : {}),
  };
}

/**
 * oauth2-proxy's keycloak-oidc provider checks `allowed_roles` against the token's realm roles
 * (`realm_access.roles`) and, written `client:role`, a client's roles
 * (`resource_access.<client>.roles`). Portcullis reads roles through one `rolesClaim`, so the
 * roles of one kind are imported and any others named in a warning.
 */
function importRoles(allowed: string[], type: string | undefined, provider: ProviderConfig | undefined, warnings: string[]): { allowedRoles: string[]; rolesClaim?: string } {
  const keycloak = type === 'keycloak-oidc' && provider?.type === 'oidc';
  if (allowed.length === 0) return keycloak ? { allowedRoles: [], rolesClaim: REALM_ROLES } : { allowedRoles: [] };
  if (provider?.type !== 'oidc') {
    warnings.push(`allowed_roles: not imported; roles come from an OpenID provider's tokens, and this upstream's provider is ${provider ? 'GitHub' : 'the built-in one'}`);
    return { allowedRoles: [] };
  }
  if (!keycloak) warnings.push('allowed_roles: oauth2-proxy checks roles only with the keycloak-oidc provider; imported as allowedRoles read from realm_access.roles');
  const byClaim = new Map<string, string[]>();
  for (const entry of allowed) {
    const colon = entry.indexOf(':');
    const claim = colon > 0 ? `resource_access.${entry.slice(0, colon)}.roles` : REALM_ROLES;
    byClaim.set(claim, [...(byClaim.get(claim) ?? []), colon > 0 ? entry.slice(colon + 1) : entry]);
  }
  const [[rolesClaim, allowedRoles], ...others] = byClaim;
  for (const [claim, roles] of others)
    warnings.push(`allowed_roles: ${roles.join(', ')} (from ${claim}) not imported; a provider reads roles from one rolesClaim, here ${rolesClaim}`);
  return { allowedRoles, rolesClaim };
}

const REALM_ROLES = 'realm_access.roles';

/**
 * `extra_jwt_issuers` lists `issuer=audience` pairs whose bearer tokens oauth2-proxy also accepts.
 * Portcullis accepts the tokens of the upstream's own provider only, with extra audiences: a pair
 * naming that provider's issuer becomes an `extraAudiences` entry, any other issuer a warning.
 */
function importExtraIssuers(pairs: string[], provider: ProviderConfig | undefined, warnings: string[]): string[] {
  const own = provider?.type === 'oidc' ? sameIssuer(provider.issuer) : undefined;
  const audiences: string[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const issuer = at > 0 ? pair.slice(0, at) : '';
    const audience = at > 0 ? pair.slice(at + 1) : '';
    if (!issuer || !audience) warnings.push(`extra_jwt_issuers: "${pair}" is not issuer=audience, not imported`);
    else if (own !== undefined && sameIssuer(issuer) === own) audiences.push(audience);
    else
      warnings.push(
        `extra_jwt_issuers: ${issuer}=${audience} not imported; Portcullis takes bearer tokens only from the upstream's own provider, so give that issuer a provider and an upstream of its own`,
      );
  }
  return [...new Set(audiences)];
}

const sameIssuer = (issuer: string): string => issuer.replace(/\/+$/, '');

/** Portcullis reads the address from the `email` claim, oauth2-proxy's default; another claim is named in a warning. */
function checkEmailClaim(claim: string | undefined, warnings: string[]) {
  if (claim !== undefined && claim !== 'email')
    warnings.push(`oidc_email_claim: "${claim}" not imported; Portcullis reads the email address from the email claim only (its value still reaches the app through claimHeaders)`);
}

function listenAddress(httpAddress: string | undefined, warnings: string[]): UpstreamConfig['listen'] {
  const match = httpAddress ? /^(?:https?:\/\/)?(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(httpAddress) : null;
  if (!match) return { host: '127.0.0.1', port: 4180 };
  const host = match[1] ?? match[2];
  if (host && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1')
    warnings.push(`http_address: ${httpAddress} becomes 127.0.0.1:${match[3]}; Portcullis listens on loopback unless told otherwise`);
  return { host: '127.0.0.1', port: Number(match[3]) };
}

// oauth2-proxy whitelists domains (optionally with a port or a leading-dot wildcard);
// Portcullis lists exact origins, so each plain domain becomes its http and https origins.
function redirectOrigins(domains: string[], warnings: string[]): string[] {
  return domains.flatMap((domain) => {
    if (domain.startsWith('.') || domain.startsWith('*') || domain.endsWith(':*')) {
      warnings.push(`whitelist_domains: "${domain}" is a wildcard; list the exact origins in redirectOrigins`);
      return [];
    }
    return ['http', 'https'].map((scheme) => `${scheme}://${domain}`).filter((o) => URL.parse(o)?.origin === o);
  });
}

function definedFlags(flags: Record<string, boolean | undefined>): Partial<UpstreamConfig> {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
}
