// Writes the production side of an upstream: the oauth2-proxy config that does what Portcullis
// does locally, or a reverse-proxy snippet (nginx, Caddy, HAProxy, Traefik) that asks that
// oauth2-proxy before passing requests to the app. Secret values are never printed.
import { stringify as toYaml } from 'yaml';
import type { PortcullisConfig, ProviderConfig, SecretValue, UpstreamConfig } from './types.ts';
import type { AccessRule } from './types.ts';
import { EXPORT_FORMATS, type ExportFormat } from './production-formats.ts';
import { backendNotes, backends, hostPort, namesWho, noteLines, prefixEdge, ruleGroups, ruleRegex, ruleRoleNotes, type Backend, type RoutedUpstream } from './export-routing.ts';

/** Where the app is served when the upstream names no front origin. */
const PLACEHOLDER_SITE = new URL('https://app.example.com');

/**
 * The front proxy's origin: the upstream's first `redirectOrigins` entry, which Portcullis also
 * trusts as a front proxy (docs/configuration.md, "Front proxies"), else a placeholder domain.
 */
function site(upstream: UpstreamConfig): URL {
  const front = upstream.redirectOrigins.map((o) => URL.parse(o)).find((u) => u && (u.protocol === 'http:' || u.protocol === 'https:'));
  return front ?? PLACEHOLDER_SITE;
}

const sitePort = (url: URL): string => url.port || (url.protocol === 'https:' ? '443' : '80');
const isLoopbackName = (hostname: string): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
/** What a front proxy binds: the loopback address itself for a loopback origin, every address otherwise. */
const bindAddress = (url: URL): string => (isLoopbackName(url.hostname) ? `${url.hostname === 'localhost' ? '127.0.0.1' : url.hostname}:${sitePort(url)}` : sitePort(url));

/** What differs between the export and production, in words; also the comment lines on top of each export. */
export function exportNotes(config: PortcullisConfig, upstreamId: string, format: ExportFormat): string[] {
  const upstream = requireUpstream(config, upstreamId);
  const provider = config.providers.find((p) => p.id === upstream.provider);
  const front = site(upstream);
  const notes: string[] = [];
  if (front === PLACEHOLDER_SITE) notes.push(`The site is the placeholder ${front.host}: put your domain there (and list its origin in redirectOrigins to try it locally).`);
  notes.push(
    front.protocol === 'http:'
      ? `TLS: ${front.origin} is plain http, as on your machine; in production serve https and keep cookie_secure on (oauth2-proxy's default).`
      : `TLS: ${front.host} needs a certificate (Caddy fetches one itself; nginx, HAProxy and Traefik need theirs configured); keep cookie_secure on.`,
  );
  notes.push('Cookie domain: Portcullis keeps a host-only cookie per listener; if several subdomains share a sign-in, set cookie_domains and whitelist_domains in oauth2-proxy.');
  if (!provider || provider.type === 'builtin')
    notes.push('Identity provider: the built-in one exists only on your machine; register the redirect URL at a real provider and fill provider, oidc_issuer_url and client_id.');
  if (format !== 'oauth2-proxy' && Object.keys(upstream.claimHeaders).length)
    notes.push(`Claim headers: oauth2-proxy answers ${Object.keys(upstream.claimHeaders).join(', ')} on /oauth2/auth only when its alpha config lists them under injectResponseHeaders (claimSource).`);
  if (format !== 'oauth2-proxy') notes.push(`This ${format} config asks oauth2-proxy at ${authAddress(upstream)}, where Portcullis listens locally: run oauth2-proxy there (see the oauth2-proxy tab).`);
  return notes;
}

function requireUpstream(config: PortcullisConfig, upstreamId: string): UpstreamConfig {
  const upstream = config.upstreams.find((u) => u.id === upstreamId);
  if (!upstream) throw new Error(`no upstream with id "${upstreamId}"; defined: ${config.upstreams.map((u) => u.id).join(', ') || 'none'}`);
  return upstream;
}

export function exportUpstream(config: PortcullisConfig, upstreamId: string, format: ExportFormat): string {
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`unknown export format "${String(format)}"; use one of ${EXPORT_FORMATS.join(', ')}`);
  const notes = exportNotes(config, upstreamId, format).map((note) => `# Differs from production: ${note}`);
  return `${notes.join('\n')}\n${body(config, requireUpstream(config, upstreamId), format)}`;
}

