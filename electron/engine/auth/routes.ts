// Compiles an upstream's `skipAuthRoutes` / `apiRoutes` into one matcher. The syntax is
// oauth2-proxy's, parsed by config/routes.ts so validation and matching agree; `!=` negates
// the PATH test (`GET!=^/api/` = GET requests whose path is not under /api/). Rules see only
// the normalized path from http/request-path.ts, never the query.

import { parseRouteRule, routeRuleMatches, type RouteRule } from '../config/routes.ts';

export interface RouteMatch {
  index: number;
  rule: string;
}

export interface RouteMatcher {
  /** The first rule that matches, in configured order. */
  match(method: string, path: string): RouteMatch | undefined;
}

export function compileRoutes(rules: readonly string[]): RouteMatcher {
  const compiled: RouteRule[] = rules.map((rule) => {
    try {
      return parseRouteRule(rule);
    } catch (err) {
      throw new Error(`route rule ${JSON.stringify(rule)}: ${(err as Error).message}`);
    }
  });
  return {
    match(method, path) {
      const index = compiled.findIndex((rule) => routeRuleMatches(rule, method, path));
      return index === -1 ? undefined : { index, rule: rules[index] };
    },
  };
}
