// An editor's copy of a list the engine holds (personas, service clients): rows the user edits,
// replaced when the list changes elsewhere (another window, the API, the settings file) unless
// the user has unsaved edits; then `changedElsewhere` lets the editor offer the other version.
import { useEffect, useState } from 'react';

export function useEditedCopy<V, R>(live: V, toRows: (value: V) => R[]) {
  const [base, setBase] = useState<V>(live);
  const [rows, setRows] = useState<R[]>(() => toRows(live));
  const dirty = JSON.stringify(rows) !== JSON.stringify(toRows(base));
  const changedElsewhere = JSON.stringify(live) !== JSON.stringify(base);
  /** Starts over from `value` (what was just saved), or from the live list. */
  const load = (value: V = live) => {
    setBase(value);
    setRows(toRows(value));
  };
  useEffect(() => {
    if (changedElsewhere && !dirty) load();
  });
  return { rows, setRows, dirty, changedElsewhere, load };
}
