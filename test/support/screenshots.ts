// Where the end-to-end tests save their screenshots. A test run writes them to a temp folder, so
// `npm test` leaves the checkout as it found it; `npm run screenshots` sets
// PORTCULLIS_SCREENSHOTS=docs to refresh the committed ones that the README and docs/ show.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOCS_SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');
export const TEMP_SCREENSHOTS = join(tmpdir(), 'portcullis-screenshots');

/** The folder this run saves screenshots to, created if missing. */
export function screenshotDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.PORTCULLIS_SCREENSHOTS === 'docs' ? DOCS_SCREENSHOTS : TEMP_SCREENSHOTS;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The file for screenshot `name` (without extension) in this run's folder. */
export function screenshotPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(screenshotDir(env), `${name}.png`);
}
