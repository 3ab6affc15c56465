// Turns a stored session into what the UI shows: who, when it expires, and its tokens
// decoded (header, claims, whether the signature verifies). Verification results are
// cached per token, since the UI asks again on every state change.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { SessionView, TimelineEvent, TokenView } from './api.ts';
import type { Session } from './identity.ts';
import type { AuthProvider } from './providers/types.ts';

const verified = new Map<string, boolean>();
const VERIFIED_CACHE_LIMIT = 1_000;

async function viewToken(raw: string | undefined, provider: AuthProvider | undefined): Promise<TokenView | undefined> {
  if (!raw) return undefined;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(raw) as Record<string, unknown>;
    claims = decodeJwt(raw) as Record<string, unknown>;
  } catch {
    return { kind: 'opaque', raw };
  }
  let signatureVerified = verified.get(raw);
  if (signatureVerified === undefined) {
    const checked = provider ? await provider.verifyJwt(raw).catch(() => false) : false;
    if (verified.size >= VERIFIED_CACHE_LIMIT) verified.clear();
    verified.set(raw, checked);
    signatureVerified = checked;
  }
  return { kind: 'jwt', raw, jwt: { header, claims, signatureVerified, raw } };
}

export async function viewSession(session: Session, provider: AuthProvider | undefined, timeline: TimelineEvent[] = []): Promise<SessionView> {
  const { identity, tokens } = session;
  const [idToken, accessToken] = await Promise.all([viewToken(tokens.idToken, provider), viewToken(tokens.accessToken, provider)]);
  return {
    id: session.id,
    upstreamId: session.upstreamId,
    providerId: session.providerId,
    user: identity.user,
    email: identity.email,
    name: identity.name,
    preferredUsername: identity.preferredUsername,
    groups: identity.groups,
    roles: identity.roles ?? [],
    createdAt: session.createdAt,
    expiresAt: tokens.expiresAt,
    ...(tokens.refreshToken && tokens.refreshExpiresAt ? { refreshExpiresAt: tokens.refreshExpiresAt } : {}),
    willRefresh: provider?.canRefresh(tokens) ?? false,
    idToken,
    accessToken,
    userinfo: session.userinfo,
    timeline,
  };
}
