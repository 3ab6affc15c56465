// Decides whether a signed-in identity may pass an upstream's rules, with oauth2-proxy's
// semantics, and says why in words a user understands (shown on the 403 page and in the
// request log). Also the per-request rules of `/oauth2/auth?allowed_groups=…`.

export type RuleName = 'allowedEmails' | 'emailDomains' | 'allowedGroups' | 'allowedRoles';

export interface AuthzIdentity {
  email: string;
  groups: readonly string[];
  roles?: readonly string[];
}

export interface AuthzRules {
  allowedGroups: readonly string[];
  /** Any of these roles; checked after the groups, with the same words. */
  allowedRoles?: readonly string[];
  allowedEmails: readonly string[];
  emailDomains: readonly string[];
}

export interface AuthzDecision {
  allowed: boolean;
  /** The rule that decided: the group rule when it was checked, else the email rule that let the user in or refused them. */
  rule?: RuleName;
  reason: string;
}

/** Rules from `/oauth2/auth`'s query and the `X-Auth-Request-Allowed-Groups` header; an absent list imposes nothing. */
export interface AuthRequestRules {
  allowedGroups?: string[];
  allowedEmails?: string[];
  allowedEmailDomains?: string[];
}

/**
 * oauth2-proxy order: the email must pass `allowedEmails` or `emailDomains` first; then, when
 * `allowedGroups` is non-empty, the user needs at least one of those groups; then, likewise,
 * one of `allowedRoles`.
 */
export function authorize(identity: AuthzIdentity, rules: AuthzRules, opts: { simulated?: boolean; serviceToken?: boolean } = {}): AuthzDecision {
  const suffix = opts.simulated ? ' (simulated)' : '';
  const domain = emailDomain(identity.email);
  // A service client's bearer token (client credentials) names no user and no address: only
  // email rules that allow anyone let it through to the group and role rules.
  const anyEmail = rules.emailDomains.includes('*') && rules.allowedEmails.length === 0;
  if (domain === undefined && opts.serviceToken && identity.email === '' && anyEmail) {
    return checkTeams(identity, rules, 'emailDomains', 'emailDomains allows any email', suffix);
  }
  if (domain === undefined) {
    return deny('emailDomains', `email ${quoteEmail(identity.email)} is not a valid address`, suffix);
  }

  let emailRule: RuleName;
  let emailReason: string;
  if (includesCaseless(rules.allowedEmails, identity.email)) {
    emailRule = 'allowedEmails';
    emailReason = `email ${identity.email} is in allowedEmails`;
  } else if (rules.emailDomains.includes('*')) {
    emailRule = 'emailDomains';
    emailReason = 'emailDomains allows any email';
  } else if (rules.emailDomains.some((allowed) => domainMatches(domain, allowed))) {
    emailRule = 'emailDomains';
    emailReason = `email domain ${domain} is in emailDomains`;
  } else {
    const listed = rules.emailDomains.length > 0 ? rules.emailDomains.join(', ') : 'none';
    return deny('emailDomains', `email ${identity.email} is not in allowedEmails or emailDomains (${listed})`, suffix);
  }

  return checkTeams(identity, rules, emailRule, emailReason, suffix);
}

/** After the email rules: one of allowedGroups, then one of allowedRoles, where they are set. */
function checkTeams(identity: AuthzIdentity, rules: AuthzRules, emailRule: RuleName, emailReason: string, suffix: string): AuthzDecision {
  const allowedRoles = rules.allowedRoles ?? [];
  if (rules.allowedGroups.length === 0 && allowedRoles.length === 0) return { allowed: true, rule: emailRule, reason: `allowed: ${emailReason}${suffix}` };
  const groups = rules.allowedGroups.length > 0 ? checkMembership(GROUPS, identity.groups, rules.allowedGroups, '', suffix) : undefined;
  if (groups && !groups.allowed) return groups;
  return allowedRoles.length > 0 ? checkMembership(ROLES, identity.roles ?? [], allowedRoles, '', suffix) : (groups as AuthzDecision);
}

