// The app's life: one instance (a second launch shows the first one's window), staying alive
// in the tray when the window closes, and a quit that drains the engine before the process
// exits — however the quit was asked for (menu, OS logout, Ctrl+C).
import { app } from 'electron';

/** Longest a quit waits for the engine to drain before exiting anyway. */
export const QUIT_DRAIN_LIMIT_MS = 5_000;

/** False when another instance already runs; that instance is told to show itself. */
export function claimSingleInstance(onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => onSecondLaunch());
  return true;
}

export interface QuitControl {
  /** True once a quit has begun: windows really close from then on. */
  isQuitting(): boolean;
}

/**
 * Keeps the app running with no window, and turns every quit into: stop the engine (drain
 * listeners, persist sessions), then exit. `drain` is looked up at quit time, since a quit may
 * come before the engine has started.
 */
export function manageQuit(drain: () => Promise<void> | undefined, log: (line: string) => void): QuitControl {
  let quitting = false;
  let draining: Promise<void> | undefined;
  let drained = false;

  app.on('window-all-closed', () => {
    // Listening is enough to stop Electron quitting: the tray keeps the app alive.
  });

  app.on('before-quit', (event) => {
    quitting = true;
    if (drained) return;
    event.preventDefault();
    if (draining) return;
    draining = finish();
  });

  async function finish(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log(`the engine did not stop within ${QUIT_DRAIN_LIMIT_MS / 1000} s; exiting anyway`);
        resolve();
      }, QUIT_DRAIN_LIMIT_MS);
    });
    try {
      await Promise.race([Promise.resolve(drain()), limit]);
    } catch (err) {
      log(`the engine stopped with an error: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
    drained = true;
    app.exit(0);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  return { isQuitting: () => quitting };
}
