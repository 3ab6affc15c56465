// Escaping for text put into the HTML pages Portcullis serves (the proxy's sign-in and error
// pages, the built-in identity provider's forms), in element content and quoted attributes.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
