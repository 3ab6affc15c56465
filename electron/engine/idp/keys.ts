// The built-in identity provider's long-lived secrets: its RS256 signing keys, its cookie keys
// and the Portcullis client's secret. Generated once per data dir and kept in
// `<dataDir>/idp-keys.json` (mode 0600) so tokens it signed stay verifiable across restarts.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { writeFileAtomic } from '../config/atomic-write.ts';

export interface IdpKeyMaterial {
  /** Private signing keys (JWK, with kid, alg and use). */
  signingKeys: JWK[];
  cookieKeys: string[];
  clientSecret: string;
}

export const KEY_FILE_NAME = 'idp-keys.json';

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

function isKeyMaterial(value: unknown): value is IdpKeyMaterial {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.signingKeys) && v.signingKeys.length > 0
    && v.signingKeys.every((k) => typeof k === 'object' && k !== null && typeof (k as JWK).kid === 'string' && typeof (k as JWK).d === 'string')
    && Array.isArray(v.cookieKeys) && v.cookieKeys.length > 0 && v.cookieKeys.every((k) => typeof k === 'string' && k.length >= 16)
    && typeof v.clientSecret === 'string' && v.clientSecret.length >= 16;
}

/** Loads the key material of `dataDir`, creating it on first use. A damaged file is an error, never silently replaced. */
export async function loadOrCreateKeyMaterial(dataDir: string): Promise<IdpKeyMaterial> {
  const file = join(dataDir, KEY_FILE_NAME);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isKeyMaterial(parsed)) {
      throw new Error(`The built-in identity provider's key file ${file} is damaged; delete it to generate new keys (signed-in sessions will have to sign in again).`);
    }
    return parsed;
  }

  const material: IdpKeyMaterial = {
    signingKeys: [await generateSigningKey()],
    cookieKeys: [randomSecret()],
    clientSecret: randomSecret(),
  };
  // A crash never leaves a half-written key file behind.
  await writeFileAtomic(file, JSON.stringify(material, null, 2), 0o600);
  return material;
}
