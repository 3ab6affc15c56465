import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CookieSealer } from '../../electron/engine/auth/session-crypto.ts';

const key = randomBytes(32);
const sealer = new CookieSealer(key);
const sealed = sealer.seal('session-id-123', '_portcullis_4180');

/** Flips one bit of the decoded value at `index` (negative: from the end) and re-encodes it. */
function flipByte(value: string, index: number): string {
  const bytes = Buffer.from(value, 'base64url');
  bytes[(index + bytes.length) % bytes.length] ^= 0x01;
  return bytes.toString('base64url');
}

describe('CookieSealer', () => {
  it('round-trips text, including non-ASCII, and yields a cookie-safe value', () => {
    for (const plain of ['session-id-123', '', JSON.stringify({ state: 's', nonce: 'n', verifier: 'v', rd: '/café' })]) {
      const value = sealer.seal(plain, 'ctx');
      expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(sealer.open(value, 'ctx')).toBe(plain);
    }
  });

  it('uses a fresh IV: sealing the same text twice gives different values', () => {
    expect(sealer.seal('x')).not.toBe(sealer.seal('x'));
  });

  it('reports when a value was sealed, so short-lived cookies can be aged', () => {
    const value = sealer.seal('csrf', 'c', 1_700_000_000_123);
    expect(sealer.openWithIssuedAt(value, 'c')).toEqual({ plain: 'csrf', issuedAt: 1_700_000_000_123 });
    const now = Date.now();
    expect(sealer.openWithIssuedAt(sealer.seal('x'))!.issuedAt).toBeGreaterThanOrEqual(now - 1000);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new CookieSealer(randomBytes(16))).toThrow('32 bytes');
  });

  const other = new CookieSealer(randomBytes(32));
  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['not base64', 'not base64 at all!'],
    ['base64 with padding', sealed + '='],
    ['standard base64 alphabet', sealed.replace(/[-_]/g, '+') + (/[-_]/.test(sealed) ? '' : '+')],
    ['truncated by one char', sealed.slice(0, -1)],
    ['truncated to half', sealed.slice(0, Math.floor(sealed.length / 2))],
    ['only the header', Buffer.alloc(13, 1).toString('base64url')],
    ['tampered version byte', flipByte(sealed, 0)],
    ['tampered IV', flipByte(sealed, 5)],
    ['tampered ciphertext', flipByte(sealed, 20)],
    ['tampered tag', flipByte(sealed, -1)],
    ['tampered last char (spare bits)', sealed.slice(0, -1) + (sealed.endsWith('A') ? 'B' : 'A')],
    ['extended', sealed + 'AAAA'],
    ['oversized (> 4 KB)', sealer.seal('x'.repeat(4000))],
    ['foreign (another key)', other.seal('session-id-123', '_portcullis_4180')],
    ['another context (cookie name)', sealer.seal('session-id-123', '_portcullis_4181')],
    ['random bytes', randomBytes(60).toString('base64url')],
    ['an oauth2-proxy style value', 'dGVzdA==|1700000000|c2ln'],
  ])('%s -> undefined, never throws', (_label, value) => {
    expect(() => sealer.open(value as string | undefined, '_portcullis_4180')).not.toThrow();
    expect(sealer.open(value as string | undefined, '_portcullis_4180')).toBeUndefined();
  });

  it('opens the intact value that the table above tampers with', () => {
    expect(sealer.open(sealed, '_portcullis_4180')).toBe('session-id-123');
  });

  it('does not open with the wrong key', () => {
    expect(new CookieSealer(randomBytes(32)).open(sealed, '_portcullis_4180')).toBeUndefined();
  });
});
