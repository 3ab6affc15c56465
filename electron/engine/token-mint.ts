// "Mint a token" (docs/control-api.md): tokens for a persona from the built-in provider, and a
// curl line that calls an upstream with them. engine.ts delegates its mintToken call here.
import { ApiError, type MintedToken, type MintTokenInput } from './api.ts';
import type { PortcullisConfig, UpstreamConfig } from './config/types.ts';
import type { BuiltinIdp } from './idp/builtin-idp.ts';
import { IdpRequestError } from './idp/request-error.ts';

export const DEFAULT_MINT_LIFETIME_SECONDS = 300;

export async function mintToken(idp: BuiltinIdp | undefined, config: PortcullisConfig, url: (upstream: UpstreamConfig) => string, input: MintTokenInput): Promise<MintedToken> {
  if (!idp) throw new ApiError(409, 'idp_unavailable', 'The built-in identity provider is not running, so it cannot mint a token.');
  try {
    const tokens = await idp.mint({
      persona: input.persona,
      expiresInSeconds: input.expiresIn ?? DEFAULT_MINT_LIFETIME_SECONDS,
      ...(input.audience !== undefined ? { audience: input.audience } : {}),
      ...(input.claims !== undefined ? { claims: input.claims } : {}),
    });
    const target = curlTarget(config);
    return { ...tokens, curl: `curl -H 'Authorization: Bearer ${tokens.accessToken}' ${target ? `${url(target)}/` : 'http://localhost:4180/'}` };
  } catch (err) {
    if (err instanceof IdpRequestError) throw new ApiError(400, 'invalid_mint', (err as Error).message);
    throw err;
  }
}

/** The upstream the curl line calls: one that accepts the built-in provider's bearer tokens, else the first on it. */
function curlTarget(config: PortcullisConfig): UpstreamConfig | undefined {
  const builtinIds = new Set(config.providers.filter((p) => p.type === 'builtin').map((p) => p.id));
  const onBuiltin = config.upstreams.filter((u) => u.enabled && builtinIds.has(u.provider));
  return onBuiltin.find((u) => u.bearerTokens) ?? onBuiltin[0];
}
