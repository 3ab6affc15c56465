// A test run keeps its screenshots out of the checkout; only `npm run screenshots` writes the
// committed ones the README shows.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DOCS_SCREENSHOTS, screenshotPath } from './screenshots.ts';

describe('screenshotPath', () => {
  it.each([
    ['a test run', {}, `${tmpdir()}/portcullis-screenshots/overview.png`],
    ['npm run screenshots', { PORTCULLIS_SCREENSHOTS: 'docs' }, `${DOCS_SCREENSHOTS}/overview.png`],
    ['any other value', { PORTCULLIS_SCREENSHOTS: '../../etc' }, `${tmpdir()}/portcullis-screenshots/overview.png`],
  ])('%s', (_when, env, expected) => {
    expect(screenshotPath('overview', env)).toBe(expected);
  });

  it('the committed screenshots live in docs/screenshots', () => {
    expect(DOCS_SCREENSHOTS.endsWith('/docs/screenshots')).toBe(true);
  });
});
