// Adds `refresh_expires_in` to token responses that carry a refresh token, as Keycloak does, so
// Portcullis can show when a session's refresh token runs out (docs/control-api.md, "Session
// timeline"). The lifetime is the stored token's own, so rotation and a shifted clock count.
import type { Provider } from 'oidc-provider';

const TOKEN_PATH = '/token';

interface TokenResponseContext {
  path: string;
  status: number;
  body: unknown;
}

export function addRefreshExpiry(provider: Provider) {
  return async (ctx: TokenResponseContext, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.path !== TOKEN_PATH || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (typeof body?.refresh_token !== 'string') return;
    const stored = await provider.RefreshToken.find(body.refresh_token);
    if (stored && stored.remainingTTL > 0) body.refresh_expires_in = stored.remainingTTL;
  };
}
