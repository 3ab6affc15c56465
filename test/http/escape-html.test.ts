// escapeHtml: the one escaper for every page Portcullis serves (proxy pages, built-in sign-in).
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../electron/engine/http/escape-html.ts';

describe('escapeHtml', () => {
  it.each([
    ['plain text', 'Alice Admin', 'Alice Admin'],
    ['a script tag', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a double-quoted attribute break-out', '" onmouseover="x', '&quot; onmouseover=&quot;x'],
    ['a single-quoted attribute break-out', "' onfocus='x", '&#39; onfocus=&#39;x'],
    ['an ampersand, escaped once', 'a &amp; b', 'a &amp;amp; b'],
    ['non-ASCII text, kept as it is', 'Zoë 😀', 'Zoë 😀'],
  ])('%s', (_name, input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});
