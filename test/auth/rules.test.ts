import { describe, expect, it } from 'vitest';
import { authorize, authorizeAuthRequest, parseAuthQueryRules } from '../../electron/engine/auth/rules.ts';

const rules = (r: Partial<{ allowedGroups: string[]; allowedEmails: string[]; emailDomains: string[] }>) => ({
  allowedGroups: [],
  allowedEmails: [],
  emailDomains: [],
  ...r,
});
const alice = { email: 'alice@example.test', groups: ['admins', 'devs'] };
const bob = { email: 'bob@example.test', groups: ['devs'] };

describe('authorize: email rules', () => {
  it.each([
    // email, rules, allowed, rule
    ['a@example.test', { emailDomains: ['*'] }, true, 'emailDomains'],
    ['a@example.test', { emailDomains: ['example.test'] }, true, 'emailDomains'],
    ['a@EXAMPLE.test', { emailDomains: ['Example.TEST'] }, true, 'emailDomains'],
    ['a@sub.example.test', { emailDomains: ['example.test'] }, false, 'emailDomains'],
    ['a@sub.example.test', { emailDomains: ['.example.test'] }, true, 'emailDomains'],
    ['a@deep.sub.example.test', { emailDomains: ['.example.test'] }, true, 'emailDomains'],
    ['a@example.test', { emailDomains: ['.example.test'] }, false, 'emailDomains'],
    ['a@evilexample.test', { emailDomains: ['.example.test'] }, false, 'emailDomains'],
    ['a@example.test.evil', { emailDomains: ['example.test'] }, false, 'emailDomains'],
    ['a@other.test', { emailDomains: ['example.test'] }, false, 'emailDomains'],
    ['a@other.test', { allowedEmails: ['a@other.test'] }, true, 'allowedEmails'],
    ['A@Other.Test', { allowedEmails: ['a@other.test'] }, true, 'allowedEmails'],
    ['a@other.test', { allowedEmails: ['b@other.test'], emailDomains: ['example.test'] }, false, 'emailDomains'],
    ['a@other.test', {}, false, 'emailDomains'],
    // never allowed: not exactly one @, even with `*`
    ['', { emailDomains: ['*'] }, false, 'emailDomains'],
    ['alice', { emailDomains: ['*'] }, false, 'emailDomains'],
    ['a@b@example.test', { emailDomains: ['*'] }, false, 'emailDomains'],
    ['a@b@example.test', { allowedEmails: ['a@b@example.test'] }, false, 'emailDomains'],
    ['@example.test', { emailDomains: ['*'] }, false, 'emailDomains'],
    ['a@', { emailDomains: ['*'] }, false, 'emailDomains'],
  ] as const)('%j with %j -> allowed %s by %s', (email, r, allowed, rule) => {
    const decision = authorize({ email, groups: [] }, rules(r as never));
    expect(decision.allowed).toBe(allowed);
    expect(decision.rule).toBe(rule);
    expect(decision.reason.startsWith(allowed ? 'allowed: ' : 'denied: ')).toBe(true);
  });
});

describe('authorize: groups after email', () => {
  it.each([
    [alice, { emailDomains: ['*'], allowedGroups: ['admins'] }, true],
    [bob, { emailDomains: ['*'], allowedGroups: ['admins'] }, false],
    [bob, { emailDomains: ['*'], allowedGroups: ['admins', 'devs'] }, true],
    [bob, { emailDomains: ['*'], allowedGroups: ['Devs'] }, false],
    [{ email: 'c@example.test', groups: [] }, { emailDomains: ['*'], allowedGroups: ['devs'] }, false],
    // the email rule comes first: being in the group does not help
    [alice, { emailDomains: ['other.test'], allowedGroups: ['admins'] }, false],
  ])('%j with %j -> %s', (identity, r, allowed) => {
    expect(authorize(identity, rules(r)).allowed).toBe(allowed);
  });
});

