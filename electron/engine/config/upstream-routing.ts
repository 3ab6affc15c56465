// The checks `portcullis check` runs on an upstream's `paths` (which target serves which path
// prefix) and `rules` (who may open which paths) beyond their shape (schema.ts); see
// docs/configuration.md, "Paths and rules".
import { normalizeRequestPath } from '../http/request-path.ts';
import { compilePathRegex } from './routes.ts';

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
    if (rule.public === true && (rule.allowedGroups !== undefined || rule.allowedRoles !== undefined || rule.allowedEmails !== undefined))
      add(`${here}.public`, 'a public rule needs no sign-in, so its allowedGroups/allowedRoles/allowedEmails would never apply; remove one or the other');
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
