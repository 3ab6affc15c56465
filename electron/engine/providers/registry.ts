// The live sign-in providers: one AuthProvider per configured provider, its discovery
// retried in the background until it succeeds (a provider unreachable at start leaves the
// listeners serving a clear 503 page, and they recover on their own once it answers).
import type { ProviderConfig } from '../config/types.ts';
import { resolveSecret, type SecretStore } from '../config/secrets.ts';
import { probeTarget } from '../http/target-probe.ts';
import { createProvider } from './create-provider.ts';
import type { AuthProvider, ProviderHandle } from './types.ts';

const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000];
/** /ready probes a ready provider at most this often. */
const REACHABILITY_TTL_MS = 5_000;

export interface BuiltinClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

interface Entry {
  config: ProviderConfig;
  /** Last answer of the reachability probe, for /ready. */
  reachability?: { at: number; problem?: string };
  provider?: AuthProvider;
  ready: boolean;
  problem?: string;
  attempts: number;
  timer?: NodeJS.Timeout;
  closed: boolean;
}

export function providerLabel(config: ProviderConfig): string {
  if (config.name) return config.name;
  if (config.type === 'builtin') return 'the built-in provider';
  if (config.type === 'github') return 'GitHub';
  return config.id;
}

export class ProviderRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly builtin: () => BuiltinClient | undefined,
    private readonly onChange: () => void,
    /** Why the built-in identity provider is not running, when it could not start. */
    private readonly builtinProblem: () => string | undefined = () => undefined,
  ) {}

  /** Brings the registry in line with the config: new or changed providers are (re)created. */
  async configure(configs: ProviderConfig[]): Promise<void> {
    const wanted = new Map(configs.map((c) => [c.id, c]));
    for (const [id, entry] of this.entries) {
      if (JSON.stringify(wanted.get(id)) !== JSON.stringify(entry.config)) this.drop(id);
    }
    await Promise.all(configs.map((c, index) => (this.entries.has(c.id) ? undefined : this.add(c, index))));
  }

  private async add(config: ProviderConfig, index: number): Promise<void> {
    const entry: Entry = { config, ready: false, attempts: 0, closed: false };
    this.entries.set(config.id, entry);
    try {
      const clientSecret = 'clientSecret' in config ? await resolveSecret(config.clientSecret, this.secrets, `$.providers[${index}].clientSecret`) : undefined;
      entry.provider = createProvider(config, { clientSecret, builtin: config.type === 'builtin' ? this.builtin() : undefined });
    } catch (err) {
      const idpProblem = config.type === 'builtin' ? this.builtinProblem() : undefined;
      entry.problem = `provider ${config.id}: ${idpProblem ? `the built-in identity provider could not start: ${idpProblem}` : (err as Error).message}`;
      this.onChange();
      return;
    }
    await this.discover(entry);
  }

  private async discover(entry: Entry): Promise<void> {
    if (entry.closed || !entry.provider) return;
    try {
      await entry.provider.ensureReady();
      entry.ready = true;
      entry.problem = undefined;
    } catch (err) {
      entry.ready = false;
      entry.problem = `provider ${entry.config.id}: ${(err as Error).message}`;
      const delay = RETRY_DELAYS_MS[Math.min(entry.attempts, RETRY_DELAYS_MS.length - 1)];
      entry.attempts += 1;
      entry.timer = setTimeout(() => void this.discover(entry), delay);
      entry.timer.unref();
    }
    this.onChange();
  }

  private drop(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.closed = true;
    clearTimeout(entry.timer);
    this.entries.delete(id);
  }

  /** The provider if discovery has succeeded. */
  get(id: string): AuthProvider | undefined {
    const entry = this.entries.get(id);
    return entry?.ready ? entry.provider : undefined;
  }

  status(id: string): { ready: boolean; error?: string } {
    const entry = this.entries.get(id);
    if (!entry) return { ready: false, error: `no provider ${id}` };
    return entry.ready ? { ready: true } : { ready: false, error: entry.problem ?? 'discovery in progress' };
  }

  /** Where a ready provider is probed: its issuer, or GitHub's API. */
  private endpoint(entry: Entry): string | undefined {
    const { config } = entry;
    if (config.type === 'oidc') return config.issuer;
    if (config.type === 'builtin') return this.builtin()?.issuer;
    return config.apiUrl ?? 'https://api.github.com';
  }

  private async readiness(id: string): Promise<string | undefined> {
    const entry = this.entries.get(id);
    const status = this.status(id);
    if (!entry || !status.ready) return status.error;
    const now = Date.now();
    if (entry.reachability && now - entry.reachability.at < REACHABILITY_TTL_MS) return entry.reachability.problem;
    const endpoint = this.endpoint(entry);
    const probe = endpoint ? await probeTarget(endpoint, 2_000) : { reachable: true, message: '' };
    entry.reachability = { at: now, ...(probe.reachable ? {} : { problem: `provider ${id}: ${probe.message}` }) };
    return entry.reachability.problem;
  }

  handle(id: string): ProviderHandle {
    const label = () => {
      const entry = this.entries.get(id);
      return entry ? providerLabel(entry.config) : id;
    };
    return {
      get label() {
        return label();
      },
      ready: () => this.get(id),
      problem: () => {
        const s = this.status(id);
        return s.ready ? undefined : s.error;
      },
      readiness: () => this.readiness(id),
    };
  }

  close(): void {
    for (const id of [...this.entries.keys()]) this.drop(id);
  }
}
