// One token decoded: header, claims, whether its signature verified; the raw value stays
// hidden until asked for. Opaque tokens say so instead of pretending to decode.
import type { TokenView } from '../../../electron/engine/api.ts';
import { ClaimsTable } from './ClaimsTable.tsx';
import { CopyButton } from './CopyButton.tsx';

export function TokenPanel({ title, token }: { title: string; token: TokenView }) {
  return (
    <div className="subcard token">
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
      <details>
        <summary>Reveal raw token</summary>
        <pre className="raw">{token.raw}</pre>
      </details>
    </div>
  );
}
