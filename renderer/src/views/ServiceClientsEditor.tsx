// The built-in provider's service clients: scripts and services that get a token for themselves
// with the client-credentials grant (docs/configuration.md, "Service clients"). A secret is an
// environment variable's name or a value kept in the secret store; a stored value is never shown
// back, and the page never holds one except while the user types it.
import { useState } from 'react';
import type { ServiceClientInput, ServiceClientView } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { Field } from '../components/Field.tsx';
import { claimsText, readClaimsJson } from '../lib/claims-json.ts';
import { useEditedCopy } from '../lib/useEditedCopy.ts';

/** A service client as the editor holds it: claims as text; the secret from a variable or a value to store. */
interface ClientRow {
  clientId: string;
  claims: string;
  from: 'env' | 'store';
  env: string;
  /** A new value to store; empty keeps the secret the client has. */
  value: string;
  /** Where the saved secret comes from, for a client that was saved. */
  saved?: ServiceClientView['secret']['source'];
}

const EMPTY_ROW: ClientRow = { clientId: '', claims: '', from: 'env', env: '', value: '' };

export function ServiceClientsEditor() {
  const api = useApi();
  const live = useLive();
  const clients = live.state?.serviceClients ?? [];
  const { rows, setRows, dirty, changedElsewhere, load } = useEditedCopy(clients, toRows);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const setRow = (i: number, row: ClientRow) => setRows((rs) => rs.map((r, j) => (j === i ? row : r)));

  const save = async () => {
    const built = rows.map(toInput);
    const bad = built.findIndex((b) => typeof b === 'string');
    if (bad >= 0) {
      setMessage({ ok: false, text: `Service client ${rows[bad].clientId || bad + 1}: ${built[bad] as string}` });
      return;
    }
    try {
      const state = await api.saveServiceClients(built as ServiceClientInput[]);
      load(state.serviceClients);
      live.apply(state);
      setMessage({ ok: true, text: 'Service clients saved.' });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <div className="card">
      <h3>Service clients</h3>
      <p className="meta">Scripts and services that get a token for themselves with the client-credentials grant, as they would from Keycloak or Auth0.</p>
      {changedElsewhere && dirty && (
        <p className="note note-warn" role="status">
          The service clients were changed elsewhere while you edited.{' '}
          <button type="button" className="small" onClick={() => load()}>Load their version</button>
        </p>
      )}
      <ul className="list">
        {rows.map((r, i) => (
          <ClientEditor key={i} row={r} index={i + 1} problem={clients.find((c) => c.clientId === r.clientId)?.problem} onChange={(row) => setRow(i, row)} onRemove={() => setRows((rs) => rs.filter((_, j) => j !== i))} />
        ))}
      </ul>
      <TokenHint endpoint={live.state?.idpTokenEndpoint} client={clients[0]} />
      <div className="actions">
        <button type="button" onClick={() => setRows((rs) => [...rs, EMPTY_ROW])}>Add service client</button>
        <button type="button" className="primary" onClick={() => void save()}>Save service clients</button>
        {message && <span className={`note ${message.ok ? 'note-good' : 'note-bad'}`} role="status">{message.text}</span>}
      </div>
    </div>
  );
}

interface ClientEditorProps {
  row: ClientRow;
  /** 1-based, as the labels say it. */
  index: number;
  /** Why the running provider cannot give the saved client tokens. */
  problem?: string;
  onChange: (row: ClientRow) => void;
  onRemove: () => void;
}

function ClientEditor({ row, index, problem, onChange, onRemove }: ClientEditorProps) {
  const reading = readClaimsJson(row.claims, { refuseProtocolClaims: true });
  const name = row.clientId || String(index);
  const keeps = row.saved === 'store' || row.saved === 'file';
  const valueHint =
    row.saved === 'file' && !row.value
      ? 'The secret is written in the settings file; type it here to move it to the secret store.'
      : keeps
        ? 'Stored. Leave empty to keep it; a value typed here replaces it.'
        : 'Kept in the secret store, never in the settings file.';
  return (
    <li className="subcard" role="group" aria-label={`Service client ${name}`}>
      {problem && <p className="note note-bad">{problem}</p>}
      <div className="inline">
        <Field label="Client id">
          <input value={row.clientId} onChange={(e) => onChange({ ...row, clientId: e.target.value })} autoComplete="off" />
        </Field>
        <Field label="Secret from">
          <select value={row.from} onChange={(e) => onChange({ ...row, from: e.target.value as ClientRow['from'] })}>
            <option value="env">environment variable</option>
            <option value="store">store a value</option>
          </select>
        </Field>
        {row.from === 'env' ? (
          <Field label="Environment variable" hint="Read by Portcullis when the provider starts or the clients are saved.">
            <input value={row.env} onChange={(e) => onChange({ ...row, env: e.target.value })} autoComplete="off" spellCheck={false} />
          </Field>
        ) : (
          <Field label="Secret value" hint={valueHint}>
            <input type="password" value={row.value} onChange={(e) => onChange({ ...row, value: e.target.value })} autoComplete="new-password" />
          </Field>
        )}
      </div>
      <Field label="Claims (JSON)" error={reading.ok ? undefined : reading.problem} hint={'Merged into the client\'s access tokens, e.g. { "roles": ["reporter"] }.'}>
        <textarea rows={3} value={row.claims} onChange={(e) => onChange({ ...row, claims: e.target.value })} spellCheck={false} className="code" />
      </Field>
      <div className="actions">
        <button type="button" className="small danger" onClick={onRemove} aria-label={`Remove service client ${name}`}>Remove</button>
      </div>
    </li>
  );
}

/** Where a script gets its token, and the curl line it would run: the secret comes from a variable, never from this page. */
function TokenHint({ endpoint, client }: { endpoint?: string; client?: ServiceClientView }) {
  if (!endpoint) return <p className="meta">The token endpoint is shown here while the built-in provider runs.</p>;
  const env = client?.secret.source === 'env' ? client.secret.env : 'CLIENT_SECRET';
  const curl = `curl -u ${client?.clientId ?? 'CLIENT_ID'}:"$${env}" -d grant_type=client_credentials ${endpoint}`;
  return (
    <p className="meta">
      Token endpoint <code>{endpoint}</code>, e.g. <code>{curl}</code> <CopyButton value={curl} label="Copy the curl command" />
    </p>
  );
}

function toRows(clients: ServiceClientView[]): ClientRow[] {
  return clients.map((c) => ({
    clientId: c.clientId,
    claims: claimsText(c.claims),
    from: c.secret.source === 'env' ? 'env' : 'store',
    env: c.secret.source === 'env' ? c.secret.env : '',
    value: '',
    saved: c.secret.source,
  }));
}

/** What the API is sent for a row, or why it cannot be saved. */
function toInput(r: ClientRow): ServiceClientInput | string {
  const claims = readClaimsJson(r.claims, { refuseProtocolClaims: true });
  if (!claims.ok) return `claims: ${claims.problem}`;
  const client = { clientId: r.clientId.trim(), ...(claims.claims ? { claims: claims.claims } : {}) };
  if (r.from === 'env') return r.env.trim() ? { ...client, clientSecret: { env: r.env.trim() } } : 'secret: name the environment variable that holds it';
  if (r.value) return { ...client, clientSecretValue: r.value };
  return r.saved === 'store' || r.saved === 'file' ? client : 'secret: type the value to store, or choose an environment variable';
}
