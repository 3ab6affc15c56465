// One-click claim shapes for a persona: the claims Keycloak, Entra, Auth0 and Okta put in their
// tokens, filled from the persona's own groups, so an app sees the token it will get in
// production (docs/configuration.md, "Claims"). Each says which provider setting reads it.
import { BUILTIN_CLIENT_ID } from '../../../electron/engine/api.ts';
import type { Claims } from './claims-json.ts';

interface PersonaFacts {
  username: string;
  email: string;
  groups: string[];
}

export interface ClaimShape {
  label: string;
  claims: (p: PersonaFacts) => Claims;
  /** Which provider setting (or rule) reads these claims, in words. */
  settingHint: string;
}

/** A stable GUID-looking id for a name (FNV-1a), as Entra gives object ids: the same name, the same id. */
export function objectIdFor(name: string): string {
  let hex = '';
  for (let seed = 0; hex.length < 32; seed++) {
    let h = 0x811c9dc5 ^ seed;
    for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const CLAIM_SHAPES: ClaimShape[] = [
  {
    label: 'Keycloak',
    claims: (p) => ({ realm_access: { roles: p.groups }, resource_access: { [BUILTIN_CLIENT_ID]: { roles: p.groups } } }),
    settingHint: `Set the provider's roles claim to realm_access.roles (or resource_access.${BUILTIN_CLIENT_ID}.roles).`,
  },
  {
    label: 'Entra',
    claims: (p) => ({ roles: p.groups, oid: objectIdFor(`user:${p.username}`), tid: objectIdFor('tenant'), upn: p.email, groups: p.groups.map((g) => objectIdFor(`group:${g}`)) }),
    settingHint: 'Entra sends groups as object ids: list those ids in allowed groups; roles are read from roles (the default).',
  },
  {
    label: 'Auth0',
    claims: (p) => ({ 'https://example.com/roles': p.groups, 'https://example.com/permissions': p.groups.map((g) => `read:${g}`) }),
    settingHint: "Set the provider's roles claim to https://example.com/roles: a name with dots is found by its exact name first.",
  },
  {
    label: 'Okta',
    claims: (p) => ({ groups: p.groups }),
    settingHint: "Okta's groups claim is groups, the default groups claim.",
  },
];
