// The built-in identity provider's settings as the engine hands them over: the `builtinIdp`
// section of the settings with its defaults, and each service client's secret resolved.

import type { BuiltinIdpConfig } from '../config/types.ts';
import { resolveSecret, type SecretStore } from '../config/secrets.ts';
import { DEFAULT_IDP_SETTINGS, type IdpSettings, type ServiceClient } from './settings.ts';

/**
 * A client whose secret cannot be read (an unset environment variable, a missing stored secret)
 * is left out, with the reason in `problems`: the provider and every other client still run.
 */
export async function idpSettingsFromConfig(
  config: BuiltinIdpConfig,
  secrets: SecretStore,
): Promise<{ settings: IdpSettings; problems: Array<{ clientId: string; message: string }> }> {
  const clients: ServiceClient[] = [];
  const problems: Array<{ clientId: string; message: string }> = [];
  for (const [index, client] of (config.clients ?? []).entries()) {
    try {
      const at = `$.builtinIdp.clients[${index}].clientSecret`;
      const clientSecret = await resolveSecret(client.clientSecret, secrets, at);
      if (!clientSecret) throw new Error(`${at}: the secret is empty`);
      clients.push({ clientId: client.clientId, clientSecret, ...(client.claims ? { claims: client.claims } : {}) });
    } catch (err) {
      problems.push({ clientId: client.clientId, message: `${(err as Error).message}: service client "${client.clientId}" cannot get tokens` });
    }
  }
  return {
    settings: {
      users: config.users,
      clients,
      accessTokenTtl: config.accessTokenTtl ?? DEFAULT_IDP_SETTINGS.accessTokenTtl,
      refreshTokenTtl: config.refreshTokenTtl ?? DEFAULT_IDP_SETTINGS.refreshTokenTtl,
      clockSkewSeconds: config.clockSkewSeconds ?? DEFAULT_IDP_SETTINGS.clockSkewSeconds,
    },
    problems,
  };
}
