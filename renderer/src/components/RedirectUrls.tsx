// The callback URLs to register at an identity provider, one per upstream using it, each with
// a copy button; before any upstream uses the provider, which URL it will be.
import { CopyButton } from './CopyButton.tsx';

export function RedirectUrls({ urls }: { urls: string[] }) {
  if (urls.length === 0) {
    return (
      <p className="meta redirects">
        No upstream uses this provider yet. Once one does, register <code>http://localhost:&lt;its port&gt;/oauth2/callback</code> at
        the provider as a redirect URL; the exact URL shows here.
      </p>
    );
  }
  return (
    <div className="redirects">
      <p className="meta">
        Redirect URL{urls.length > 1 ? 's' : ''} to register at the provider (each listener's, and one per front proxy origin an
        upstream lists in Redirect origins):
      </p>
      {urls.map((u) => (
        <p key={u} className="inline"><code>{u}</code><CopyButton value={u} label={`Copy redirect URL ${u}`} /></p>
      ))}
    </div>
  );
}
