// Replaces oidc-provider's lib/helpers/formatters.js in the command bundle (scripts/build-cli.mjs).
// The original builds two Intl.ListFormat objects when it loads; that pulls ICU's locale data
// into memory, about 6 MiB of resident memory for wording a handful of English error messages.
// Same exports, same English wording ("'a', 'b', and 'c'" / "'a' or 'b'");
// test/idp/oidc-provider-formatters.test.ts holds it to Intl.ListFormat's output.

function joinWords(items, word) {
  if (items.length < 3) return items.join(` ${word} `);
  return `${items.slice(0, -1).join(', ')}, ${word} ${items[items.length - 1]}`;
}

export function formatList(list, { type = 'conjunction' } = {}) {
  return joinWords(list.map((w) => `'${w}'`), type === 'conjunction' ? 'and' : 'or');
}

export function pluralize(word, count) {
  return count === 1 ? word : `${word}s`;
}
