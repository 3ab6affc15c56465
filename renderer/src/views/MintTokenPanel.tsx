// "Mint a token" (docs/control-api.md): an access token for a persona, signed by the built-in
// provider's own keys, for calling an upstream with bearer tokens on from curl or a script.
// The token stays in memory and on the clipboard: never in the page's text, a URL or a log.
import { useState, type FormEvent } from 'react';
import { MAX_MINT_LIFETIME_SECONDS, type MintedToken } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { Countdown } from '../components/Countdown.tsx';
import { Field } from '../components/Field.tsx';
import { readClaimsJson } from '../lib/claims-json.ts';

const DEFAULT_LIFETIME = '300';

function lifetimeProblem(text: string): string | undefined {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_MINT_LIFETIME_SECONDS) return `a whole number of seconds from 1 to ${MAX_MINT_LIFETIME_SECONDS} (a day)`;
  return undefined;
}

export function MintTokenPanel() {
  const api = useApi();
  const personas = useLive().state?.personas ?? [];
  const [persona, setPersona] = useState(personas[0]?.username ?? '');
  const [audience, setAudience] = useState('');
  const [lifetime, setLifetime] = useState(DEFAULT_LIFETIME);
  const [claimsText, setClaimsText] = useState('');
  const [minted, setMinted] = useState<(MintedToken & { persona: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const claims = readClaimsJson(claimsText, { refuseProtocolClaims: true });
  const lifetimeError = lifetimeProblem(lifetime);
  const chosen = personas.some((p) => p.username === persona) ? persona : (personas[0]?.username ?? '');

  const mint = async (e: FormEvent) => {
    e.preventDefault();
    if (!claims.ok || lifetimeError || !chosen) return;
    setBusy(true);
    try {
      const token = await api.mintToken({
        persona: chosen,
        expiresIn: Number(lifetime),
        ...(audience.trim() ? { audience: audience.trim() } : {}),
        ...(claims.claims ? { claims: claims.claims } : {}),
      });
      setMinted({ ...token, persona: chosen });
      setError(null);
    } catch (err) {
      setMinted(null);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={(e) => void mint(e)} aria-label="Mint a token" noValidate>
      <h3>Mint a token</h3>
      <p className="meta">An access token for a persona, signed by the built-in provider: it passes upstreams with bearer tokens on.</p>
      <div className="grid">
        <Field label="Persona">
          <select value={chosen} onChange={(e) => setPersona(e.target.value)}>
            {personas.map((p) => <option key={p.username} value={p.username}>{p.username} ({p.email})</option>)}
          </select>
        </Field>
        <Field label="Audience" hint="Empty: the Portcullis client (portcullis)">
          <input value={audience} onChange={(e) => setAudience(e.target.value)} placeholder="portcullis" autoComplete="off" />
        </Field>
        <Field label="Lifetime (seconds)" error={lifetimeError}>
          <input value={lifetime} onChange={(e) => setLifetime(e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="Extra claims (JSON)" error={claims.ok ? undefined : claims.problem} hint='Merged over the persona’s claims, e.g. { "plan": "pro" }'>
          <textarea rows={3} value={claimsText} onChange={(e) => setClaimsText(e.target.value)} spellCheck={false} />
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !claims.ok || Boolean(lifetimeError) || !chosen}>{busy ? 'Minting…' : 'Mint token'}</button>
        {error && <span className="note note-bad" role="alert">Could not mint: {error}</span>}
      </div>
      {minted && (
        <div className="subcard" role="group" aria-label="Minted token">
          <p>
            Access token for <strong>{minted.persona}</strong>, expires{' '}
            <Countdown until={Date.parse(minted.expiresAt)} /> <span className="meta">({new Date(minted.expiresAt).toLocaleString()})</span>
          </p>
          <div className="actions">
            <CopyButton value={minted.accessToken} label="Copy token" text="Copy token" small={false} />
            <CopyButton value={minted.curl} label="Copy curl" text="Copy curl" small={false} />
            <CopyButton value={minted.idToken} label="Copy ID token" text="Copy ID token" small={false} />
          </div>
        </div>
      )}
    </form>
  );
}
