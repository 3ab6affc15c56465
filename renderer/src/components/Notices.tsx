// The engine's running problems as a stack over the page's corner: they never push the view
// about, stay until dismissed or resolved, and dismissing one hands focus back to the page.
import { useLive } from '../api/context.ts';
import { scopeLabel } from '../api/notices.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

export function Notices() {
  const { notices, dismiss } = useLive();
  const close = (scope: string) => {
    dismiss(scope);
    document.getElementById('main')?.focus({ preventScroll: true });
  };
  return (
    <div className="notices">
      {notices.map((n) => (
        <ErrorNotice key={n.scope} message={`${scopeLabel(n.scope)}: ${n.message}`} onDismiss={() => close(n.scope)} />
      ))}
    </div>
  );
}
