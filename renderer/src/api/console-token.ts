// Where the headless console keeps its token: this origin's localStorage, which no other port or
// host name can read, sent as a bearer header. A cookie would not do: browsers scope cookies by
// host name, not port, so every other server on 127.0.0.1 would receive it (docs/security.md).
import { apiErrorFromResponse } from './errors.ts';

const STORAGE_KEY = 'portcullis.consoleToken';

export function storedConsoleToken(): string | undefined {
  return localStorage.getItem(STORAGE_KEY) ?? undefined;
}

/**
 * Takes the token from the address the page was opened with: the printed URL's `?token=`, or the
 * one-time `?code=` of `portcullis serve --open`, traded for the token once. Either is removed
 * from the address bar and the history before anything else runs.
 */
export async function takeConsoleToken(base: string): Promise<void> {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const code = params.get('code');
  if (token === null && code === null) return;
  history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
  if (token) {
    localStorage.setItem(STORAGE_KEY, token);
    return;
  }
  const res = await fetch(`${base}/console-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const data: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw apiErrorFromResponse(res.status, data);
  localStorage.setItem(STORAGE_KEY, (data as { token: string }).token);
}