const csv = (value: string | null | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function listParam(query: URLSearchParams, name: string): string[] | undefined {
  if (!query.has(name)) return undefined;
  const values = query.getAll(name).flatMap(csv);
  return values.length > 0 ? values : undefined;
}

export function parseAuthQueryRules(query: URLSearchParams, allowedGroupsHeader?: string): AuthRequestRules {
  const groups = [...(listParam(query, 'allowed_groups') ?? []), ...csv(allowedGroupsHeader)];
  const parsed: AuthRequestRules = {};
  if (groups.length > 0) parsed.allowedGroups = [...new Set(groups)];
  const emails = listParam(query, 'allowed_emails');
  if (emails) parsed.allowedEmails = emails;
  const domains = listParam(query, 'allowed_email_domains');
  if (domains) parsed.allowedEmailDomains = domains;
  return parsed;
}

/** Every list that is given must be satisfied (oauth2-proxy's `/oauth2/auth` constraints). */
export function authorizeAuthRequest(identity: AuthzIdentity, parsed: AuthRequestRules, opts: { simulated?: boolean } = {}): AuthzDecision {
  const suffix = opts.simulated ? ' (simulated)' : '';
  const { allowedEmails, allowedEmailDomains, allowedGroups } = parsed;
  const domain = emailDomain(identity.email);
  let passed: AuthzDecision = { allowed: true, reason: `allowed: no per-request rules${suffix}` };
  if (allowedEmails) {
    if (domain === undefined || !includesCaseless(allowedEmails, identity.email)) {
      return deny('allowedEmails', `email ${quoteEmail(identity.email)} is not in allowed_emails (${allowedEmails.join(', ')})`, suffix);
    }
    passed = { allowed: true, rule: 'allowedEmails', reason: `allowed: email ${identity.email} is in allowed_emails${suffix}` };
  }
  if (allowedEmailDomains) {
    if (domain === undefined || !allowedEmailDomains.some((allowed) => domainMatches(domain, allowed))) {
      const listed = allowedEmailDomains.join(', ');
      return deny('emailDomains', `email ${quoteEmail(identity.email)} is not in allowed_email_domains (${listed})`, suffix);
    }
    passed = { allowed: true, rule: 'emailDomains', reason: `allowed: email domain ${domain} is in allowed_email_domains${suffix}` };
  }
  return allowedGroups ? checkMembership(GROUPS, identity.groups, allowedGroups, ' (allowed_groups)', suffix) : passed;
}

interface MembershipWords {
  rule: RuleName;
  one: string;
  many: string;
  /** How an allowed reason names the match: "member of admins", "has role reporter". */
  matched: string;
}
const GROUPS: MembershipWords = { rule: 'allowedGroups', one: 'group', many: 'groups', matched: 'member of' };
const ROLES: MembershipWords = { rule: 'allowedRoles', one: 'role', many: 'roles', matched: 'has role' };

function checkMembership(words: MembershipWords, has: readonly string[], needs: readonly string[], source: string, suffix: string): AuthzDecision {
  const member = needs.find((entry) => has.includes(entry));
  if (member !== undefined) return { allowed: true, rule: words.rule, reason: `allowed: ${words.matched} ${member}${suffix}` };
  const needed = needs.length === 1 ? `${words.one} ${needs[0]}` : `one of ${words.many} ${needs.join(', ')}`;
  const current = has.length > 0 ? `has ${has.join(', ')}` : `has no ${words.many}`;
  return deny(words.rule, `needs ${needed}${source}; ${current}`, suffix);
}

function deny(rule: RuleName, why: string, suffix: string): AuthzDecision {
  return { allowed: false, rule, reason: `denied: ${why}${suffix}` };
}

/** The lower-cased part after the single `@`, or undefined when the address has no or several `@`. */
function emailDomain(email: string): string | undefined {
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@') || at === email.length - 1) return undefined;
  return email.slice(at + 1).toLowerCase();
}

/** `example.com` matches exactly; `.example.com` (or `*.example.com`) matches its subdomains only, as in oauth2-proxy. */
function domainMatches(domain: string, allowed: string): boolean {
  const rule = allowed.toLowerCase();
  const suffix = rule.startsWith('*.') ? rule.slice(1) : rule;
  if (suffix.startsWith('.')) return domain.length > suffix.length && domain.endsWith(suffix);
  return domain === suffix;
}

function includesCaseless(list: readonly string[], value: string): boolean {
  const lower = value.toLowerCase();
  return list.some((entry) => entry.toLowerCase() === lower);
}

/** An address that is not one is quoted so odd characters show plainly in the reason. */
function quoteEmail(email: string): string {
  return emailDomain(email) === undefined ? JSON.stringify(email) : email;
}
