// The machine's Chromium, launched the way every e2e test needs it (no sandbox when run as root,
// nothing phoning home); the tests skip, saying why, where it is not installed.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { UpstreamConfig } from '../../electron/engine/config/types.ts';
import { startTestConsole, type TestConsole } from '../support/engine.ts';
import { test as serveTest } from '../support/fixture.ts';
import { startFlask, type Upstream } from '../support/flask.ts';

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

/** What consoleInChromium holds for a file: set in its beforeAll, stopped in its afterAll. */
export interface ConsoleInChromium {
  flask: Upstream;
  /** The in-process engine with its console, the app upstream in front of `flask`. */
  t: TestConsole;
  browser: Browser;
  page: Page;
}

/**
 * Flask, an engine with its console (startTestConsole) and a Chromium page, started before the
 * calling describe's tests and stopped after them. The page has opened the console unless
 * `open` is false (a test that opens it itself, e.g. to see the token prompt).
 */
export function consoleInChromium(opts: { app?: Partial<UpstreamConfig>; context?: BrowserContextOptions; open?: boolean } = {}): ConsoleInChromium {
  const running = {} as ConsoleInChromium;
  beforeAll(async () => {
    running.flask = await startFlask();
    running.t = await startTestConsole({ target: running.flask.url, app: opts.app });
    running.browser = await launchChromium();
    running.page = await (await running.browser.newContext(opts.context ?? { viewport: { width: 1280, height: 900 } })).newPage();
    if (opts.open !== false) await running.page.goto(running.t.console.url);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.t?.close();
    await running.flask?.stop();
  });
  return running;
}
