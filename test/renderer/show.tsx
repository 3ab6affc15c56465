// Renders the whole console on one view against a real Engine passed in as the ControlApi.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { startTestEngine, type TestEngine, type TestEngineOptions } from '../support/engine.ts';
import type { ControlApi } from '../../electron/engine/api.ts';
import { App } from '../../renderer/src/App.tsx';

export function showView(api: ControlApi, view: string) {
  window.location.hash = `#/${view}`;
  return render(<App api={api} />);
}

/**
 * One real Engine for a test file, and a clean page after each test: registers the hooks and
 * returns a getter for the engine (it exists once beforeAll has run).
 */
export function engineForViews(options?: TestEngineOptions): () => TestEngine {
  let t: TestEngine | undefined;
  beforeAll(async () => {
    t = await startTestEngine(options);
  });
  afterAll(() => t?.close());
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });
  return () => t!;
}
