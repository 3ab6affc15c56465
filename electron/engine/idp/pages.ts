// The HTML the built-in identity provider shows: the persona sign-in form, errors and the
// sign-out pages. Plain forms that work without JavaScript; every interpolated value is escaped.

import type { Persona } from '../config/types.ts';
import { escapeHtml } from '../http/escape-html.ts';
import { htmlDocument } from '../http/html-document.ts';

const TITLE = 'Portcullis built-in sign-in';

const STYLE = `
:root{color-scheme:light dark;--bg:#f5f6f8;--card:#fff;--fg:#1c1f24;--muted:#5b6470;--line:#d9dde3;--accent:#2456c9;--accent-fg:#fff;--warn-bg:#fff4d6;--warn-fg:#5c4400}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--card:#1f2228;--fg:#e8eaee;--muted:#9aa3af;--line:#343841;--accent:#6d9bff;--accent-fg:#0d1117;--warn-bg:#3a3115;--warn-fg:#f5dd9b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:34rem;margin:3rem auto;padding:0 1rem}
h1{font-size:1.35rem;margin:0 0 .25rem}
p.lead{color:var(--muted);margin:0 0 1.25rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem;margin:0 0 .75rem}
ul.personas{list-style:none;margin:0;padding:0}
.persona{display:flex;align-items:center;gap:1rem}
.persona .who{flex:1;min-width:0}
.persona .name{font-weight:600}
.persona .meta{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.group{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 .5rem;margin:.25rem .25rem 0 0;font-size:.8rem}
button{font:inherit;border-radius:7px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);padding:.45rem 1rem;cursor:pointer}
button.secondary{background:transparent;color:var(--fg);border-color:var(--line)}
button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.notice{background:var(--warn-bg);color:var(--warn-fg);border-radius:8px;padding:.6rem .9rem;margin:0 0 1rem}
dl{margin:0}dt{font-weight:600}dd{margin:0 0 .5rem;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.85rem;margin-top:1.5rem}
`;

function layout(heading: string, body: string): string {
  return htmlDocument({
    title: `${heading} · ${TITLE}`,
    style: STYLE,
    body: `<main>
${body}
<footer>${TITLE}: a local identity provider for development. Anyone who can reach it can sign in as any persona.</footer>
</main>`,
  });
}

function personaItem(persona: Persona): string {
  const groups = persona.groups.length
    ? persona.groups.map((g) => `<span class="group">${escapeHtml(g)}</span>`).join('')
    : '<span class="meta">no groups</span>';
  return `<li class="card persona">
  <div class="who">
    <div class="name">${escapeHtml(persona.name || persona.username)}</div>
    <div class="meta">${escapeHtml(persona.username)} · ${escapeHtml(persona.email)}</div>
    <div>${groups}</div>
  </div>
  <button type="submit" name="login" value="${escapeHtml(persona.username)}">Sign in</button>
</li>`;
}

export interface SignInPageOptions {
  /** The interaction URL the form posts to. */
  action: string;
  personas: Persona[];
  /** Who asked for the sign-in (the client's name). */
  clientName?: string;
  /** Shown above the choices, e.g. why the page appeared despite a login_hint. */
  message?: string;
}

export function renderSignInPage(opts: SignInPageOptions): string {
  const action = escapeHtml(opts.action);
  const message = opts.message ? `<p class="notice" role="alert">${escapeHtml(opts.message)}</p>` : '';
  const who = opts.clientName ? ` for ${escapeHtml(opts.clientName)}` : '';
  const list = opts.personas.length
    ? `<form method="post" action="${action}"><ul class="personas">${opts.personas.map(personaItem).join('\n')}</ul></form>`
    : '<p class="card">No personas are configured. Add users to the built-in identity provider in Portcullis settings.</p>';
  return layout('Choose a persona', `<h1>Choose a persona</h1>
<p class="lead">Sign in${who} as one of these test users.</p>
${message}
${list}
<form method="post" action="${action}"><button class="secondary" type="submit" name="cancel" value="1">Cancel sign-in</button></form>`);
}

export function renderErrorPage(error: string, description?: string): string {
  const detail = description ? `<dd>${escapeHtml(description)}</dd>` : '';
  return layout('Sign-in error', `<h1>Sign-in could not continue</h1>
<p class="lead">Start again from the app you were opening.</p>
<div class="card"><dl><dt>${escapeHtml(error)}</dt>${detail}</dl></div>`);
}

/** `form` is oidc-provider's own logout form (it carries the CSRF token), placed as given. */
export function renderLogoutPage(form: string): string {
  return layout('Sign out', `<h1>Sign out of the built-in identity provider?</h1>
${form}
<div class="card"><button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button class="secondary" type="submit" form="op.logoutForm">Stay signed in</button></div>`);
}

export function renderLoggedOutPage(): string {
  return layout('Signed out', `<h1>Signed out</h1>
<p class="lead">You are signed out of the built-in identity provider.</p>`);
}
