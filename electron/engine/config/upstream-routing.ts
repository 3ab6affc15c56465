// An upstream's `paths` (which target serves which path prefix) and `rules` (who may open which
// paths), as the settings write them (docs/configuration.md, "Paths and rules"), and the checks
// `portcullis check` runs on them beyond their shape.
import { compilePathRegex } from './routes.ts';
import { normalizeRequestPath } from '../auth/request-path.ts';

/** One `paths[]` entry: requests under `path` go to `target` instead of the upstream's own. */
export interface PathRoute {
  /** A normalised path prefix, matched on segment edges; starts with `/`. */
  path: string;
  /** Absolute http(s) URL of the app that serves this prefix. */
  target: string;
  /** Remove the matched prefix before forwarding (`/media/a.png` → `/a.png`). */
  stripPrefix?: boolean;
}

/** One `rules[]` entry, checked in order; the first whose `path` and `methods` match decides. */
export interface AccessRule {
  id: string;
  /** A path regex in route-rule syntax (unanchored, leading `(?i)` for case-insensitive). */
  path: string;
  /** Upper-case methods the rule applies to; all when absent. */
  methods?: string[];
  /** No sign-in needed, like a skipAuthRoutes match. */
  public?: boolean;
  /** 401/403 as JSON instead of a redirect or a page, like an apiRoutes match. */
  api?: boolean;
  /** Replace the upstream's `allowedGroups` for matching requests. */
  allowedGroups?: string[];
  /** When given, the email must also be one of these (replacing the upstream's `allowedGroups` step). */
  allowedEmails?: string[];
}

export const RULE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

type Add = (path: string, message: string) => void;

/** The problems of one upstream's `paths` beyond their shape; `checkUrl` is the settings' own URL check. */
export function pathRouteProblems(paths: readonly unknown[], at: string, checkUrl: (value: string, path: string) => void, add: Add): void {
  const seen = new Map<string, number>();
  paths.forEach((entry, i) => {
    if (!isRecord(entry)) return;
    const here = `${at}.paths[${i}]`;
    if (typeof entry.target === 'string') checkUrl(entry.target, `${here}.target`);
    if (typeof entry.path !== 'string') return;
    const problem = pathPrefixProblem(entry.path);
    if (problem) return add(`${here}.path`, problem);
    const key = entry.path.replace(/\/$/, '');
    const first = seen.get(key);
    if (first !== undefined) add(`${here}.path`, `"${entry.path}" is already routed by ${at}.paths[${first}]`);
    else seen.set(key, i);
  });
}

/** Why a `paths[].path` cannot be a prefix, or undefined when it can. */
export function pathPrefixProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return `"${path}" must start with "/"`;
  if (path.includes('?') || path.includes('#')) return `"${path}" must be a path only, without a query or fragment`;
  const normalized = normalizeRequestPath(path);
  if ('error' in normalized) return `"${path}": ${normalized.error.replace(/^request path /, '')}`;
  if (normalized.path !== path) return `"${path}" is not a normalised path; write "${normalized.path}"`;
  return undefined;
}

/** The problems of one upstream's `rules` beyond their shape. */
export function accessRuleProblems(rules: readonly unknown[], at: string, add: Add): void {
  const ids = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!isRecord(rule)) return;
    const here = `${at}.rules[${i}]`;
    if (typeof rule.id === 'string') {
      const first = ids.get(rule.id);
      if (first !== undefined) add(`${here}.id`, `duplicate rule id "${rule.id}" (also ${at}.rules[${first}])`);
      else ids.set(rule.id, i);
    }
    if (typeof rule.path === 'string') {
      const problem = ruleRegexProblem(rule.path);
      if (problem) add(`${here}.path`, problem);
    }
    if (Array.isArray(rule.methods))
      rule.methods.forEach((method, j) => {
        if (typeof method === 'string' && !(RULE_METHODS as readonly string[]).includes(method))
          add(`${here}.methods[${j}]`, `unknown method "${method}"; use one of ${RULE_METHODS.join(', ')}`);
      });
    if (rule.public === true && (rule.allowedGroups !== undefined || rule.allowedEmails !== undefined))
      add(`${here}.public`, 'a public rule needs no sign-in, so its allowedGroups/allowedEmails would never apply; remove one or the other');
  });
}

/** Why a rule's path regex is unusable (the message the editor shows as you type), or undefined. */
export function ruleRegexProblem(pattern: string): string | undefined {
  try {
    compilePathRegex(pattern);
    return undefined;
  } catch (error) {
    return `regex "${pattern}": ${(error as Error).message}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
