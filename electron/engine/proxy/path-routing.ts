// Picks which target serves a request from an upstream's `paths` (docs/configuration.md, "Paths
// and rules"): each `path` is a prefix matched on segment edges against the normalised request
// path, the longest match wins, and no match leaves the request to the upstream's own target.
import type { PathRoute } from '../config/types.ts';

export interface PathChoice {
  /** Index into `paths`, or undefined for the upstream's own target. */
  index?: number;
  target: string;
  /** The path (without query) the target receives: the request's, minus the prefix with `stripPrefix`. */
  forwardPath: string;
}

/** A prefix without its trailing slash, so `/app/api/` and `/app/api` both own `/app/api` and everything under it. */
function edge(prefix: string): string {
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

/** Whether `path` is `prefix` itself or lies under it (never `/mediax` for `/media`). */
export function underPrefix(path: string, prefix: string): boolean {
  const base = edge(prefix);
  return path === base || path.startsWith(base + '/');
}

/** `path` must already be normalised (http/request-path.ts), as the rules judge it. */
export function choosePathTarget(paths: readonly PathRoute[], defaultTarget: string, path: string): PathChoice {
  let best: number | undefined;
  for (let i = 0; i < paths.length; i++) {
    if (!underPrefix(path, paths[i].path)) continue;
    if (best === undefined || edge(paths[i].path).length > edge(paths[best].path).length) best = i;
  }
  if (best === undefined) return { target: defaultTarget, forwardPath: path };
  const route = paths[best];
  if (!route.stripPrefix) return { index: best, target: route.target, forwardPath: path };
  const rest = path.slice(edge(route.path).length);
  return { index: best, target: route.target, forwardPath: rest.startsWith('/') ? rest : '/' + rest };
}

/** The URL a request would reach: the target's own base path joined with the forwarded path. */
export function targetUrl(target: string, forwardPath: string): string {
  const url = new URL(target);
  const base = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}${base}${forwardPath}`;
}
