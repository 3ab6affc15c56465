// An error nothing caught in the main process becomes a problem the tray shows (and notifies)
// instead of Electron's modal error box; errors from before the tray existed reach it too.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { guardAgainstCrashes } from '../../electron/desktop/crash-guard.ts';

type Handler = (reason: unknown) => void;
const exceptionHandlers = process.listeners('uncaughtException');
const rejectionHandlers = process.listeners('unhandledRejection');
const logged: string[] = [];
const guard = guardAgainstCrashes((line) => logged.push(line));
// Called directly: emitting on the real process would also reach the test runner's own handlers.
const onException = process.listeners('uncaughtException').find((fn) => !exceptionHandlers.includes(fn)) as Handler;
const onRejection = process.listeners('unhandledRejection').find((fn) => !rejectionHandlers.includes(fn)) as Handler;
afterEach(() => {
  logged.length = 0;
});
// The worker process outlives this file: later files must see their own errors.
afterAll(() => {
  process.removeListener('uncaughtException', onException);
  process.removeListener('unhandledRejection', onRejection);
});

describe('errors nothing caught', () => {
  it('are handled, so Electron shows no error box', () => {
    expect(onException).toBeTypeOf('function');
    expect(onRejection).toBeTypeOf('function');
  });

  it('raised before the tray exists wait for it; later ones go straight to it', () => {
    onException(new Error('early'));
    const reported: string[] = [];
    guard.reportTo((message) => reported.push(message));
    expect(reported).toEqual(['Unexpected error: early']);
    onRejection('no listener for that');
    expect(reported).toEqual(['Unexpected error: early', 'Unexpected error in a background task: no listener for that']);
  });

  it('are logged with their stack', () => {
    onException(new Error('with a stack'));
    expect(logged[0]).toMatch(/^Unexpected error: with a stack\nError: with a stack\n\s+at /);
  });

  it('a failing report is logged, not thrown (a throw here would end the app)', () => {
    guard.reportTo(() => {
      throw new Error('no notifications');
    });
    expect(() => onException(new Error('x'))).not.toThrow();
    expect(logged.at(-1)).toMatch(/could not report a problem: Error: no notifications/);
  });
});
