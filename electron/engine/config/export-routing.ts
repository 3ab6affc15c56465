// What `portcullis export` writes for an upstream's `paths` and `rules` in each production format
// (docs/configuration.md, "Paths and rules"): which backend serves which prefix, and one
// per-location check per rule. What a format cannot express is collected as a note that the
// output carries as a `# cannot express:` comment and the CLI repeats on stderr.
import type { UpstreamConfig } from './types.ts';
import type { AccessRule, PathRoute } from './types.ts';

export type RoutedUpstream = UpstreamConfig & { paths?: readonly PathRoute[]; rules?: readonly AccessRule[] };

export const CANNOT_EXPRESS = '# cannot express: ';

/** The lines of an output that name what it could not express, as the CLI prints them on stderr. */
export function exportNotes(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith(CANNOT_EXPRESS)).map((line) => line.slice(2));
}

export function noteLines(notes: readonly string[]): string {
  return notes.map((n) => `${CANNOT_EXPRESS}${n}\n`).join('');
}

/** A backend: the upstream's own target (index undefined) or one `paths` entry, longest prefix first. */
export interface Backend {
  name: string;
  prefix?: string;
  url: URL;
  strip: boolean;
}

export function backends(upstream: RoutedUpstream): Backend[] {
  const paths = [...(upstream.paths ?? [])].map((p, i) => ({ p, i })).sort((a, b) => b.p.path.length - a.p.path.length);
  return [
    ...paths.map(({ p, i }) => ({ name: `${upstream.id}_path_${i}`, prefix: p.path, url: new URL(p.target), strip: p.stripPrefix === true })),
    { name: `${upstream.id}_target`, url: new URL(upstream.target), strip: false },
  ];
}

/** `host:port` of a backend, with the scheme's default port spelt out. */
export function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** A prefix without its trailing slash, so `/app/api/` and `/app/api` both own `/app/api/…`. */
export const prefixEdge = (prefix: string): string => prefix.replace(/\/$/, '');

/** The regex of a rule in the engine's spelling, without Go's `(?i)`, plus whether case is ignored. */
export function ruleRegex(rule: AccessRule): { source: string; caseless: boolean } {
  return rule.path.startsWith('(?i)') ? { source: rule.path.slice(4), caseless: true } : { source: rule.path, caseless: false };
}

/** Whether a rule says who may pass (and so stands in for the upstream's groups and roles). */
export const namesWho = (rule: AccessRule): boolean => rule.allowedGroups !== undefined || rule.allowedRoles !== undefined || rule.allowedEmails !== undefined;

/** The groups a protected location asks for: the rule's own, else the upstream's. */
export function ruleGroups(upstream: RoutedUpstream, rule: AccessRule | undefined): string[] {
  return rule && namesWho(rule) ? (rule.allowedGroups ?? []) : upstream.allowedGroups;
}

/** oauth2-proxy checks roles (allowed_roles) for the whole upstream; a rule's own roles cannot be asked per path. */
export function ruleRoleNotes(upstream: RoutedUpstream): string[] {
  return (upstream.rules ?? [])
    .filter((r) => !r.public && r.allowedRoles !== undefined)
    .map((r) => `rule ${r.id}: oauth2-proxy checks roles for the whole upstream (allowed_roles), not per path; check ${r.allowedRoles!.join(', ') || 'its roles'} in the app`);
}

/** Notes every reverse-proxy format shares about the backends and the rules' roles. */
export function backendNotes(upstream: RoutedUpstream): string[] {
  return [
    ...backends(upstream)
      .filter((b) => b.url.pathname !== '/' && b.prefix !== undefined)
      .map((b) => `path ${b.prefix}: the target's own base path ${b.url.pathname} is not put in front of forwarded paths; add it on the backend`),
    ...ruleRoleNotes(upstream),
  ];
}