function body(config: PortcullisConfig, upstream: UpstreamConfig, format: ExportFormat): string {
  const provider = config.providers.find((p) => p.id === upstream.provider);
  switch (format) {
    case 'oauth2-proxy':
      return oauth2ProxyCfg(upstream, provider);
    case 'nginx':
      return nginx(upstream);
    case 'caddy':
      return caddy(upstream);
    case 'haproxy':
      return haproxy(upstream);
    case 'traefik':
      return traefik(upstream);
    default:
      throw new Error(`unknown export format "${String(format)}"; use one of ${EXPORT_FORMATS.join(', ')}`);
  }
}

/** Where the reverse proxy reaches oauth2-proxy: the upstream's listener, on loopback if it binds everything. */
function authAddress(upstream: UpstreamConfig): string {
  const host = upstream.listen.host;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return reachable.includes(':') ? `[${reachable}]:${upstream.listen.port}` : `${reachable}:${upstream.listen.port}`;
}

/**
 * The headers the auth answer carries and the reverse proxy copies to the app: the identity
 * headers, then the upstream's claim headers (docs/configuration.md, "Claims").
 */
function authHeaders(upstream: UpstreamConfig): string[] {
  const names = ['User', 'Email', 'Groups', 'Preferred-Username', ...(upstream.passAccessToken ? ['Access-Token'] : [])];
  return [...names.map((n) => `X-Auth-Request-${n}`), ...Object.keys(upstream.claimHeaders)];
}

const IDENTITY_PREFIX = 'X-Auth-Request-';
/** A name for the value of an auth answer's header in a proxy's variables: `auth_user`, `claim_x_user_tenant`. */
const headerVariable = (header: string): string =>
  header.startsWith(IDENTITY_PREFIX)
    ? `auth_${header.slice(IDENTITY_PREFIX.length).toLowerCase().replace(/-/g, '_')}`
    : `claim_${header.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;

const toml = (value: string | boolean | string[]): string =>
  Array.isArray(value) ? `[ ${value.map((v) => JSON.stringify(v)).join(', ')} ]` : typeof value === 'string' ? JSON.stringify(value) : String(value);

function secretNote(secret: SecretValue | undefined): string {
  const source =
    secret === undefined ? '' : typeof secret === 'string' ? ' (Portcullis has it in its settings)' : 'env' in secret ? ` (Portcullis reads ${secret.env})` : ` (Portcullis keeps it in its secret store as "${secret.secretRef}")`;
  return `# client_secret: set OAUTH2_PROXY_CLIENT_SECRET in the environment${source}`;
}

/** Where the exported oauth2-proxy config points for the built-in provider, which production does not have. */
const PLACEHOLDER_ISSUER = 'https://idp.example.com/';

/** `provider`: keycloak-oidc when allowed_roles is written (oauth2-proxy checks roles only there), else oidc. */
function providerLines(provider: ProviderConfig | undefined, keycloak: boolean): string[] {
  const oidcType = `provider = "${keycloak ? 'keycloak-oidc' : 'oidc'}"`;
  if (!provider || provider.type === 'builtin')
    return [
      '# Portcullis used its built-in identity provider, which exists only on your machine:',
      '# put your production provider here.',
      oidcType,
      `oidc_issuer_url = ${toml(PLACEHOLDER_ISSUER)}`,
      'client_id = "CHANGE-ME"',
      secretNote(undefined),
      ...(provider?.groupsClaim ? [`oidc_groups_claim = ${toml(provider.groupsClaim)}`] : []),
    ];
  if (provider.type === 'github')
    return [
      'provider = "github"',
      `client_id = ${toml(provider.clientId)}`,
      secretNote(provider.clientSecret),
      ...(provider.org ? [`github_org = ${toml(provider.org)}`] : []),
      ...(provider.team ? [`github_team = ${toml(provider.team)}`] : []),
      ...(provider.baseUrl ? [`# GitHub Enterprise at ${provider.baseUrl}: set login_url, redeem_url and validate_url`] : []),
    ];
  return [
    oidcType,
    `oidc_issuer_url = ${toml(provider.issuer)}`,
    `client_id = ${toml(provider.clientId)}`,
    secretNote(provider.clientSecret),
    `scope = ${toml((provider.scopes ?? ['openid', 'email', 'profile']).join(' '))}`,
    ...(provider.groupsClaim ? [`oidc_groups_claim = ${toml(provider.groupsClaim)}`] : []),
    ...Object.entries(provider.authParams ?? {}).map(
      ([key, value]) => `# authorize parameter ${key}=${value}: oauth2-proxy sets these through its alpha config (loginURLParameters)`,
    ),
  ];
}

/**
 * `allowed_roles` as oauth2-proxy's keycloak-oidc provider spells them: realm roles as they are
 * (rolesClaim `realm_access.roles`), a client's roles as `client:role`
 * (`resource_access.<client>.roles`). Roles read from any other claim cannot be written.
 */
