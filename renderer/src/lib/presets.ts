// Provider presets: what each identity provider's issuer looks like and which type it uses.
import type { ProviderConfig } from '../../../electron/engine/api.ts';

export interface ProviderPreset {
  key: string;
  label: string;
  type: ProviderConfig['type'];
  /** Issuer template with a placeholder the user replaces. */
  issuer?: string;
  hint: string;
  scopes?: string[];
  groupsClaim?: string;
  rolesClaim?: string;
}

export const PRESETS: ProviderPreset[] = [
  { key: 'builtin', label: 'Built-in', type: 'builtin', hint: 'Local personas; nothing to register.' },
  { key: 'auth0', label: 'Auth0', type: 'oidc', issuer: 'https://TENANT.eu.auth0.com/', hint: 'Applications → Regular Web Application.', groupsClaim: 'groups', rolesClaim: 'https://example.com/roles' },
  { key: 'keycloak', label: 'Keycloak', type: 'oidc', issuer: 'http://localhost:8080/realms/REALM', hint: 'Clients → confidential client with standard flow.', groupsClaim: 'groups', rolesClaim: 'realm_access.roles' },
  { key: 'okta', label: 'Okta', type: 'oidc', issuer: 'https://ORG.okta.com/oauth2/default', hint: 'Applications → Web app (OIDC).', scopes: ['openid', 'email', 'profile', 'groups'], groupsClaim: 'groups' },
  { key: 'google', label: 'Google', type: 'oidc', issuer: 'https://accounts.google.com', hint: 'APIs & Services → Credentials → OAuth client (Web).' },
  { key: 'entra', label: 'Microsoft Entra', type: 'oidc', issuer: 'https://login.microsoftonline.com/TENANT_ID/v2.0', hint: 'App registrations → Web platform.', groupsClaim: 'groups' },
  { key: 'github', label: 'GitHub', type: 'github', hint: 'Settings → Developer settings → OAuth Apps.' },
  { key: 'oidc', label: 'Generic OIDC', type: 'oidc', issuer: '', hint: 'Any issuer with /.well-known/openid-configuration.', groupsClaim: 'groups' },
];
