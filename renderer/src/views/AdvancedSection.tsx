// The upstream form's advanced part: who is allowed, which routes are public or API-like,
// which headers (and claim headers) reach the target, whether API clients may send bearer
// tokens — with a route tester and a header preview.
import { useId } from 'react';
import type { UpstreamConfig } from '../../../electron/engine/api.ts';
import { useLive } from '../api/context.ts';
import { RouteTester } from './RouteTester.tsx';
import { HeaderPreview } from './HeaderPreview.tsx';
import { ClaimHeadersEditor, type ClaimHeaderRow } from './ClaimHeadersEditor.tsx';

type Flag = 'passUserHeaders' | 'passAccessToken' | 'passAuthorizationHeader' | 'setXAuthRequest' | 'websockets';

export interface AdvancedValues {
  allowedGroups: string;
  allowedRoles: string;
  allowedEmails: string;
  emailDomains: string;
  skipAuthRoutes: string;
  apiRoutes: string;
  redirectOrigins: string;
  flags: Pick<UpstreamConfig, Flag>;
  claimHeaders: ClaimHeaderRow[];
  bearerTokens: boolean;
  extraAudiences: string;
}

type ListKey = 'allowedGroups' | 'allowedRoles' | 'allowedEmails' | 'emailDomains' | 'skipAuthRoutes' | 'apiRoutes' | 'redirectOrigins';

const LISTS: Array<{ key: ListKey; label: string; hint: string }> = [
  { key: 'allowedGroups', label: 'Allowed groups', hint: 'One per line; empty allows any group.' },
  { key: 'allowedRoles', label: 'Allowed roles', hint: "One per line, any of; read through the provider's roles claim. Empty allows any role." },
  { key: 'allowedEmails', label: 'Allowed emails', hint: 'One per line.' },
  { key: 'emailDomains', label: 'Email domains', hint: '* allows every domain.' },
  { key: 'skipAuthRoutes', label: 'Skip-auth routes', hint: 'METHOD=regex, METHOD!=regex, regex or !=regex.' },
  { key: 'apiRoutes', label: 'API routes', hint: 'Answer 401 instead of redirecting to sign-in.' },
  { key: 'redirectOrigins', label: 'Redirect origins', hint: 'Exact origins allowed as absolute rd targets.' },
];

const FLAGS: Array<{ key: Flag; label: string }> = [
  { key: 'passUserHeaders', label: 'Pass X-Forwarded-User/Email/Groups' },
  { key: 'passAccessToken', label: 'Pass X-Forwarded-Access-Token' },
  { key: 'passAuthorizationHeader', label: 'Pass Authorization: Bearer <id token>' },
  { key: 'setXAuthRequest', label: 'Set X-Auth-Request-* on responses' },
  { key: 'websockets', label: 'Proxy WebSockets' },
];

interface Props {
  values: AdvancedValues;
  onChange: (v: AdvancedValues) => void;
  /** Set when editing a saved upstream: the tester and preview ask the engine about it. */
  upstreamId?: string;
}

export function AdvancedSection({ values, onChange, upstreamId }: Props) {
  const id = useId();
  const saved = useLive().state?.upstreams.find((u) => u.id === upstreamId);
  const unsavedFlags = !!saved && FLAGS.some(({ key }) => saved[key] !== values.flags[key]);
  return (
    <details className="advanced">
      <summary>Advanced: access rules, routes and headers</summary>
      <div className="grid">
        {LISTS.map(({ key, label, hint }) => (
          <div className="field" key={key}>
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <textarea id={`${id}-${key}`} rows={2} value={values[key]} onChange={(e) => onChange({ ...values, [key]: e.target.value })} aria-describedby={`${id}-${key}-hint`} />
            <span id={`${id}-${key}-hint`} className="note note-muted">{hint}</span>
          </div>
        ))}
      </div>
      <fieldset className="flags">
        <legend>Headers to the target</legend>
        {FLAGS.map(({ key, label }) => (
          <label key={key} className="check">
            <input type="checkbox" checked={values.flags[key]} onChange={(e) => onChange({ ...values, flags: { ...values.flags, [key]: e.target.checked } })} />
            {label}
          </label>
        ))}
      </fieldset>
      <ClaimHeadersEditor rows={values.claimHeaders} onChange={(claimHeaders) => onChange({ ...values, claimHeaders })} />
      <fieldset className="bearer">
        <legend>API clients</legend>
        <label className="check">
          <input type="checkbox" checked={values.bearerTokens} onChange={(e) => onChange({ ...values, bearerTokens: e.target.checked })} />
          Accept Authorization: Bearer &lt;JWT&gt; signed by the provider (bearer tokens)
        </label>
        {values.bearerTokens && (
          <div className="field">
            <label htmlFor={`${id}-extraAudiences`}>Extra audiences</label>
            <textarea id={`${id}-extraAudiences`} rows={2} value={values.extraAudiences} onChange={(e) => onChange({ ...values, extraAudiences: e.target.value })} aria-describedby={`${id}-extraAudiences-hint`} />
            <span id={`${id}-extraAudiences-hint`} className="note note-muted">One per line: audiences a token may carry besides the provider’s client id.</span>
          </div>
        )}
      </fieldset>
      {upstreamId ? (
        <div className="grid">
          <RouteTester upstreamId={upstreamId} />
          <HeaderPreview upstreamId={upstreamId} unsaved={unsavedFlags} />
        </div>
      ) : (
        <p className="note note-muted">Save the upstream to test routes and preview headers against it.</p>
      )}
    </details>
  );
}
