// Copies a value to the clipboard and says so, for people and for screen readers.
import { useState } from 'react';

export function CopyButton({ value, label, text = 'Copy' }: { value: string; label: string; text?: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setDone('copied'),
      () => setDone('failed'),
    );
  };
  return (
    <button type="button" className="small" onClick={copy} aria-label={label}>
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed' : text}
      <span className="visually-hidden" aria-live="polite">{done === 'copied' ? `${label}: copied` : ''}</span>
    </button>
  );
}
