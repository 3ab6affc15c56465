// A persona's claims and token lifetime, under its row in the personas table: JSON checked as
// you type with the engine's rules (no protocol claims, 16 KiB at most), and one-click shapes
// of real providers' tokens.
import { useState } from 'react';
import { MAX_TOKEN_TTL, MIN_TOKEN_TTL } from '../../../electron/engine/api.ts';
import { Field } from '../components/Field.tsx';
import { CLAIM_SHAPES } from '../lib/claim-shapes.ts';
import { claimsText, readClaimsJson } from '../lib/claims-json.ts';
import { splitList } from '../lib/format.ts';

/** A persona as the table edits it: lists, claims and numbers as text, so typing never loses the cursor. */
export interface PersonaRow {
  username: string;
  email: string;
  name: string;
  groups: string;
  claims: string;
  accessTokenTtl: string;
}

export function accessTokenTtlProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < MIN_TOKEN_TTL || n > MAX_TOKEN_TTL) return `a whole number of seconds from ${MIN_TOKEN_TTL} to ${MAX_TOKEN_TTL} (a year)`;
  return undefined;
}

interface Props {
  row: PersonaRow;
  /** 1-based, as the labels say it. */
  index: number;
  onChange: (row: PersonaRow) => void;
}

export function PersonaClaims({ row, index, onChange }: Props) {
  const [hint, setHint] = useState<string | null>(null);
  const reading = readClaimsJson(row.claims, { refuseProtocolClaims: true });
  const applyShape = (shape: (typeof CLAIM_SHAPES)[number]) => {
    const current = reading.ok ? reading.claims : undefined;
    const shaped = shape.claims({ username: row.username, email: row.email, groups: splitList(row.groups) });
    onChange({ ...row, claims: claimsText({ ...current, ...shaped }) });
    setHint(shape.settingHint);
  };
  return (
    <div className="subcard persona-claims" role="group" aria-label={`Claims of persona ${row.username || index}`}>
      <div className="inline" role="group" aria-label="Shape the claims like">
        <span className="meta">Shape like:</span>
        {CLAIM_SHAPES.map((s) => (
          <button key={s.label} type="button" className="small" onClick={() => applyShape(s)}>{s.label}</button>
        ))}
      </div>
      {hint && <p className="note note-muted" role="status">{hint}</p>}
      <Field label="Claims (JSON)" error={reading.ok ? undefined : reading.problem} hint="Merged into the ID token, the access token and userinfo.">
        <textarea rows={6} value={row.claims} onChange={(e) => onChange({ ...row, claims: e.target.value })} spellCheck={false} className="code" />
      </Field>
      <Field label="Access token lifetime (seconds)" error={accessTokenTtlProblem(row.accessTokenTtl)} hint="Empty: the provider's lifetime (builtinIdp.accessTokenTtl, an hour by default).">
        <input value={row.accessTokenTtl} onChange={(e) => onChange({ ...row, accessTokenTtl: e.target.value })} inputMode="numeric" />
      </Field>
    </div>
  );
}
