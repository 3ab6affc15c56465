// The command bundle swaps oidc-provider's list formatter for a plain one, so that loading the
// provider does not pull ICU's locale data into memory (scripts/shims/oidc-provider-formatters.js).
// Its messages must read exactly as oidc-provider's own, which word lists with Intl.ListFormat.
import { describe, expect, it } from 'vitest';
import * as original from 'oidc-provider/lib/helpers/formatters.js';
import * as plain from '../../scripts/shims/oidc-provider-formatters.js';

const lists = [[], ['openid'], ['client_id', 'response_type'], ['a', 'b', 'c'], ['none', 'private_key_jwt', 'client_secret_basic', 'client_secret_post']];

describe("the plain list formatter reads as oidc-provider's", () => {
  for (const type of [undefined, 'conjunction', 'disjunction'] as const) {
    it.each(lists.map((list) => [list.length, list]))(`formats %i items, type ${type ?? 'default'}`, (_n, list) => {
      const options = type ? { type } : undefined;
      expect(plain.formatList(list as string[], options)).toBe(original.formatList(list as string[], options));
    });
  }

  it.each([[0], [1], [2]])('pluralizes for a count of %i', (count) => {
    expect(plain.pluralize('parameter', count)).toBe(original.pluralize('parameter', count));
  });
});
