// Claims typed as JSON in a form (a persona's claims, a minted token's extra claims, a
// simulation's claims): read as you type, with the engine's own rules, so what the form
// accepts is what the engine saves.
import { MAX_CLAIMS_BYTES, protocolClaimProblem } from '../../../electron/engine/api.ts';

export type Claims = Record<string, unknown>;

/** The claims the text holds (undefined when it is blank), or why it cannot be used. */
export type ClaimsReading = { ok: true; claims?: Claims } | { ok: false; problem: string };

interface Options {
  /** Refuse the claims the protocol sets (iss, sub, aud…); a simulation may override any claim. */
  refuseProtocolClaims: boolean;
}

export function readClaimsJson(text: string, { refuseProtocolClaims }: Options): ClaimsReading {
  if (text.trim() === '') return { ok: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `not valid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'claims must be a JSON object, e.g. { "plan": "pro" }' };
  const claims = value as Claims;
  if (refuseProtocolClaims) {
    for (const name of Object.keys(claims)) {
      const problem = protocolClaimProblem(name);
      if (problem) return { ok: false, problem };
    }
  }
  const bytes = new TextEncoder().encode(JSON.stringify(claims)).length;
  if (bytes > MAX_CLAIMS_BYTES) return { ok: false, problem: `the claims take ${bytes} bytes as JSON, more than ${MAX_CLAIMS_BYTES} (16 KiB): claims travel in every token and in headers` };
  return { ok: true, claims };
}

/** Claims as the editors show them: indented JSON, or nothing. */
export function claimsText(claims: Claims | undefined): string {
  return claims && Object.keys(claims).length > 0 ? JSON.stringify(claims, null, 2) : '';
}
