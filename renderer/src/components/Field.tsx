// A labelled form field with its error and its as-you-type check, tied together for screen readers.
import { useId, type ReactElement, cloneElement } from 'react';
import type { CheckState } from '../lib/useDebouncedCheck.ts';

interface Props {
  label: string;
  error?: string;
  check?: CheckState;
  hint?: string;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
}

export function Field({ label, error, check, hint, children }: Props) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = error ?? (check?.status === 'checking' ? 'checking…' : check?.status === 'done' ? check.result.message : hint);
  const tone = error ? 'bad' : check?.status === 'done' ? (check.result.ok ? 'good' : 'warn') : 'muted';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': note ? noteId : undefined, 'aria-invalid': error ? true : undefined })}
      {note && (
        <span id={noteId} className={`note note-${tone}`}>
          {note}
        </span>
      )}
    </div>
  );
}
