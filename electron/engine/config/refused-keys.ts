// Settings keys a provider type refuses for a reason worth more than "unknown key": said alike
// by `portcullis check` (validate.ts) and the control API (api-schemas.ts).

/** Why `key` does not belong on `provider`, or undefined when it is simply unknown or fine. */
export function refusedKeyReason(key: string, provider: unknown): string | undefined {
  const type = typeof provider === 'object' && provider !== null ? (provider as { type?: unknown }).type : undefined;
  if (key === 'providerSignOut' && type === 'github') {
    return 'GitHub has no provider sign-out (it publishes no end_session_endpoint): /oauth2/sign_out ends the Portcullis session only; remove providerSignOut';
  }
  return undefined;
}
