// Who may talk to the console: the Host header must name this loopback port (defeats DNS
// rebinding) and the caller must present the per-launch token as a bearer header. Never as a
// cookie: a browser sends a 127.0.0.1 cookie to every port of 127.0.0.1 (docs/security.md).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../engine/api.ts';

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

export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth === undefined) return undefined;
  const m = /^Bearer ([^\s]+)$/i.exec(auth);
  return m ? m[1] : '';
}

export function checkToken(req: IncomingMessage, token: string): void {
  const given = presentedToken(req);
  if (!tokenMatches(given, token)) {
    throw new ApiError(
      401,
      'unauthorized',
      given === undefined ? 'a console token is required: open the URL that portcullis printed' : 'the console token is wrong',
    );
  }
}

/** Cross-site calls are refused, as a second line behind the bearer header no other site can set. */
export function checkOrigin(req: IncomingMessage, port: number): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    throw new ApiError(403, 'forbidden_origin', 'requests from other origins are refused');
  }
}