describe('authorize: reasons a user understands', () => {
  it.each([
    [bob, { emailDomains: ['*'], allowedGroups: ['admins'] }, { simulated: true }, 'denied: needs group admins; has devs (simulated)'],
    [bob, { emailDomains: ['*'], allowedGroups: ['admins'] }, {}, 'denied: needs group admins; has devs'],
    [bob, { emailDomains: ['*'], allowedGroups: ['admins', 'ops'] }, {}, 'denied: needs one of groups admins, ops; has devs'],
    [{ email: 'c@example.test', groups: [] }, { emailDomains: ['*'], allowedGroups: ['admins'] }, {}, 'denied: needs group admins; has no groups'],
    [{ email: 'bob@x.test', groups: [] }, { emailDomains: ['example.test'] }, {}, 'denied: email bob@x.test is not in allowedEmails or emailDomains (example.test)'],
    [{ email: 'bob@x.test', groups: [] }, {}, {}, 'denied: email bob@x.test is not in allowedEmails or emailDomains (none)'],
    [{ email: 'a@b@c', groups: [] }, { emailDomains: ['*'] }, {}, 'denied: email "a@b@c" is not a valid address'],
    [alice, { emailDomains: ['*'], allowedGroups: ['admins'] }, {}, 'allowed: member of admins'],
    [alice, { emailDomains: ['*'] }, {}, 'allowed: emailDomains allows any email'],
    [alice, { emailDomains: ['example.test'] }, {}, 'allowed: email domain example.test is in emailDomains'],
    [alice, { allowedEmails: ['alice@example.test'] }, {}, 'allowed: email alice@example.test is in allowedEmails'],
  ])('%j %j %j -> %j', (identity, r, opts, reason) => {
    expect(authorize(identity, rules(r), opts).reason).toBe(reason);
  });

  it('names the group rule when groups decided', () => {
    expect(authorize(bob, rules({ emailDomains: ['*'], allowedGroups: ['admins'] }))).toEqual({
      allowed: false,
      rule: 'allowedGroups',
      reason: 'denied: needs group admins; has devs',
    });
  });
});

describe('parseAuthQueryRules', () => {
  it.each([
    ['', undefined, {}],
    ['allowed_groups=a,b', undefined, { allowedGroups: ['a', 'b'] }],
    ['allowed_groups=a&allowed_groups=b,%20c%20', undefined, { allowedGroups: ['a', 'b', 'c'] }],
    ['allowed_groups=', undefined, {}],
    ['allowed_groups=,,', undefined, {}],
    ['', 'admins, ops', { allowedGroups: ['admins', 'ops'] }],
    ['allowed_groups=a', 'a,b', { allowedGroups: ['a', 'b'] }],
    ['allowed_emails=x@y.test,z@y.test', undefined, { allowedEmails: ['x@y.test', 'z@y.test'] }],
    ['allowed_email_domains=example.test', undefined, { allowedEmailDomains: ['example.test'] }],
    ['rd=/x&other=1', undefined, {}],
  ])('?%s with header %j -> %j', (query, header, expected) => {
    expect(parseAuthQueryRules(new URLSearchParams(query), header)).toEqual(expected);
  });
});

describe('authorizeAuthRequest: each given list must be satisfied', () => {
  it.each([
    [alice, {}, true, undefined],
    [alice, { allowedGroups: ['admins'] }, true, 'allowedGroups'],
    [bob, { allowedGroups: ['admins'] }, false, 'allowedGroups'],
    [bob, { allowedGroups: ['admins', 'devs'] }, true, 'allowedGroups'],
    [bob, { allowedEmails: ['BOB@example.test'] }, true, 'allowedEmails'],
    [bob, { allowedEmails: ['alice@example.test'] }, false, 'allowedEmails'],
    [bob, { allowedEmailDomains: ['example.test'] }, true, 'emailDomains'],
    [bob, { allowedEmailDomains: ['*.test'] }, true, 'emailDomains'],
    [bob, { allowedEmailDomains: ['other.test'] }, false, 'emailDomains'],
    [bob, { allowedEmails: ['bob@example.test'], allowedGroups: ['admins'] }, false, 'allowedGroups'],
    [alice, { allowedEmails: ['alice@example.test'], allowedEmailDomains: ['example.test'], allowedGroups: ['admins'] }, true, 'allowedGroups'],
    [{ email: 'x@y@example.test', groups: [] }, { allowedEmails: ['x@y@example.test'] }, false, 'allowedEmails'],
  ])('%j with %j -> %s (%s)', (identity, parsed, allowed, rule) => {
    const decision = authorizeAuthRequest(identity, parsed);
    expect(decision.allowed).toBe(allowed);
    expect(decision.rule).toBe(rule);
  });

  it('says which query rule denied', () => {
    expect(authorizeAuthRequest(bob, { allowedGroups: ['admins'] }, { simulated: true }).reason).toBe(
      'denied: needs group admins (allowed_groups); has devs (simulated)',
    );
    expect(authorizeAuthRequest(bob, { allowedEmailDomains: ['other.test'] }).reason).toBe(
      'denied: email bob@example.test is not in allowed_email_domains (other.test)',
    );
  });
});
