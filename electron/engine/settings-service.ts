// Changes to the settings as the control API makes them: one at a time (two UIs cannot
// interleave a stop and a start), refused with a 400 naming the bad field, and a provider's
// client secret saved to the secret store and put back when the settings refuse the change.
import { ApiError } from './api.ts';
import { ChangeQueue } from './config/change-queue.ts';
import { ConfigError } from './config/errors.ts';
import type { SecretStore } from './config/secrets.ts';
import type { SettingsStore } from './config/settings-store.ts';
import type { PortcullisConfig, ProviderConfig, UpstreamConfig } from './config/types.ts';

/** The name saveProvider stores a provider's client secret under. */
export const clientSecretName = (providerId: string) => `provider:${providerId}:clientSecret`;

export class SettingsService {
  private readonly queue = new ChangeQueue();

  constructor(
    private readonly settings: SettingsStore,
    readonly secrets: SecretStore,
  ) {}

  get config(): PortcullisConfig {
    return this.settings.get();
  }

  get path(): string {
    return this.settings.path;
  }

  get dataDir(): string {
    return this.settings.dataDir;
  }

  /** Runs a control call after the ones before it have finished. */
  exclusive<T>(change: () => Promise<T>): Promise<T> {
    return this.queue.run(change);
  }

  /** Settles once every queued change has. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Validates and saves a change; an invalid result is a 400 naming the first bad field. */
  async change(mutate: (draft: PortcullisConfig) => void): Promise<PortcullisConfig> {
    try {
      return await this.settings.update((draft) => {
        mutate(draft);
      });
    } catch (err) {
      if (err instanceof ConfigError) {
        const first = err.problems[0];
        throw new ApiError(400, 'invalid_config', err.problems.map((p) => `${p.path}: ${p.message}`).join('; '), first?.path);
      }
      throw err;
    }
  }

  requireUpstream(id: string): UpstreamConfig {
    const upstream = this.config.upstreams.find((u) => u.id === id);
    if (!upstream) throw new ApiError(404, 'not_found', `no upstream with id "${id}"`, '$.id');
    return upstream;
  }

  /**
   * Saves a provider, storing `clientSecretValue` (when given) in the secret store first; a
   * rejected body changes nothing (docs/control-api.md): the previous secret goes back.
   */
  async saveProvider(provider: ProviderConfig, clientSecretValue: string | undefined): Promise<PortcullisConfig> {
    let undoSecret = async () => {};
    if (clientSecretValue !== undefined) {
      if (provider.type === 'builtin') throw new ApiError(400, 'invalid_field', 'the built-in provider has no client secret', '$.clientSecretValue');
      const name = clientSecretName(provider.id);
      // The stores hand back the name as the reference, so this reads what `set` replaces.
      const previous = await this.secrets.get(name);
      const ref = await this.secrets.set(name, clientSecretValue);
      provider.clientSecret = ref;
      undoSecret = async () => {
        if (previous === undefined) await this.secrets.delete(ref.secretRef);
        else await this.secrets.set(name, previous);
      };
    }
    try {
      return await this.change((draft) => {
        const index = draft.providers.findIndex((p) => p.id === provider.id);
        if (index >= 0) draft.providers[index] = provider;
        else draft.providers.push(provider);
      });
    } catch (err) {
      await undoSecret();
      throw err;
    }
  }

  /** Removes a provider no upstream uses, and the secret saveProvider stored for it unless a hand-written config shares it. */
  async removeProvider(id: string): Promise<PortcullisConfig> {
    const users = this.config.upstreams.filter((u) => u.provider === id).map((u) => u.id);
    if (users.length) throw new ApiError(409, 'in_use', `provider "${id}" is used by upstream ${users.join(', ')}`, '$.id');
    const name = clientSecretName(id);
    const pointsAtIt = (p: ProviderConfig) =>
      'clientSecret' in p && typeof p.clientSecret === 'object' && 'secretRef' in p.clientSecret && p.clientSecret.secretRef === name;
    const config = await this.change((draft) => {
      draft.providers = draft.providers.filter((p) => p.id !== id);
    });
    if (!config.providers.some(pointsAtIt)) await this.secrets.delete(name);
    return config;
  }
}
