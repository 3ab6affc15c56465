// Brings settings written by older Portcullis versions up to CURRENT_CONFIG_VERSION. Each
// step takes the previous version's shape and returns the next one; steps never validate
// (validate.ts does that afterwards) and leave anything they do not understand alone.
import { CURRENT_CONFIG_VERSION } from './version.ts';

type Migration = (config: Record<string, any>) => Record<string, any>;

const LOOPBACK = '127.0.0.1';

// v0 accepted oauth2-proxy-style listen addresses: a bare port, or "host:port" / ":port".
function listenFromLegacy(listen: unknown): unknown {
  if (typeof listen === 'number') return { host: LOOPBACK, port: listen };
  if (typeof listen !== 'string') return listen;
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen.trim()) ?? /^()()(\d{1,5})$/.exec(listen.trim());
  if (!match) return listen;
  const host = match[1] ?? match[2];
  return { host: host || LOOPBACK, port: Number(match[3]) };
}

const MIGRATIONS: Record<number, Migration> = {
  // v0 → v1: listen addresses become { host, port }.
  0: (config) => ({
    ...config,
    upstreams: Array.isArray(config.upstreams)
      ? config.upstreams.map((u: unknown) =>
          u && typeof u === 'object' && 'listen' in u ? { ...u, listen: listenFromLegacy(u.listen) } : u,
        )
      : config.upstreams,
  }),
};

/** The version a settings object claims; files without one predate versioning (v0). */
export function configVersion(raw: unknown): number {
  const version = raw && typeof raw === 'object' ? (raw as { version?: unknown }).version : undefined;
  return version === undefined ? 0 : typeof version === 'number' ? version : NaN;
}

/**
 * Returns a migrated copy (the input is not modified). Inputs that are not objects, or that
 * claim an unknown or newer version, come back unchanged for validation to report.
 */
export function migrateConfig(raw: any): any {
  const from = configVersion(raw);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  if (!Number.isInteger(from) || from < 0 || from >= CURRENT_CONFIG_VERSION) return raw;
  let config: Record<string, any> = structuredClone(raw);
  for (let version = from; version < CURRENT_CONFIG_VERSION; version++) {
    config = { ...MIGRATIONS[version](config), version: version + 1 };
  }
  return config;
}
