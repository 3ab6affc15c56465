// Who may talk to the console: the Host header must name this loopback port (defeats DNS
// rebinding) and the caller must present the per-launch token, as a bearer header or as
// the cookie that visiting the printed `/?token=` URL sets.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../engine/api.ts';
import { readCookie } from '../engine/auth/cookies.ts';

export function consoleCookieName(port: number): string {
  // Per port, because every localhost port shares one cookie jar; and with the `_portcullis`
  // prefix, so the listeners strip it like their own cookies before a request reaches an app.
  return `_portcullis_console_${port}`;
}

export function checkHost(req: IncomingMessage, port: number): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    throw new ApiError(421, 'misdirected_request', 'the console answers only to 127.0.0.1 or localhost on its own port');
  }
}

/** Constant-time comparison; hashing first makes the lengths equal too. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function presentedToken(req: IncomingMessage, port: number): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer ([^\s]+)$/i.exec(auth);
    return m ? m[1] : '';
  }
  return readCookie(req.headers.cookie, consoleCookieName(port));
}

export function checkToken(req: IncomingMessage, port: number, token: string): void {
  const given = presentedToken(req, port);
  if (!tokenMatches(given, token)) {
    throw new ApiError(
      401,
      'unauthorized',
      given === undefined ? 'a console token is required: open the URL that portcullis printed' : 'the console token is wrong',
    );
  }
}

/** Cross-site writes are refused even though the SameSite=Strict cookie already stops them. */
export function checkOrigin(req: IncomingMessage, port: number): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    throw new ApiError(403, 'forbidden_origin', 'requests from other origins are refused');
  }
}

export function tokenCookie(port: number, token: string): string {
  return `${consoleCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
