// The pages and small bodies Portcullis answers with itself (403/502/503/504, sign-in):
// one self-contained HTML template with no scripts, and helpers that set the headers every
// such answer needs (exact length, never cached, never sniffed).
import type { ServerResponse } from 'node:http';
import { escapeHtml } from './escape-html.ts';
import { htmlDocument } from './html-document.ts';

export interface PageOptions {
  status: number;
  title: string;
  message: string;
  details?: Array<[string, string]>;
  actions?: Array<{ href: string; label: string }>;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --fg: #1d2330; --muted: #5b6475;
  --line: #e2e5ea; --accent: #3454d1; --accent-fg: #fff; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #14161b; --card: #1d2027; --fg: #e7e9ee; --muted: #a1a8b6; --line: #2d313a;
    --accent: #7d95ff; --accent-fg: #10131a; }
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { width: min(34rem, calc(100vw - 2rem)); background: var(--card); border: 1px solid var(--line);
  border-radius: 12px; padding: 1.75rem 2rem; }
.status { color: var(--muted); font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; margin: 0; }
h1 { font-size: 1.35rem; margin: .25rem 0 .75rem; }
p { margin: 0 0 1rem; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0 0 1rem;
  font-size: .9rem; }
dt { color: var(--muted); }
dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
nav { display: flex; flex-wrap: wrap; gap: .5rem; }
nav a { display: inline-block; padding: .45rem .9rem; border-radius: 8px; text-decoration: none;
  background: var(--accent); color: var(--accent-fg); font-weight: 600; }
footer { margin-top: 1.25rem; color: var(--muted); font-size: .75rem; }
`;

export function renderPage(opts: PageOptions): string {
  const details = opts.details?.length
    ? `<dl>${opts.details.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`
    : '';
  const actions = opts.actions?.length
    ? `<nav>${opts.actions.map((a) => `<a href="${escapeHtml(a.href)}">${escapeHtml(a.label)}</a>`).join('')}</nav>`
    : '';
  return htmlDocument({
    title: opts.title,
    style: STYLE,
    body: `<main>
<p class="status">${opts.status}</p>
<h1>${escapeHtml(opts.title)}</h1>
<p>${escapeHtml(opts.message)}</p>
${details}${actions}
<footer>Portcullis</footer>
</main>`,
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': bytes.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  // Node drops the body itself for HEAD requests.
  res.end(bytes);
}

export function sendPage(res: ServerResponse, opts: PageOptions): void {
  send(res, opts.status, 'text/html; charset=utf-8', renderPage(opts));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain; charset=utf-8', text);
}