function keycloakRoles(roles: readonly string[], provider: ProviderConfig | undefined, notes: string[]): string[] {
  if (roles.length === 0) return [];
  const claim = (provider && provider.type !== 'github' ? provider.rolesClaim : undefined) ?? 'roles';
  if (claim === 'realm_access.roles') return [...roles];
  const client = /^resource_access\.([^.]+)\.roles$/.exec(claim)?.[1];
  if (client) return roles.map((role) => `${client}:${role}`);
  notes.push(`allowedRoles (${roles.join(', ')}) read from ${claim}: oauth2-proxy checks roles only with its keycloak-oidc provider (realm_access.roles or resource_access.<client>.roles); check them in the app`);
  return [];
}

/** What oauth2-proxy's legacy config cannot say about claim headers. */
function claimHeaderNote(upstream: UpstreamConfig): string | undefined {
  const entries = Object.entries(upstream.claimHeaders);
  if (entries.length === 0) return undefined;
  return `claimHeaders (${entries.map(([name, path]) => `${name} from ${path}`).join(', ')}): oauth2-proxy sends claim headers only from its alpha config (injectRequestHeaders and injectResponseHeaders with claimSource)${entries.some(([, path]) => path === '$') ? '; "$" (all claims as JSON) has no equivalent there' : ''}`;
}

function oauth2ProxyCfg(upstream: RoutedUpstream, provider: ProviderConfig | undefined): string {
  const notes: string[] = [];
  const roles = keycloakRoles(upstream.allowedRoles, provider, notes);
  const claimNote = claimHeaderNote(upstream);
  if (claimNote) notes.push(claimNote);
  const issuer = provider?.type === 'oidc' ? provider.issuer : provider?.type === 'github' ? undefined : PLACEHOLDER_ISSUER;
  const rules = upstream.rules ?? [];
  const publicRules = rules.filter((r) => r.public).flatMap((r) => (r.methods ?? ['']).map((m) => `${m ? `${m}=` : ''}${r.path}`));
  const apiRules = rules.filter((r) => r.api && !r.public).map((r) => r.path);
  for (const r of rules) {
    if (r.public || r.api) {
      if (r.api && r.methods) notes.push(`rule ${r.id}: api_routes take no method, so it is a JSON route for every method`);
    }
    if (!r.public && (r.allowedGroups || r.allowedEmails))
      notes.push(`rule ${r.id} (${r.path}): oauth2-proxy has no per-path groups or emails; export for nginx, caddy, haproxy or traefik to check them per location`);
  }
  notes.push(...ruleRoleNotes(upstream));
  if (rules.length && rules.some((r, i) => r.public && i > 0)) notes.push('rules: oauth2-proxy checks skip_auth_routes before anything else, so a public rule wins over the rules listed before it');
  const skipAuthRoutes = [...upstream.skipAuthRoutes, ...publicRules];
  const apiRoutes = [...upstream.apiRoutes, ...apiRules];
  const lines = [
    `# oauth2-proxy configuration for "${upstream.id}", exported by Portcullis.`,
    `http_address = ${toml(authAddress(upstream))}`,
    `upstreams = ${toml(oauth2ProxyUpstreams(upstream, notes))}`,
    'reverse_proxy = true',
    site(upstream) === PLACEHOLDER_SITE
      ? `# redirect_url = "${PLACEHOLDER_SITE.origin}/oauth2/callback"`
      : `redirect_url = ${toml(`${site(upstream).origin}/oauth2/callback`)}`,
    '# cookie_secret: set OAUTH2_PROXY_COOKIE_SECRET to 32 random bytes (openssl rand -base64 32 | tr -- "+/" "-_")',
    ...providerLines(provider, roles.length > 0),
    `email_domains = ${toml(upstream.emailDomains)}`,
    ...(upstream.allowedGroups.length ? [`allowed_groups = ${toml(upstream.allowedGroups)}`] : []),
    ...(roles.length ? [`allowed_roles = ${toml(roles)}`] : []),
    ...(upstream.bearerTokens ? ['skip_jwt_bearer_tokens = true'] : []),
    ...(upstream.bearerTokens && upstream.extraAudiences.length && issuer
      ? [`extra_jwt_issuers = ${toml(upstream.extraAudiences.map((audience) => `${issuer}=${audience}`))}`]
      : []),
    ...(upstream.allowedEmails.length
      ? [`# allowed emails: list them one per line in a file named by authenticated_emails_file: ${upstream.allowedEmails.join(', ')}`]
      : []),
    ...(skipAuthRoutes.length ? [`skip_auth_routes = ${toml(skipAuthRoutes)}`] : []),
    ...(apiRoutes.length ? [`api_routes = ${toml(apiRoutes)}`] : []),
    ...(upstream.redirectOrigins.length ? [`whitelist_domains = ${toml(upstream.redirectOrigins.map((o) => new URL(o).host))}`] : []),
    `pass_user_headers = ${toml(upstream.passUserHeaders)}`,
    `pass_access_token = ${toml(upstream.passAccessToken)}`,
    `pass_authorization_header = ${toml(upstream.passAuthorizationHeader)}`,
    `set_xauthrequest = ${toml(upstream.setXAuthRequest)}`,
    `proxy_websockets = ${toml(upstream.websockets)}`,
  ];
  return `${noteLines(notes)}${lines.join('\n')}\n`;
}

