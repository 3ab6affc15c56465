// Deep-freezes settings objects that are shared across the engine, so that a caller that
// mutates them by mistake fails loudly instead of silently diverging from what is persisted.
export function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
