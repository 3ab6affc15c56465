// The machine's Chromium, launched the way every e2e test needs it (no sandbox when run as root,
// nothing phoning home); the tests skip, saying why, where it is not installed.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { test as serveTest } from '../support/fixture.ts';

const CHROMIUM = '/usr/bin/chromium';

export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The shared `serve` fixture (test/support/fixture.ts) plus Chromium, launched once for the file and closed after it. */
export const test = serveTest.extend('chromium', { scope: 'file' }, async ({}, { onCleanup }): Promise<Browser> => {
  const browser = await launchChromium();
  onCleanup(() => browser.close());
  return browser;
});