/** oauth2-proxy routes by the path of each upstream URL (kept when forwarding); the upstream's own target is the `/` one. */
function oauth2ProxyUpstreams(upstream: RoutedUpstream, notes: string[]): string[] {
  const routed = (upstream.paths ?? []).map((p) => {
    const url = new URL(p.target);
    if (p.stripPrefix) notes.push(`path ${p.path}: stripPrefix needs oauth2-proxy's alpha config (rewriteTarget); this upstream keeps the prefix`);
    if (url.pathname !== '/') notes.push(`path ${p.path}: the target's base path ${url.pathname} cannot be kept in a legacy upstream URL`);
    return `${url.origin}${p.path}`;
  });
  return routed.length ? [...routed, `${new URL(upstream.target).origin}/`] : [upstream.target];
}

function nginx(upstream: RoutedUpstream): string {
  const front = site(upstream);
  const auth = `http://${authAddress(upstream)}`;
  const variable = (header: string) => `$${headerVariable(header)}`;
  const headers = authHeaders(upstream);
  const publicRoutes = upstream.skipAuthRoutes.filter((rule) => !/^[A-Za-z]*!?=/.test(rule));
  const rules = upstream.rules ?? [];
  const routed = (upstream.paths ?? []).length > 0;
  const notes = backendNotes(upstream);
  const all = backends(upstream);
  const backendVar = `$portcullis_${upstream.id.replace(/[^A-Za-z0-9_]/g, '_')}_backend`;
  // With paths, a regex location (a rule) cannot know its backend from its prefix: a map on $uri picks it.
  const pass = (indent: string, backend?: Backend) => {
    const target = !routed ? upstream.target : backend ? `${backend.url.protocol}//${backend.name}${backend.strip ? '/' : ''}` : backendVar;
    return [
      `${indent}proxy_pass ${target};`,
      ...(upstream.websockets
        ? [`${indent}proxy_http_version 1.1;`, `${indent}proxy_set_header Upgrade $http_upgrade;`, `${indent}proxy_set_header Connection $connection_upgrade;`]
        : []),
    ].join('\n');
  };
  const authBlock = (indent: string, rule: AccessRule | undefined) =>
    [
      ...(rules.length ? [`${indent}set $portcullis_allowed_groups ${JSON.stringify(ruleGroups(upstream, rule).join(','))};`] : []),
      `${indent}auth_request /oauth2/auth;`,
      ...(rule?.api ? [] : [`${indent}error_page 401 =403 /oauth2/sign_in;`]),
      '',
      `${indent}# Keeps the session cookie fresh when oauth2-proxy refreshes it during auth_request.`,
      `${indent}auth_request_set $auth_cookie $upstream_http_set_cookie;`,
      `${indent}add_header Set-Cookie $auth_cookie;`,
      '',
      ...headers.map((h) => `${indent}auth_request_set ${variable(h)} $upstream_http_${h.toLowerCase().replace(/-/g, '_')};\n${indent}proxy_set_header ${h} ${variable(h)};`),
    ].join('\n');
  const ruleLocations = rules
    .map((rule) => {
      const { source, caseless } = ruleRegex(rule);
      if (rule.methods) notes.push(`rule ${rule.id}: nginx locations do not match methods, so it applies to every method, not only ${rule.methods.join(', ')}`);
      if (rule.allowedEmails && !rule.public) notes.push(`rule ${rule.id}: auth_request cannot pass allowed_emails; check ${rule.allowedEmails.join(', ')} in the app or with oauth2-proxy's authenticated_emails_file`);
      return `\n  # rule ${rule.id}: ${rule.path}\n  location ${caseless ? '~*' : '~'} ${JSON.stringify(source)} {\n${rule.public ? '' : authBlock('    ', rule) + '\n'}${pass('    ')}\n  }\n`;
    })
    .join('');
  const prefixLocations = all
    .filter((b) => b.prefix !== undefined)
    .map((b) => `\n  # path ${b.prefix} -> ${b.url.href}\n  location ${b.prefix!.endsWith('/') ? b.prefix! : b.prefix + '/'} {\n${authBlock('    ', undefined)}\n${pass('    ', b)}\n  }\n`)
    .join('');
  const httpBlock = [
    ...(upstream.websockets ? ["map $http_upgrade $connection_upgrade { default upgrade; '' close; }"] : []),
    ...(routed
      ? [
          ...all.map((b) => `upstream ${b.name} { server ${hostPort(b.url)}; }`),
          `map $uri ${backendVar} {\n  default ${all.at(-1)!.url.protocol}//${all.at(-1)!.name};\n${all
            .filter((b) => b.prefix !== undefined)
            .map((b) => `  ${JSON.stringify(`~^${escapeRegex(prefixEdge(b.prefix!))}(/|$)`)} ${b.url.protocol}//${b.name};`)
            .join('\n')}\n}`,
        ]
      : []),
  ];
  if (routed && rules.length && all.some((b) => b.strip)) notes.push('stripPrefix: requests that a rule location takes keep their prefix (a regex location cannot rewrite by path entry)');
  return `# nginx: "${upstream.id}" behind oauth2-proxy (${auth}), exported by Portcullis.
${noteLines(notes)}${httpBlock.length ? `# In the http {} block:\n${httpBlock.join('\n')}\n\n` : ''}server {
  listen ${bindAddress(front)};
  server_name ${front.hostname};

  location /oauth2/ {
    proxy_pass ${auth};
    # Host with its port and the scheme: the callback is built on this origin.
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Auth-Request-Redirect $request_uri;
  }

  location = /oauth2/auth {
    internal;
    proxy_pass ${auth};
    proxy_set_header Host $http_host;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-Uri $request_uri;
${rules.length ? '    # Each location names the groups it needs (empty: any signed-in user oauth2-proxy admits).\n    proxy_set_header X-Auth-Request-Allowed-Groups $portcullis_allowed_groups;\n' : ''}    proxy_set_header Content-Length "";
    proxy_pass_request_body off;
  }
${publicRoutes.map((rule) => `\n  # skipAuthRoutes: ${rule}\n  location ~ ${JSON.stringify(rule)} {\n${pass('    ')}\n  }\n`).join('')}${ruleLocations}${prefixLocations}
  location / {
${authBlock('    ', undefined)}
${pass('    ', routed ? all.at(-1) : undefined)}
  }
}
`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Caddy's own format (`caddy fmt`) indents with tabs; anything else draws a warning. */
const tabIndented = (text: string): string => text.replace(/^(?: {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2));

function caddy(upstream: RoutedUpstream): string {
  if ((upstream.rules ?? []).length || (upstream.paths ?? []).length) return caddyRouted(upstream);
  const auth = authAddress(upstream);
  const front = site(upstream);
  // An http:// site address serves plain http on that port; a bare domain gets Caddy's automatic https.
  const address = front.protocol === 'http:' ? front.origin : front.host;
  return tabIndented(`# Caddy: "${upstream.id}" behind oauth2-proxy (${auth}), exported by Portcullis.
${address} {
  handle /oauth2/* {
    reverse_proxy ${auth} {
      header_up X-Real-IP {remote_host}
      header_up X-Forwarded-Uri {uri}
    }
  }

  handle {
    forward_auth ${auth} {
      uri /oauth2/auth
      header_up X-Real-IP {remote_host}
${caddyClaimComment(upstream, '      ')}      copy_headers ${authHeaders(upstream).join(' ')}

      # The sign-in page, served at the address asked for; it returns there after sign-in.
      # (A redirect with rd={uri} would cut the query at its first "&": Caddy cannot escape it.)
      @unauthenticated status 401
      handle_response @unauthenticated {
        rewrite * /oauth2/sign_in
        reverse_proxy ${auth} {
          header_up X-Auth-Request-Redirect {http.request.orig_uri}
          # still a 401, so scripts and API clients see they are not signed in
          handle_response {
            copy_response_headers {
              include Content-Type Cache-Control Set-Cookie
            }
            copy_response 401
          }
        }
      }
    }
    reverse_proxy ${upstream.target}
  }
}
`);
}

/** Caddy 2.6 copies a header the auth answer lacks as its placeholder's text; a missing claim sends none. */
function caddyClaimComment(upstream: UpstreamConfig, indent: string): string {
  if (Object.keys(upstream.claimHeaders).length === 0) return '';
  return `${indent}# A claim header is missing from the auth answer when the user has no such claim;\n${indent}# Caddy 2.6 then sends the placeholder text {http.reverse_proxy.header.<name>}.\n`;
}

/** Caddy with paths and rules: one matcher per rule in a `route` (so order holds), a forward_auth per rule, the backends under each. */
function caddyRouted(upstream: RoutedUpstream): string {
  const auth = authAddress(upstream);
  const notes = backendNotes(upstream);
  const backendLines = backends(upstream)
    .map((b) => {
      const proxy = `reverse_proxy ${b.url.origin}`;
      if (b.prefix === undefined) return `      handle {\n        ${proxy}\n      }`;
      return `      ${b.strip ? 'handle_path' : 'handle'} ${prefixEdge(b.prefix)}/* {\n        ${proxy}\n      }`;
    })
    .join('\n');
  const check = (rule: AccessRule | undefined) => {
    const groups = ruleGroups(upstream, rule);
    const emails = rule?.allowedEmails;
    return `      forward_auth ${auth} {
        uri /oauth2/auth${emails ? `?allowed_emails=${emails.map(encodeURIComponent).join(',')}` : ''}
        header_up X-Real-IP {remote_host}
${groups.length ? `        header_up X-Auth-Request-Allowed-Groups ${groups.join(',')}\n` : ''}${caddyClaimComment(upstream, '        ')}        copy_headers ${authHeaders(upstream).join(' ')}
${rule?.api ? '' : `
        @unauthenticated status 401
        handle_response @unauthenticated {
          redir * /oauth2/sign_in?rd={uri}
        }
`}      }
`;
  };
  const rules = (upstream.rules ?? [])
    .map((rule) => {
      const name = `@rule_${rule.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
      return `    # rule ${rule.id}
    ${name} {
      path_regexp ${JSON.stringify(rule.path)}
${rule.methods ? `      method ${rule.methods.join(' ')}\n` : ''}    }
    handle ${name} {
${rule.public ? '' : check(rule)}${backendLines}
    }
`;
    })
    .join('\n');
  return `# Caddy: "${upstream.id}" behind oauth2-proxy (${auth}), exported by Portcullis.
${noteLines(notes)}${site(upstream).hostname} {
  handle /oauth2/* {
    reverse_proxy ${auth} {
      header_up X-Real-IP {remote_host}
      header_up X-Forwarded-Uri {uri}
    }
  }

  # Rules in order: the first whose matcher matches decides.
  route {
${rules}
    handle {
${check(undefined)}${backendLines}
    }
  }
}
`;
}

function haproxy(upstream: RoutedUpstream): string {
  const front = site(upstream);
  const auth = authAddress(upstream);
  const headers = authHeaders(upstream);
  const varName = (h: string) => `txn.${headerVariable(h)}`;
  const claimNames = Object.keys(upstream.claimHeaders);
  const rules = upstream.rules ?? [];
  const routed = (upstream.paths ?? []).length > 0;
  const notes = backendNotes(upstream);
  const all = backends(upstream);
  const aclName = (id: string) => `rule_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const ids = (pick: (r: AccessRule) => boolean | undefined) => rules.filter(pick).map((r) => r.id).join(' ');
  const ruleLines = rules.length
    ? [
        '  # Rules in order: the first that matches names itself in txn.rule.',
        ...rules.flatMap((r) => [
          `  acl ${aclName(r.id)} path_reg ${r.path}`,
          ...(r.methods ? [`  acl ${aclName(r.id)}_method method ${r.methods.join(' ')}`] : []),
          `  http-request set-var(txn.rule) str(${r.id}) if !{ var(txn.rule) -m found } ${aclName(r.id)}${r.methods ? ` ${aclName(r.id)}_method` : ''}`,
        ]),
        ...(ids((r) => r.public) ? [`  acl public_rule var(txn.rule) -m str ${ids((r) => r.public)}`] : ['  acl public_rule always_false']),
        ...(ids((r) => r.api) ? [`  acl api_rule var(txn.rule) -m str ${ids((r) => r.api)}`] : ['  acl api_rule always_false']),
        ...(upstream.allowedGroups.length ? [`  http-request set-var(txn.allowed_groups) str(${upstream.allowedGroups.join(',')})`] : []),
        ...rules
          .filter((r) => !r.public && namesWho(r))
          .flatMap((r) => [
            r.allowedGroups?.length
              ? `  http-request set-var(txn.allowed_groups) str(${r.allowedGroups.join(',')}) if { var(txn.rule) -m str ${r.id} }`
              : `  http-request unset-var(txn.allowed_groups) if { var(txn.rule) -m str ${r.id} }`,
            ...(r.allowedEmails ? [`  http-request set-var(txn.allowed_emails) str(${r.allowedEmails.join(',')}) if { var(txn.rule) -m str ${r.id} }`] : []),
          ]),
      ]
    : [];
  const guard = rules.length ? ' !public_rule' : '';
  const backendLines = routed
    ? [
        ...all.filter((b) => b.prefix !== undefined).flatMap((b) => [`  acl ${b.name} path ${prefixEdge(b.prefix!)}`, `  acl ${b.name} path_beg ${prefixEdge(b.prefix!)}/`]),
        ...all.filter((b) => b.strip).map((b) => `  http-request set-path %[path,regsub(^${prefixEdge(b.prefix!)}/?,/)] if ${b.name}`),
        ...all.filter((b) => b.prefix !== undefined).map((b) => `  use_backend ${b.name} if ${b.name}`),
      ]
    : [];
  const server = (name: string, url: URL) => `backend ${name}\n  mode http\n  server app ${hostPort(url)}${url.protocol === 'https:' ? ' ssl verify required' : ''}\n`;
  const target = new URL(upstream.target);
  return `# HAProxy: "${upstream.id}" behind oauth2-proxy (${auth}), exported by Portcullis.
# HAProxy has no auth_request: a Lua action (second file below) asks oauth2-proxy's /oauth2/auth.
${noteLines(notes)}
# ==== haproxy.cfg ====
global
  lua-load /etc/haproxy/oauth2-auth.lua

defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s${upstream.websockets ? '\n  # WebSockets stay open while idle\n  timeout tunnel 1h' : ''}

frontend web
  bind ${bindAddress(front)}${front.protocol === 'https:' ? ' ssl crt /etc/haproxy/site.pem' : ''}
  mode http
  acl oauth2_path path_beg /oauth2/
  acl authenticated var(txn.auth_status) -m int 202
  acl unauthenticated var(txn.auth_status) -m int 401
  # Never trust identity headers a client sends itself.
${headers.map((h) => `  http-request del-header ${h}`).join('\n')}
${ruleLines.map((l) => l + '\n').join('')}  http-request lua.oauth2_auth if !oauth2_path${guard}
  http-request redirect location /oauth2/sign_in?rd=%[capture.req.uri,url_enc] code 302 if !oauth2_path${guard}${rules.length ? ' !api_rule' : ''} unauthenticated
${rules.length ? '  http-request return status 401 content-type application/json string \'{"error":"unauthorized"}\' if !oauth2_path !public_rule api_rule unauthenticated\n' : ''}  http-request deny deny_status 403 if !oauth2_path${guard} !authenticated
${headers
  .map((h) => `  http-request set-header ${h} %[var(${varName(h)})] if authenticated${h.startsWith(IDENTITY_PREFIX) ? '' : ` { var(${varName(h)}) -m found }`}`)
  .join('\n')}
${backendLines.map((l) => l + '\n').join('')}  use_backend oauth2_proxy if oauth2_path
  default_backend ${routed ? all.at(-1)!.name : 'app'}

backend oauth2_proxy
  mode http
  server oauth2_proxy ${auth}

${routed ? all.map((b) => server(b.name, b.url)).join('\n') : server('app', target)}
# ==== /etc/haproxy/oauth2-auth.lua ====
core.register_action("oauth2_auth", { "http-req" }, function(txn)
  local client = core.httpclient()
  local emails = txn:get_var("txn.allowed_emails")
  local answer = client:get{
    url = "http://${auth}/oauth2/auth" .. (emails and ("?allowed_emails=" .. emails) or ""),
    headers = {
      ["cookie"] = { txn.sf:req_fhdr("cookie") or "" },
      ["host"] = { txn.sf:req_fhdr("host") or "" },
      ["x-forwarded-uri"] = { txn.sf:pathq() or "/" },
      ["x-auth-request-allowed-groups"] = { txn:get_var("txn.allowed_groups") or "" },
    },
  }
  local status = answer and answer.status or 0${claimNames.length ? `\n  -- the upstream's claim headers; a missing claim sends none\n  local claim_headers = { ${claimNames.map((n) => JSON.stringify(n.toLowerCase())).join(', ')} }` : ''}
  txn:set_var("txn.auth_status", status)
  if status == 202 then
    for name, values in pairs(answer.headers) do
      local suffix = string.match(name, "^x%-auth%-request%-(.+)$")
      if suffix then txn:set_var("txn.auth_" .. string.gsub(suffix, "%-", "_"), values[0]) end
    end
${claimNames.length ? `    for _, name in ipairs(claim_headers) do
      local values = answer.headers[name]
      if values then txn:set_var("txn.claim_" .. string.gsub(name, "[^%w]", "_"), values[0]) end
    end
` : ''}  end
end)
`;
}

function traefik(upstream: RoutedUpstream): string {
  if ((upstream.rules ?? []).length || (upstream.paths ?? []).length) return traefikRouted(upstream);
  const auth = `http://${authAddress(upstream)}`;
  const name = upstream.id;
  const host = site(upstream).hostname;
  const dynamic = {
    http: {
      routers: {
        [`${name}-oauth2`]: { rule: `Host(\`${host}\`) && PathPrefix(\`/oauth2/\`)`, service: `${name}-oauth2-proxy` },
        [name]: { rule: `Host(\`${host}\`)`, middlewares: [`${name}-sign-in`, `${name}-auth`], service: name },
      },
      middlewares: {
        [`${name}-auth`]: {
          forwardAuth: { address: `${auth}/oauth2/auth`, trustForwardHeader: true, authResponseHeaders: authHeaders(upstream) },
        },
        [`${name}-sign-in`]: { errors: { status: ['401'], service: `${name}-oauth2-proxy`, query: '/oauth2/sign_in?rd={url}' } },
      },
      services: {
        [name]: { loadBalancer: { servers: [{ url: upstream.target }] } },
        [`${name}-oauth2-proxy`]: { loadBalancer: { servers: [{ url: auth }] } },
      },
    },
  };
  return `# Traefik dynamic configuration: "${name}" behind oauth2-proxy (${auth}), exported by Portcullis.\n${toYaml(dynamic)}`;
}

/**
 * Traefik with paths and rules: a router per rule and backend. Priorities keep the rule order
 * (an earlier rule always outranks a later one) and, within a rule, the longest path prefix.
 */
function traefikRouted(upstream: RoutedUpstream): string {
  const auth = `http://${authAddress(upstream)}`;
  const name = upstream.id;
  const notes = backendNotes(upstream);
  const rules = upstream.rules ?? [];
  const all = backends(upstream);
  const routers: Record<string, object> = {
    [`${name}-oauth2`]: { rule: `Host(\`${site(upstream).hostname}\`) && PathPrefix(\`/oauth2/\`)`, service: `${name}-oauth2-proxy`, priority: (rules.length + 2) * 1000 },
  };
  const middlewares: Record<string, object> = {
    [`${name}-sign-in`]: { errors: { status: ['401'], service: `${name}-oauth2-proxy`, query: '/oauth2/sign_in?rd={url}' } },
  };
  const services: Record<string, object> = { [`${name}-oauth2-proxy`]: { loadBalancer: { servers: [{ url: auth }] } } };
  for (const b of all) {
    services[b.name] = { loadBalancer: { servers: [{ url: b.url.origin }] } };
    if (b.strip) middlewares[`${b.name}-strip`] = { stripPrefix: { prefixes: [prefixEdge(b.prefix!)] } };
  }
  const authMiddleware = (key: string, rule: AccessRule | undefined) => {
    const query = new URLSearchParams();
    const groups = ruleGroups(upstream, rule);
    if (groups.length) query.set('allowed_groups', groups.join(','));
    if (rule?.allowedEmails) query.set('allowed_emails', rule.allowedEmails.join(','));
    const q = query.toString();
    middlewares[key] = { forwardAuth: { address: `${auth}/oauth2/auth${q ? `?${q}` : ''}`, trustForwardHeader: true, authResponseHeaders: authHeaders(upstream) } };
    return key;
  };
  const addRouters = (label: string, match: string, rule: AccessRule | undefined, base: number) => {
    const chain = rule?.public ? [] : [...(rule?.api ? [] : [`${name}-sign-in`]), authMiddleware(`${name}-auth-${label}`, rule)];
    for (const b of all) {
      const prefix = b.prefix === undefined ? '' : ` && (Path(\`${prefixEdge(b.prefix)}\`) || PathPrefix(\`${prefixEdge(b.prefix)}/\`))`;
      routers[`${name}-${label}-${b.name}`] = {
        rule: `Host(\`${site(upstream).hostname}\`)${match}${prefix}`,
        priority: base + (b.prefix?.length ?? 0),
        middlewares: [...chain, ...(b.strip ? [`${b.name}-strip`] : [])],
        service: b.name,
      };
    }
  };
  rules.forEach((rule, i) => {
    const methods = rule.methods ? ` && (${rule.methods.map((m) => `Method(\`${m}\`)`).join(' || ')})` : '';
    addRouters(`rule-${rule.id}`, ` && PathRegexp(\`${rule.path}\`)${methods}`, rule, (rules.length - i) * 1000);
  });
  addRouters('default', '', undefined, 1);
  const dynamic = { http: { routers, middlewares, services } };
  return `# Traefik (v3) dynamic configuration: "${name}" behind oauth2-proxy (${auth}), exported by Portcullis.\n${noteLines(notes)}${toYaml(dynamic)}`;
}
