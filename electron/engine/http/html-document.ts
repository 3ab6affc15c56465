// The document around every HTML page Portcullis writes itself (the listener's pages and the
// built-in provider's forms): one head with no scripts and no referrer, the page's own inline
// style, and a body the caller has already escaped. The pages' Content-Security-Policy allows
// inline styles and nothing else (docs/security.md).
import { escapeHtml } from './escape-html.ts';

export interface HtmlDocument {
  /** Plain text; escaped here. */
  title: string;
  /** The page's CSS, put inline in one <style> element. */
  style: string;
  /** Markup for inside <body>; every interpolated value must already be escaped. */
  body: string;
}

export function htmlDocument({ title, style, body }: HtmlDocument): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
