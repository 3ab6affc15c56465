// Reads test/fixtures/open-redirect-payloads.txt: sections [origins], [reject], [keep]; one value
// per line, `json:` lines hold a JSON string (control and whitespace characters); `#` and blank
// lines are comments.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RedirectPayloads {
  origins: string[];
  reject: string[];
  keep: string[];
}

const FILE = fileURLToPath(new URL('../fixtures/open-redirect-payloads.txt', import.meta.url));

export function loadRedirectPayloads(): RedirectPayloads {
  const sections: RedirectPayloads = { origins: [], reject: [], keep: [] };
  let current: string[] | undefined;
  for (const line of readFileSync(FILE, 'utf8').split('\n')) {
    const section = /^\[(origins|reject|keep)\]$/.exec(line);
    if (section) current = sections[section[1] as keyof RedirectPayloads];
    else if (line === '' || line.startsWith('#')) continue;
    else if (!current) throw new Error(`${FILE}: value outside a section: ${line}`);
    else current.push(line.startsWith('json:') ? (JSON.parse(line.slice(5)) as string) : line);
  }
  return sections;
}

/** `count` values spread evenly over the list, so a sample touches every family of tricks. */
export function spread<T>(values: T[], count: number): T[] {
  if (values.length <= count) return values;
  const step = values.length / count;
  return Array.from({ length: count }, (_, i) => values[Math.floor(i * step)]);
}
