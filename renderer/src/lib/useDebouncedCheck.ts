// Runs a form check (port free? target answers?) shortly after the user stops typing, and
// drops answers that arrive for an input that has changed since.
import { useEffect, useState } from 'react';
import type { CheckResult } from '../../../electron/engine/api.ts';
import { errorMessage } from '../api/errors.ts';

export type CheckState = { status: 'idle' } | { status: 'checking' } | { status: 'done'; result: CheckResult };

export function useDebouncedCheck(run: (() => Promise<CheckResult>) | null, key: string, delayMs = 300): CheckState {
  const [state, setState] = useState<CheckState>({ status: 'idle' });
  useEffect(() => {
    if (!run) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState({ status: 'checking' });
    const t = setTimeout(() => {
      run().then(
        (result) => current && setState({ status: 'done', result }),
        (e: unknown) => current && setState({ status: 'done', result: { ok: false, message: errorMessage(e) } }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(t);
    };
    // `key` stands for the inputs of `run`, which is a fresh closure on every render.
  }, [key]);
  return state;
}
