// Type a path, see whether the saved rules make it public (skip-auth) or an API route.
import { useState } from 'react';
import { useApi } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function RouteTester({ upstreamId }: { upstreamId: string }) {
  const api = useApi();
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState('/');
  const [answer, setAnswer] = useState<string | null>(null);

  const test = async () => {
    try {
      const r = await api.testRoute(upstreamId, method, path);
      const kind = r.public ? 'public (no sign-in needed)' : 'protected (sign-in needed)';
      setAnswer(`${method} ${path}: ${kind}${r.api ? ', API route (401 instead of redirect)' : ''}${r.rule ? ` — rule ${r.rule}` : ''}${r.target ? ` → ${r.target}` : ''}`);
    } catch (e) {
      setAnswer(`Could not test: ${errorMessage(e)}`);
    }
  };

  return (
    <div className="subcard">
      <h4>Route tester</h4>
      <div className="inline">
        <label className="visually-hidden" htmlFor={`rt-m-${upstreamId}`}>Method</label>
        <select id={`rt-m-${upstreamId}`} value={method} onChange={(e) => setMethod(e.target.value)}>
          {METHODS.map((m) => <option key={m}>{m}</option>)}
        </select>
        <label className="visually-hidden" htmlFor={`rt-p-${upstreamId}`}>Path to test</label>
        <input id={`rt-p-${upstreamId}`} value={path} onChange={(e) => setPath(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void test())} />
        <button type="button" onClick={() => void test()}>Test</button>
      </div>
      {answer && <p className="note" aria-live="polite">{answer}</p>}
    </div>
  );
}
