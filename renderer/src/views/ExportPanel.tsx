// "Production config ▸": the upstream's production side in each export format, exactly as
// `portcullis export` prints it, with what differs from production spelt out above it.
import { useEffect, useState } from 'react';
import type { ExportFormat, ProductionExport } from '../../../electron/engine/api.ts';
import { useApi } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

const TABS: Array<{ format: ExportFormat; label: string; file: string }> = [
  { format: 'oauth2-proxy', label: 'oauth2-proxy', file: 'oauth2-proxy.cfg' },
  { format: 'nginx', label: 'nginx', file: 'nginx.conf' },
  { format: 'caddy', label: 'Caddy', file: 'Caddyfile' },
  { format: 'haproxy', label: 'HAProxy', file: 'haproxy.cfg' },
  { format: 'traefik', label: 'Traefik', file: 'traefik-dynamic.yml' },
];

/** Saves text as a file through the browser's (or the desktop window's) download. */
function save(text: string, file: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  link.click();
  URL.revokeObjectURL(url);
}

export function ExportPanel({ upstreamId }: { upstreamId: string }) {
  const api = useApi();
  const [tab, setTab] = useState<ExportFormat>('oauth2-proxy');
  const [result, setResult] = useState<ProductionExport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setResult(null);
    api.exportUpstream(upstreamId, tab).then(
      (r) => current && (setResult(r), setError(null)),
      (e: unknown) => current && setError(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [api, upstreamId, tab]);

  const active = TABS.find((t) => t.format === tab)!;
  return (
    <div className="export" role="region" aria-label={`Production config for ${upstreamId}`}>
      <div role="tablist" aria-label="Export format" className="tabs">
        {TABS.map((t) => (
          <button
            key={t.format}
            type="button"
            role="tab"
            id={`export-${upstreamId}-${t.format}`}
            aria-selected={t.format === tab}
            aria-controls={`export-${upstreamId}-panel`}
            onClick={() => setTab(t.format)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`export-${upstreamId}-panel`} aria-labelledby={`export-${upstreamId}-${tab}`}>
        {error && <ErrorNotice message={error} onDismiss={() => setError(null)} />}
        {result && result.format === tab && (
          <>
            <h4>What differs from production</h4>
            <ul className="notes">{result.notes.map((n) => <li key={n}>{n}</li>)}</ul>
            <div className="actions">
              <CopyButton value={result.text} label={`Copy the ${active.label} config`} small={false} />
              <button type="button" onClick={() => save(result.text, active.file)}>Save as {active.file}…</button>
            </div>
            <pre className="export-text" aria-label={`${active.label} config`}>{result.text}</pre>
          </>
        )}
      </div>
    </div>
  );
}
