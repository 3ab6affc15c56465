// Changes to the settings as the control API makes them: one at a time (two UIs cannot
// interleave a stop and a start), refused with a 400 naming the bad field, and a provider's
// client secret (or a service client's) saved to the secret store and put back when the settings
// refuse the change.
import { ApiError, type ServiceClientInput } from './api.ts';
import { ChangeQueue } from './config/change-queue.ts';
import { ConfigError } from './config/errors.ts';
import { isSecretName, type SecretStore } from './config/secrets.ts';
import type { SettingsStore } from './config/settings-store.ts';
import type { PortcullisConfig, ProviderConfig, SecretValue, ServiceClientConfig, UpstreamConfig } from './config/types.ts';
import { refersTo, serviceClientSecretName } from './service-clients.ts';

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
      const stored = await this.storeSecret(clientSecretName(provider.id), clientSecretValue);
      provider.clientSecret = stored.ref;
      undoSecret = stored.undo;
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

  /**
   * Replaces the built-in provider's service clients. A `clientSecretValue` goes to the secret
   * store; a client given no secret keeps the one it has. A rejected body changes nothing: stored
   * secrets go back. Stored secrets no client uses any more are deleted.
   */
  async saveServiceClients(input: ServiceClientInput[]): Promise<PortcullisConfig> {
    const before = this.config.builtinIdp.clients ?? [];
    const undo: Array<() => Promise<void>> = [];
    let config: PortcullisConfig;
    try {
      const clients: ServiceClientConfig[] = [];
      for (const [i, { clientSecret, clientSecretValue, ...client }] of input.entries()) {
        const at = `$.clients[${i}]`;
        if (clientSecret && clientSecretValue !== undefined)
          throw new ApiError(400, 'invalid_body', 'give the secret as clientSecret ({ "env": … }) or as clientSecretValue, not both', `${at}.clientSecretValue`);
        let secret: SecretValue | undefined = clientSecret ?? before.find((b) => b.clientId === client.clientId)?.clientSecret;
        if (clientSecretValue !== undefined) {
          const name = serviceClientSecretName(client.clientId);
          // The settings check the id too, but only after the secret would be stored under it.
          if (!isSecretName(name)) throw new ApiError(400, 'invalid_body', `client id "${client.clientId}" may hold only letters, digits, ".", "_" or "-"`, `${at}.clientId`);
          const stored = await this.storeSecret(name, clientSecretValue);
          undo.unshift(stored.undo);
          secret = stored.ref;
        }
        if (secret === undefined)
          throw new ApiError(400, 'missing_field', `service client "${client.clientId}" needs a secret: clientSecret ({ "env": … }) or clientSecretValue`, `${at}.clientSecret`);
        clients.push({ ...client, clientSecret: secret });
      }
      config = await this.change((draft) => {
        if (clients.length) draft.builtinIdp.clients = clients;
        else delete draft.builtinIdp.clients;
      });
    } catch (err) {
      for (const putBack of undo) await putBack();
      throw err;
    }
    for (const { clientId } of before) {
      const name = serviceClientSecretName(clientId);
      if (!config.builtinIdp.clients?.some((c) => refersTo(c.clientSecret, name))) await this.secrets.delete(name);
    }
    return config;
  }

  /** Removes a provider no upstream uses, and the secret saveProvider stored for it unless a hand-written config shares it. */
  async removeProvider(id: string): Promise<PortcullisConfig> {
    const users = this.config.upstreams.filter((u) => u.provider === id).map((u) => u.id);
    if (users.length) throw new ApiError(409, 'in_use', `provider "${id}" is used by upstream ${users.join(', ')}`, '$.id');
    const name = clientSecretName(id);
    const pointsAtIt = (p: ProviderConfig) => 'clientSecret' in p && refersTo(p.clientSecret, name);
    const config = await this.change((draft) => {
      draft.providers = draft.providers.filter((p) => p.id !== id);
    });
    if (!config.providers.some(pointsAtIt)) await this.secrets.delete(name);
    return config;
  }

  /** Stores a value under `name`; `undo` puts back what was there before (or nothing). */
  private async storeSecret(name: string, value: string): Promise<{ ref: { secretRef: string }; undo: () => Promise<void> }> {
    // The stores hand back the name as the reference, so this reads what `set` replaces.
    const previous = await this.secrets.get(name);
    const ref = await this.secrets.set(name, value);
    const undo = async () => {
      if (previous === undefined) await this.secrets.delete(ref.secretRef);
      else await this.secrets.set(name, previous);
    };
    return { ref, undo };
  }
}
