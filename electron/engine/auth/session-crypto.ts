// Seals short strings (a session id, the CSRF state) into cookie values that the browser
// can carry but neither read nor forge: AES-256-GCM with a random IV, base64url-encoded.
//
// Layout before base64url: version (1) | IV (12) | ciphertext | tag (16). The plaintext is
// issued-at (6 bytes, ms since epoch, big-endian) followed by the UTF-8 text. An optional
// context (the cookie name) is bound as associated data, so a value sealed for one cookie
// does not open as another.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const TIME_BYTES = 6;
const MAX_COOKIE_VALUE = 4096;
const MIN_SEALED_BYTES = 1 + IV_BYTES + TIME_BYTES + TAG_BYTES;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface OpenedValue {
  plain: string;
  /** When the value was sealed, ms since epoch: lets callers expire short-lived cookies. */
  issuedAt: number;
}

export class CookieSealer {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== 32) throw new Error('cookie key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  seal(plain: string, context = '', now = Date.now()): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(aad(context));
    const time = Buffer.alloc(TIME_BYTES);
    time.writeUIntBE(now, 0, TIME_BYTES);
    const body = Buffer.concat([cipher.update(time), cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The sealed text, or undefined for anything that is not intact and ours. Never throws. */
  open(value: string | undefined, context = ''): string | undefined {
    return this.openWithIssuedAt(value, context)?.plain;
  }

  openWithIssuedAt(value: string | undefined, context = ''): OpenedValue | undefined {
    if (typeof value !== 'string' || value.length > MAX_COOKIE_VALUE || !BASE64URL.test(value)) return undefined;
    const sealed = Buffer.from(value, 'base64url');
    // Re-encoding must give the same text: otherwise unused trailing bits were altered.
    if (sealed.length < MIN_SEALED_BYTES || sealed[0] !== VERSION || sealed.toString('base64url') !== value) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(context));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      return { issuedAt: plain.readUIntBE(0, TIME_BYTES), plain: plain.subarray(TIME_BYTES).toString('utf8') };
    } catch {
      return undefined;
    }
  }
}

function aad(context: string): Buffer {
  return Buffer.from(`portcullis-cookie-v${VERSION}:${context}`, 'utf8');
}
