// Parses oauth2-proxy's route rule syntax used by skipAuthRoutes and apiRoutes:
// `METHOD=regex`, `METHOD!=regex`, `regex`, `!=regex`. Validation reports rules that do not
// parse; the auth layer can use the same parser to match them, so both agree on the syntax.

export interface RouteRule {
  /** Upper-case HTTP method, or undefined for any method. */
  method?: string;
  /** `!=`: the rule applies to every path the regex does NOT match. */
  negate: boolean;
  regex: RegExp;
  source: string;
}

// The method part is letters only, so a regex that itself contains "=" (e.g. `^/a=b`) is
// not mistaken for METHOD=regex.
const RULE = /^([A-Za-z]+)?(!?=)(.*)$/s;

/** Parses one rule; throws an Error whose message says what is wrong with it. */
export function parseRouteRule(source: string): RouteRule {
  const match = RULE.exec(source);
  const method = match?.[1]?.toUpperCase();
  const negate = match?.[2] === '!=';
  return { method, negate, regex: compilePathRegex(match ? match[3] : source), source };
}

/**
 * Compiles a path regex as route rules and access rules write it: unanchored, with Go's
 * leading `(?i)` for case-insensitivity. Throws an Error whose message says what is wrong.
 */
export function compilePathRegex(pattern: string): RegExp {
  if (pattern === '') throw new Error('the regex is empty');
  // Go's RE2 (oauth2-proxy) spells case-insensitivity as a leading (?i); JS wants a flag.
  const caseless = pattern.startsWith('(?i)');
  try {
    return new RegExp(caseless ? pattern.slice(4) : pattern, caseless ? 'i' : '');
  } catch (error) {
    throw new Error(`the regex does not compile: ${(error as Error).message}`);
  }
}

/** Whether a request matches the rule. `path` must already be stripped of query and fragment. */
export function routeRuleMatches(rule: RouteRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== method.toUpperCase()) return false;
  return rule.regex.test(path) !== rule.negate;
}
