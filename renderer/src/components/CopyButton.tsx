// Copies a value to the clipboard and says so, for people and for screen readers.
import { useState } from 'react';

interface Props {
  value: string;
  label: string;
  text?: string;
  /** Inline beside a value (the default), or full size in a row of actions. */
  small?: boolean;
}

export function CopyButton({ value, label, text = 'Copy', small = true }: Props) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setDone('copied'),
      () => setDone('failed'),
    );
  };
  return (
    <button type="button" className={small ? 'small' : undefined} onClick={copy} aria-label={label}>
      {/* All three faces take the same place, so the button keeps its width as its words change. */}
      <span className="swap" aria-hidden="true">
        {[[null, text], ['copied', 'Copied'], ['failed', 'Failed']].map(([when, words]) => (
          <span key={when ?? 'idle'} className={done === when ? undefined : 'off'}>{words}</span>
        ))}
      </span>
      <span className="visually-hidden" aria-live="polite">{done && `${label}: ${done === 'copied' ? 'copied' : 'copying failed'}`}</span>
    </button>
  );
}
