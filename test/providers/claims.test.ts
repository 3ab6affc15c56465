// Reading identities, groups and roles from OIDC claims, and the provider URL and callback rules.

import { describe, expect, it } from 'vitest';
import { claimList } from '../../electron/engine/config/claim-paths.ts';
import { identityFromClaims } from '../../electron/engine/providers/oidc-claims.ts';
import { checkCallback, parseProviderUrl, ProviderError } from '../../electron/engine/providers/provider-error.ts';

describe('claimList (groupsClaim, rolesClaim)', () => {
  it.each([
    ['an array', { groups: ['a', 'b'] }, 'groups', ['a', 'b']],
    ['a comma string', { groups: 'a, b,,c ' }, 'groups', ['a', 'b', 'c']],
    ['a single string', { groups: 'admins' }, 'groups', ['admins']],
    ['an empty array', { groups: [] }, 'groups', []],
    ['non-string members dropped, numbers kept', { groups: ['a', 7, null, { x: 1 }, ''] }, 'groups', ['a', '7']],
    ['a custom claim', { roles: ['r'] }, 'roles', ['r']],
    ['a namespaced claim with dots', { 'https://example.com/groups': ['x'] }, 'https://example.com/groups', ['x']],
    ['a nested path', { realm_access: { roles: ['kc'] } }, 'realm_access.roles', ['kc']],
    ['an absent claim', { other: 1 }, 'groups', undefined],
    ['a non-list value', { groups: 42 }, 'groups', undefined],
    ['a path through a non-object', { realm_access: 'x' }, 'realm_access.roles', undefined],
    ['a client\'s roles (Keycloak resource_access)', { resource_access: { shop: { roles: ['buyer'] } } }, 'resource_access.shop.roles', ['buyer']],
    ['the exact dotted name before the path', { 'a.b': ['exact'], a: { b: ['nested'] } }, 'a.b', ['exact']],
    ['a path through an array', { realm_access: [{ roles: ['x'] }] }, 'realm_access.roles', undefined],
    ['an inherited name is no claim', {}, 'constructor', undefined],
  ])('reads %s', (_name, claims, claim, expected) => {
    expect(claimList(claims, claim)).toEqual(expected);
  });
});

const NAMES = { groupsClaim: 'groups', rolesClaim: 'roles' };

describe('identityFromClaims', () => {
  it.each([
    ['the ID token says false', { sub: 'u', email: 'ceo@corp.test', email_verified: false }, undefined, true],
    ['userinfo says "false"', { sub: 'u', email: 'ceo@corp.test' }, { sub: 'u', email_verified: 'false' }, true],
    ['verified', { sub: 'u', email: 'ceo@corp.test', email_verified: true }, undefined, false],
    ['not stated (GitHub-like providers, many IdPs)', { sub: 'u', email: 'ceo@corp.test' }, undefined, false],
    ['unverified but no email at all', { sub: 'u', email_verified: false }, undefined, false],
  ])('refuses an unverified email address when %s', (_case, id, userinfo, refused) => {
    const run = () => identityFromClaims(id, userinfo, NAMES);
    if (refused) expect(run).toThrow(/ceo@corp\.test is not verified/);
    else expect(run).not.toThrow();
  });

  it('prefers ID token claims and fills gaps from userinfo', () => {
    expect(identityFromClaims({ sub: 'u1', name: 'From ID' }, { sub: 'u1', email: 'u@x.test', groups: 'g1,g2', name: 'From userinfo' }, NAMES)).toEqual({
      user: 'u1', email: 'u@x.test', groups: ['g1', 'g2'], roles: [], preferredUsername: undefined, name: 'From ID',
      claims: { sub: 'u1', email: 'u@x.test', groups: 'g1,g2', name: 'From ID' },
    });
  });

  it('reads roles through rolesClaim, nested as Keycloak nests them', () => {
    const identity = identityFromClaims({ sub: 'u', realm_access: { roles: ['reporter'] } }, undefined, { groupsClaim: 'groups', rolesClaim: 'realm_access.roles' });
    expect(identity.roles).toEqual(['reporter']);
  });

  it('refuses claims without a subject', () => {
    expect(() => identityFromClaims({ email: 'x@y' }, undefined, NAMES)).toThrow(/no subject/);
  });
});

describe('parseProviderUrl', () => {
  it.each([
    ['https://idp.example.com/', false],
    ['http://127.0.0.1:4190', true],
    ['http://localhost:8080/realms/dev', true],
    ['http://[::1]:4190', true],
  ])('accepts %s', (value, insecure) => {
    expect(parseProviderUrl('issuer', value).insecure).toBe(insecure);
  });

  it.each([
    ['http://idp.example.com', /must use https/],
    ['http://127.0.0.1.nip.io', /must use https/],
    ['http://localhost.evil.example', /must use https/],
    ['ftp://localhost/', /must use https/],
    ['javascript:alert(1)', /must use https/],
    ['https://user:pw@idp.example.com', /user name or password/],
    ['idp.example.com', /is not a URL/],
    ['', /is not a URL/],
  ])('rejects %s', (value, message) => {
    expect(() => parseProviderUrl('issuer', value)).toThrow(message);
  });
});

describe('checkCallback', () => {
  const checks = { state: 'good-state', codeVerifier: 'v' };
  it.each([
    ['no state', '?code=c', 'state_mismatch'],
    ['a wrong state', '?code=c&state=bad', 'state_mismatch'],
    ['an error with a wrong state', '?error=access_denied&state=bad', 'state_mismatch'],
    ['a duplicated state', '?code=c&state=bad&state=good-state', 'state_mismatch'],
    ['a provider error', '?error=access_denied&state=good-state', 'access_denied'],
    ['an error code with markup', '?error=%3Cb%3E&state=good-state', 'provider_error'],
    ['an overlong error code', `?error=${'a'.repeat(100)}&state=good-state`, 'provider_error'],
    ['no code', '?state=good-state', 'invalid_request'],
  ])('rejects %s', (_name, query, code) => {
    let err: unknown;
    try {
      checkCallback('The IdP', new URL(`http://localhost:4180/oauth2/callback${query}`), checks);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe(code);
  });

  it('strips control characters from provider descriptions', () => {
    expect(() => checkCallback('The IdP', new URL('http://localhost/cb?state=good-state&error=access_denied&error_description=a%0D%0Ab'), checks))
      .toThrow('The IdP refused the sign-in (access_denied: a  b).');
  });

  it('passes a good callback', () => {
    expect(() => checkCallback('The IdP', new URL('http://localhost/cb?code=c&state=good-state'), checks)).not.toThrow();
  });
});
