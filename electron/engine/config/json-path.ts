// Turns the JSON Pointers that ajv reports (`/upstreams/1/listen/port`) into the JSON paths
// users read in error messages (`$.upstreams[1].listen.port`).

/** Appends an object key or array index to a JSON path. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Converts a JSON Pointer into a JSON path, using the data to tell array indexes from keys. */
export function pointerToPath(pointer: string, data: unknown): string {
  let path = '$';
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(node) && /^\d+$/.test(key);
    path = childPath(path, isIndex ? Number(key) : key);
    node = node && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}
