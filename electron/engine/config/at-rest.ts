// Encryption at rest for small JSON documents (secrets, persisted sessions): AES-256-GCM with
// a random key kept in a 0600 file in the data dir. It guards against casual disclosure (backups,
// screen-shared editors), not against someone who can read the whole data dir.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const FORMAT = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/**
 * Encrypts a JSON-serialisable value: [format byte | iv | tag | ciphertext]. `label` is
 * authenticated too, so a file encrypted for one purpose is not accepted for another.
 */
export function encryptJson(key: Buffer, value: unknown, label = ''): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
}

/** Decrypts what encryptJson produced; throws a clear Error for a wrong key or damaged data. */
export function decryptJson(key: Buffer, data: Buffer, label = ''): unknown {
  if (data.length < HEADER_BYTES || data[0] !== FORMAT) throw new Error('not an encrypted Portcullis file (unknown format)');
  const iv = data.subarray(1, 1 + IV_BYTES);
  const tag = data.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(label));
  decipher.setAuthTag(tag);
  let text: string;
  try {
    text = Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('cannot decrypt: the key does not match or the data is damaged');
  }
  return JSON.parse(text);
}

/** Reads a 32-byte key from `file`, creating it (mode 0600) with a random key when absent. */
export function loadOrCreateKey(file: string): Buffer {
  try {
    return checkKey(readFileSync(file), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written whole under a temporary name, then linked into place: link() fails if the key
  // already exists, so when two processes start at once one key wins and both read it complete.
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return checkKey(readFileSync(file), file);
}

function checkKey(key: Buffer, file: string): Buffer {
  if (key.length !== KEY_BYTES) throw new Error(`key file ${file} is damaged (expected ${KEY_BYTES} bytes, found ${key.length})`);
  return key;
}
