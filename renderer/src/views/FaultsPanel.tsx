// The built-in provider's faults (docs/control-api.md, "Fault lab"): a refused sign-in, a refused
// or failing refresh, a slow or a dead provider, set in one click and cleared in another. While
// any is set the banner (IdpFaultsBanner) stays on every view.
import { useState, type FormEvent } from 'react';
import type { IdpFaults } from '../../../electron/engine/api.ts';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { Field } from '../components/Field.tsx';

const SIGN_IN = ['access_denied', 'login_required', 'server_error'] as const;
const REFRESH = ['invalid_grant', 'server_error'] as const;

export function FaultsPanel() {
  const api = useApi();
  const live = useLive();
  const current = live.state?.idpFaults;
  const [signIn, setSignIn] = useState<IdpFaults['signIn']>(current?.signIn ?? null);
  const [refresh, setRefresh] = useState<IdpFaults['refresh']>(current?.refresh ?? null);
  const [latencyMs, setLatencyMs] = useState(String(current?.latencyMs ?? 0));
  const [down, setDown] = useState(current?.down ?? false);
  const [problem, setProblem] = useState<string | null>(null);

  if (!live.state?.providers.some((p) => p.type === 'builtin')) return null;

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    try {
      live.apply(await api.setIdpFaults({ signIn, refresh, latencyMs: Number(latencyMs), down }));
      setProblem(null);
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };
  const clear = async () => {
    live.apply(await api.clearIdpFaults());
    setSignIn(null);
    setRefresh(null);
    setLatencyMs('0');
    setDown(false);
    setProblem(null);
  };

  return (
    <form className="card form" onSubmit={(e) => void apply(e)} aria-label="Provider faults">
      <h3>Built-in provider faults</h3>
      <p className="meta">Make the built-in identity provider refuse, fail, slow down or go away, and see how your app copes.</p>
      <div className="grid">
        <FaultChoice label="Sign-in answers" choices={SIGN_IN} value={signIn} onChange={setSignIn} />
        <FaultChoice label="Refresh answers" choices={REFRESH} value={refresh} onChange={setRefresh} />
        <Field label="Latency (ms)" hint="0 – 30000; slows sign-in and refresh, not signed-in requests">
          <input type="number" value={latencyMs} onChange={(e) => setLatencyMs(e.target.value)} />
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={down} onChange={(e) => setDown(e.target.checked)} />
        Down (every connection to the provider is reset)
      </label>
      {problem && <div className="note note-bad" role="alert">{problem}</div>}
      <div className="actions">
        <button type="submit" className="primary">Set faults</button>
        <button type="button" onClick={() => void clear()} disabled={!current}>Clear faults</button>
      </div>
    </form>
  );
}

/** One fault the provider can answer with, or "normally" (null). */
function FaultChoice<T extends string>({ label, choices, value, onChange }: { label: string; choices: readonly T[]; value: NoInfer<T> | null; onChange(value: NoInfer<T> | null): void }) {
  return (
    <Field label={label}>
      <select value={value ?? ''} onChange={(e) => onChange((e.target.value || null) as T | null)}>
        <option value="">normally</option>
        {choices.map((f) => <option key={f} value={f}>{f}</option>)}
      </select>
    </Field>
  );
}
