// The console's frame: navigation between views, the simulation banner, load and error states,
// and the notices of problems reported while running.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { ControlApi } from '../../electron/engine/api.ts';
import { ApiContext, LiveContext } from './api/context.ts';
import { useLiveEngine } from './api/useLiveEngine.ts';
import { ErrorNotice } from './components/ErrorNotice.tsx';
import { Notices } from './components/Notices.tsx';
import { SimulationBanner } from './components/SimulationBanner.tsx';
import { IdpFaultsBanner } from './components/IdpFaultsBanner.tsx';
import { FirstRun } from './views/FirstRun.tsx';
import { UpstreamsView } from './views/UpstreamsView.tsx';
import { ProvidersView } from './views/ProvidersView.tsx';
import { SessionsView } from './views/SessionsView.tsx';
import { SimulationView } from './views/SimulationView.tsx';
import { RequestLog } from './views/RequestLog.tsx';

const VIEWS = {
  overview: { label: 'Overview', Component: FirstRun },
  upstreams: { label: 'Upstreams', Component: UpstreamsView },
  providers: { label: 'Providers', Component: ProvidersView },
  sessions: { label: 'Sessions', Component: SessionsView },
  simulation: { label: 'Simulation', Component: SimulationView },
  requests: { label: 'Requests', Component: RequestLog },
} as const;

type ViewKey = keyof typeof VIEWS;

// Arrow keys, Home and End move along the view links (as in a tab strip); Tab still walks them
// in order, and Enter opens the focused one.
const STEPS: Record<string, (i: number, n: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_i, n) => n - 1,
};

function moveFocusWithArrows(e: KeyboardEvent<HTMLElement>) {
  const step = STEPS[e.key];
  if (!step) return;
  const links = [...e.currentTarget.querySelectorAll('a')];
  const i = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (i < 0) return;
  e.preventDefault();
  links[step(i, links.length)].focus();
}

function viewFromHash(): ViewKey {
  const key = window.location.hash.replace(/^#\/?/, '');
  return key in VIEWS ? (key as ViewKey) : 'overview';
}

export function App({ api }: { api: ControlApi }) {
  const live = useLiveEngine(api);
  const [view, setView] = useState<ViewKey>(viewFromHash);
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const { Component } = VIEWS[view];
  const sessions = live.state?.sessions.length ?? 0;

  return (
    <ApiContext.Provider value={api}>
      <LiveContext.Provider value={live}>
        <a className="skip" href="#main">Skip to content</a>
        <header className="top">
          <h1>Portcullis</h1>
          <nav aria-label="Views" onKeyDown={moveFocusWithArrows}>
            {(Object.keys(VIEWS) as ViewKey[]).map((k) => (
              <a key={k} href={`#/${k}`} aria-current={k === view ? 'page' : undefined}>
                {VIEWS[k].label}
                {k === 'sessions' && sessions > 0 && <span className="count" aria-label={`${sessions} active`}>{sessions}</span>}
              </a>
            ))}
          </nav>
        </header>
        <SimulationBanner />
        <IdpFaultsBanner />
        <main id="main" tabIndex={-1}>
          {live.loadError && <ErrorNotice message={live.loadError} onRetry={live.reload} />}
          {live.state ? <Component /> : !live.loadError && <p className="loading" role="status">Connecting to Portcullis…</p>}
        </main>
        <Notices />
      </LiveContext.Provider>
    </ApiContext.Provider>
  );
}
