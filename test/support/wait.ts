// Waiting for something a test cannot be told about directly. Each wait names what it awaits and
// gives up with that name well before the test's own timeout, so a failure says what never
// happened instead of "Test timed out". The bound is not a speed check.
import type { EngineEvent } from '../../electron/engine/api.ts';

export const WAIT_BOUND_MS = 10_000;
const POLL_MS = 20;

export interface WaitOptions {
  /** How long to wait before failing; default WAIT_BOUND_MS. */
  timeoutMs?: number;
}

function stillWaiting(what: string, timeoutMs: number): Error {
  return new Error(`still waiting for ${what} after ${timeoutMs} ms`);
}

/** Resolves with `check()`'s first truthy value, polling; rejects naming `what` when it never comes. */
export function until<T>(what: string, check: () => T | undefined | false, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? WAIT_BOUND_MS;
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      clearInterval(poll);
      reject(stillWaiting(what, timeoutMs));
    }, timeoutMs);
    const attempt = (): boolean => {
      const value = check();
      if (!value) return false;
      clearTimeout(deadline);
      clearInterval(poll);
      resolve(value);
      return true;
    };
    const poll = setInterval(attempt, POLL_MS);
    attempt();
  });
}

/** Resolves or rejects as `promise` does; rejects naming `what` when it has not settled within the bound. */
export function untilSettled<T>(what: string, promise: Promise<T>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? WAIT_BOUND_MS;
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(stillWaiting(what, timeoutMs)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(deadline);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        reject(error);
      },
    );
  });
}

/** What untilState needs of an engine: its event stream. */
export interface Subscribable {
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/**
 * Resolves with `check()`'s value once it holds after an engine event (or already holds);
 * rejects naming `what` when no event makes it hold within the bound.
 */
export function untilState<T>(engine: Subscribable, what: string, check: () => T | undefined | false, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? WAIT_BOUND_MS;
  return new Promise((resolve, reject) => {
    const now = check();
    if (now) return resolve(now);
    const deadline = setTimeout(() => {
      stop();
      reject(stillWaiting(what, timeoutMs));
    }, timeoutMs);
    const stop = engine.subscribe(() => {
      const value = check();
      if (!value) return;
      clearTimeout(deadline);
      stop();
      resolve(value);
    });
  });
}
