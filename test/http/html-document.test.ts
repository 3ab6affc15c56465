// The one document head both kinds of Portcullis pages use: the listener's own pages and the
// built-in provider's forms carry the same head, with their own style and body.
import { describe, expect, it } from 'vitest';
import { htmlDocument } from '../../electron/engine/http/html-document.ts';
import { renderPage } from '../../electron/engine/http/pages.ts';
import { renderSignInPage } from '../../electron/engine/idp/pages.ts';

const head = (html: string) => html.slice(0, html.indexOf('<title>'));

describe('htmlDocument', () => {
  it('escapes the title, inlines the style and places the body as given', () => {
    const html = htmlDocument({ title: `<script>"x"</script>`, style: 'p{color:red}', body: '<p>hi</p>' });
    expect(html).toContain('<title>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</title>');
    expect(html).toContain('<style>p{color:red}</style>');
    expect(html).toContain('<body>\n<p>hi</p>\n</body>');
    expect(html).not.toMatch(/<script/i);
  });

  it.each([
    ['a listener page', renderPage({ status: 503, title: 't', message: 'm' })],
    ['the provider sign-in page', renderSignInPage({ action: '/interaction/1', personas: [] })],
  ])('is the head of %s: no referrer, device width, UTF-8', (_page, html) => {
    expect(head(html)).toBe(head(htmlDocument({ title: '', style: '', body: '' })));
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });
});
