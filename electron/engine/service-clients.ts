// The built-in provider's service clients (docs/configuration.md, "Service clients") as the
// control API shows and saves them: where each secret comes from, never the secret itself, and
// the name a secret given as a value is stored under.
import type { ServiceClientView } from './api.ts';
import type { SecretValue, ServiceClientConfig } from './config/types.ts';

/** The name saveServiceClients stores a service client's secret under. */
export const serviceClientSecretName = (clientId: string) => `idp-client:${clientId}:clientSecret`;

/** Whether a settings secret is the store's entry `name`. */
export const refersTo = (secret: SecretValue | undefined, name: string): boolean =>
  typeof secret === 'object' && 'secretRef' in secret && secret.secretRef === name;

function secretSource(secret: SecretValue): ServiceClientView['secret'] {
  if (typeof secret === 'string') return { source: 'file' };
  return 'env' in secret ? { source: 'env', env: secret.env } : { source: 'store' };
}

export function viewServiceClients(clients: ServiceClientConfig[] | undefined, problemOf: (clientId: string) => string | undefined): ServiceClientView[] {
  return (clients ?? []).map((c) => {
    const problem = problemOf(c.clientId);
    return { clientId: c.clientId, ...(c.claims ? { claims: c.claims } : {}), secret: secretSource(c.clientSecret), ...(problem ? { problem } : {}) };
  });
}
