// oidc-provider ships no types for its internal list formatter, which
// test/idp/oidc-provider-formatters.test.ts holds the command bundle's replacement to.
declare module 'oidc-provider/lib/helpers/formatters.js' {
  export function formatList(list: string[], options?: { type?: 'conjunction' | 'disjunction' }): string;
  export function pluralize(word: string, count: number): string;
}
