// One-time codes for `portcullis serve --open`. The browser is started with a URL that holds a
// code instead of the token, since a process's arguments are readable by every user of the
// machine (/proc/<pid>/cmdline); the page trades the code for the token once, within a minute.
import { createHash, randomBytes } from 'node:crypto';

const CODE_TTL_MS = 60_000;

export class OpenCodes {
  /** By the code's hash, so looking one up says nothing about the others; value: expiry time. */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    const now = this.now();
    for (const [key, expiry] of this.expiries) if (expiry < now) this.expiries.delete(key);
    const code = randomBytes(32).toString('base64url');
    this.expiries.set(digest(code), now + CODE_TTL_MS);
    return code;
  }

  /** True once for a code issued less than a minute ago; it is spent either way. */
  redeem(code: unknown): boolean {
    if (typeof code !== 'string') return false;
    const key = digest(code);
    const expiry = this.expiries.get(key);
    this.expiries.delete(key);
    return expiry !== undefined && expiry >= this.now();
  }
}

function digest(code: string): string {
  return createHash('sha256').update(code).digest('base64url');
}
