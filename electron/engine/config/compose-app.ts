// The seed stacks run oauth2-proxy beside a front proxy (nginx `auth_request`, HAProxy, Caddy,
// Traefik) that routes to the app itself; oauth2-proxy then has no upstream of its own
// (`static://202`) or none at all. Portcullis runs on the host and proxies to the app directly,
// so the app is found among the compose services and reached through the port it publishes.

/** Images and service names that are part of the sign-in plumbing, never the app. */
const PLUMBING = /oauth2[-_]?proxy|nginx|haproxy|caddy|traefik|envoy|redis|valkey|memcached|postgres|mysql|mariadb|keycloak|dex/i;

interface PublishedPort {
  host: string;
  container: string;
}

/** `"8080:80"`, `"127.0.0.1:8080:80/tcp"` or the long form `{ published, target }`. */
export function publishedPorts(service: unknown): PublishedPort[] {
  const ports = (service as { ports?: unknown })?.ports;
  if (!Array.isArray(ports)) return [];
  return ports.flatMap((entry): PublishedPort[] => {
    if (entry && typeof entry === 'object') {
      const { published, target } = entry as { published?: unknown; target?: unknown };
      return published !== undefined && target !== undefined ? [{ host: String(published), container: String(target) }] : [];
    }
    const match = /^(?:[\d.]+:)?(\d+):(\d+)(?:\/tcp)?$/.exec(String(entry));
    return match ? [{ host: match[1], container: match[2] }] : [];
  });
}

/**
 * The target for an upstream whose oauth2-proxy does not proxy to the app: the one compose
 * service that is not plumbing and publishes a port. Says in `warnings` what it chose, and why.
 */
export function appTargetFromCompose(services: Record<string, unknown>, warnings: string[]): string | undefined {
  const front = Object.keys(services).filter((name) => /nginx|haproxy|caddy|traefik/i.test(`${name} ${imageOf(services[name])}`));
  const apps = Object.entries(services).filter(([name, service]) => !PLUMBING.test(`${name} ${imageOf(service)}`));
  const reachable = apps.map(([name, service]) => ({ name, ports: publishedPorts(service) })).filter((a) => a.ports.length > 0);
  const via = front.length ? ` (${front.map((f) => `"${f}"`).join(', ')} routes to it in the stack)` : '';
  if (reachable.length === 1) {
    const [{ name, ports }] = reachable;
    const target = `http://127.0.0.1:${ports[0].host}`;
    warnings.push(`upstreams: oauth2-proxy has no app upstream here; the target is compose service "${name}"${via} at ${target}, the port it publishes`);
    return target;
  }
  if (reachable.length > 1)
    warnings.push(`upstreams: several compose services could be the app (${reachable.map((a) => `"${a.name}"`).join(', ')}); set the target to the one to protect`);
  else if (apps.length > 0)
    warnings.push(`upstreams: compose service ${apps.map(([n]) => `"${n}"`).join(', ')} publishes no port; publish one (ports: ["5000:5000"]) and set the target to it`);
  return undefined;
}

const imageOf = (service: unknown): string => String((service as { image?: unknown })?.image ?? '');
