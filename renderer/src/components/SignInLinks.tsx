// "Sign in" and "Sign in as ▸ persona" for one upstream: real links (new tab, keyboard,
// no popup blocker), their URLs fetched from the engine.
import { useEffect, useState } from 'react';
import { useApi, useLive } from '../api/context.ts';
import { errorMessage } from '../api/errors.ts';

interface Props {
  upstreamId: string;
  builtin: boolean;
  /** Offers "Sign in as <first persona>" as the main action (the first-run path). */
  featured?: boolean;
}

export function SignInLinks({ upstreamId, builtin, featured }: Props) {
  const api = useApi();
  const personas = useLive().state?.personas ?? [];
  const names = builtin ? personas.map((p) => p.username) : [];
  const key = names.join(',');
  const [urls, setUrls] = useState<{ plain?: string; as: Record<string, string>; error?: string }>({ as: {} });

  useEffect(() => {
    let live = true;
    Promise.all([api.signInUrl(upstreamId), ...names.map((n) => api.signInUrl(upstreamId, n))]).then(
      ([plain, ...rest]) => live && setUrls({ plain, as: Object.fromEntries(names.map((n, i) => [n, rest[i]])) }),
      (e: unknown) => live && setUrls({ as: {}, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, upstreamId, key]);

  if (urls.error) return <span className="note note-warn">Sign-in unavailable: {urls.error}</span>;
  const first = featured ? names[0] : undefined;
  return (
    <span className="signin">
      {first && urls.as[first] && (
        <a className="button primary" href={urls.as[first]} target="_blank" rel="noopener noreferrer">
          Sign in as {first}
        </a>
      )}
      {urls.plain && (
        <a className="button" href={urls.plain} target="_blank" rel="noopener noreferrer">
          Sign in
        </a>
      )}
      {names.length > 0 && (
        <details className="menu">
          <summary>Sign in as ▸</summary>
          <ul>
            {names.map((n) =>
              urls.as[n] ? (
                <li key={n}>
                  <a href={urls.as[n]} target="_blank" rel="noopener noreferrer" aria-label={`Sign in to ${upstreamId} as ${n}`}>
                    {n}
                  </a>
                </li>
              ) : null,
            )}
          </ul>
        </details>
      )}
    </span>
  );
}
