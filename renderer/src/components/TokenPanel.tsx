// One token decoded: header, claims, whether its signature verified; the raw value stays
// hidden until asked for. Opaque tokens say so instead of pretending to decode.
import { useId, useState } from 'react';
import type { TokenView } from '../../../electron/engine/api.ts';
import { ClaimsTable } from './ClaimsTable.tsx';
import { CopyButton } from './CopyButton.tsx';

export function TokenPanel({ title, token }: { title: string; token: TokenView }) {
  const [revealed, setRevealed] = useState(false);
  const rawId = useId();
  return (
    <div className="subcard token" role="group" aria-label={title}>
      <div className="upstream-head">
        <h4>{title}</h4>
        {token.kind === 'jwt' && token.jwt ? (
          <span className={`badge ${token.jwt.signatureVerified ? 'badge-running' : 'badge-error'}`}>
            {token.jwt.signatureVerified ? 'signature verified' : 'signature not verified'}
          </span>
        ) : (
          <span className="badge">opaque</span>
        )}
        <CopyButton value={token.raw} label={`Copy ${title}`} />
      </div>
      {token.kind === 'jwt' && token.jwt ? (
        <>
          <ClaimsTable claims={token.jwt.claims} label={`${title} claims`} />
          <details>
            <summary>Header</summary>
            <ClaimsTable claims={token.jwt.header} label={`${title} header`} />
          </details>
        </>
      ) : (
        <p className="note note-muted">An opaque token: only the provider can read it.</p>
      )}
      {/* The raw token is not in the page at all until asked for: not even a screenshot has it. */}
      <button type="button" className="small" aria-expanded={revealed} aria-controls={rawId} onClick={() => setRevealed((r) => !r)}>
        {revealed ? 'Hide raw token' : 'Reveal raw token'}
      </button>
      <div id={rawId}>{revealed && <pre className="raw" aria-label={`${title}, raw`}>{token.raw}</pre>}</div>
    </div>
  );
}
