// Remembers whether an authorization request asked for offline_access. oidc-provider drops that
// scope unless the request also says prompt=consent, which no first-party client sends; real
// providers (Auth0, Okta, Entra) issue a refresh token for it all the same. The flag travels with
// the request's parameters (OFFLINE_PARAM, oidc-configuration.ts) to the grant.
import { OFFLINE_PARAM } from './oidc-configuration.ts';

const AUTHORIZATION_PATH = '/auth';

interface QueryContext {
  path: string;
  query: Record<string, string | string[] | undefined>;
}

export async function markOfflineAccess(ctx: QueryContext, next: () => Promise<void>): Promise<void> {
  if (ctx.path === AUTHORIZATION_PATH) {
    // Only this middleware sets the flag: a client that sends it itself is not believed.
    const { [OFFLINE_PARAM]: _claimed, ...query } = ctx.query;
    const scope = typeof query.scope === 'string' ? query.scope.split(' ') : [];
    ctx.query = scope.includes('offline_access') ? { ...query, [OFFLINE_PARAM]: '1' } : query;
  }
  await next();
}
