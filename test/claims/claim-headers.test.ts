// Claim headers as a table (docs/configuration.md, "Claims"): how a claim becomes a header value,
// which names `check` refuses, and that bearerTokens is refused on a GitHub provider.
import { describe, expect, it } from 'vitest';
import { renderClaimHeaders, isClaimHeaderName, oversizedClaimHeader } from '../../electron/engine/auth/claim-headers.ts';
import { validateConfig } from '../../electron/engine/config/validate.ts';

const claims = {
  sub: 'alice',
  tid: 'tenant-1',
  realm_access: { roles: ['reporter', 'viewer'] },
  'https://example.com/roles': ['admin'],
  nested: { flag: true, n: 3 },
  empty: '',
  nothing: null,
};

describe('renderClaimHeaders', () => {
  it.each([
    ['text as it is', 'tid', 'tenant-1'],
    ['an array joined with ,', 'realm_access.roles', 'reporter,viewer'],
    ['a dotted name found exactly', 'https://example.com/roles', 'admin'],
    ['an object as compact JSON', 'nested', '{"flag":true,"n":3}'],
    ['a number', 'nested.n', '3'],
    ['a boolean', 'nested.flag', 'true'],
    ['all claims with $', '$', JSON.stringify(claims)],
    ['a missing claim: no header', 'absent', undefined],
    ['a null claim: no header', 'nothing', undefined],
    ['an empty claim: no header', 'empty', undefined],
  ])('%s', (_case, path, expected) => {
    expect(renderClaimHeaders(claims, { 'X-Claim': path })['X-Claim']).toBe(expected);
  });

  it('drops CR/LF from a claim so it cannot split a header', () => {
    expect(renderClaimHeaders({ t: 'a\r\nX-Injected: 1' }, { 'X-T': 't' })).toEqual({ 'X-T': 'aX-Injected: 1' });
  });

  it('names a value over 8 KiB', () => {
    const headers = renderClaimHeaders({ big: 'x'.repeat(9000) }, { 'X-Big': 'big' });
    expect(oversizedClaimHeader(headers)).toMatch(/claim header X-Big would be 9000 bytes, over the 8 KiB limit/);
  });
});

describe('isClaimHeaderName', () => {
  it.each([['X-User-Tenant'], ['x-user-tenant'], ['X_USER_TENANT'], ['x-User_tenant']])('matches %s in any spelling', (name) => {
    expect(isClaimHeaderName(name, { 'X-User-Tenant': 'tid' })).toBe(true);
  });
  it('leaves other headers alone', () => expect(isClaimHeaderName('X-User', { 'X-User-Tenant': 'tid' })).toBe(false));
});

function problems(upstream: Record<string, unknown>, provider: Record<string, unknown> = { id: 'builtin', type: 'builtin' }) {
  const result = validateConfig({
    upstreams: [{ id: 'app', listen: { host: '127.0.0.1', port: 4180 }, target: 'http://127.0.0.1:8501', provider: provider.id, ...upstream }],
    providers: [provider],
  });
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('check refuses', () => {
  it.each([
    ['a header name with a space', { 'X Bad': 'tid' }, /is not a valid HTTP header name/],
    ['a header name with CR/LF', { 'X-A\r\nX-B': 'tid' }, /is not a valid HTTP header name/],
    ['a hop-by-hop name', { Connection: 'tid' }, /hop-by-hop/],
    ['Transfer-Encoding', { 'transfer-encoding': 'tid' }, /hop-by-hop/],
    ['an identity header', { 'X-Forwarded-User': 'tid' }, /Portcullis's own identity headers/],
    ['X-Auth-Request-*', { 'X-Auth-Request-Tenant': 'tid' }, /Portcullis's own identity headers/],
    ['one header twice in two spellings', { 'X-Tenant': 'tid', x_tenant: 'tid' }, /is the same header as X-Tenant/],
    ['a claim path with an empty part', { 'X-T': 'realm_access..roles' }, /has an empty part/],
  ])('%s', (_case, claimHeaders, message) => {
    expect(problems({ claimHeaders }).join('\n')).toMatch(message);
  });

  it('accepts good claim headers', () => {
    expect(problems({ claimHeaders: { 'X-User-Tenant': 'tid', 'X-Auth-User': '$', 'X-Roles': 'https://example.com/roles' } })).toEqual([]);
  });

  it('bearerTokens on a GitHub provider, whose tokens are opaque', () => {
    expect(problems({ bearerTokens: true }, { id: 'gh', type: 'github', clientId: 'x', clientSecret: 's', org: 'acme' }).join('\n')).toMatch(
      /\$\.upstreams\[0\]\.bearerTokens: provider "gh" is a GitHub provider: its tokens are opaque, not JWTs/,
    );
  });
});
