// The waiting helpers fail on their own, naming what they waited for, instead of leaving a test
// to the runner's global timeout with no word about what never happened.
import { describe, expect, it } from 'vitest';
import type { EngineState } from '../../electron/engine/api.ts';
import { startTestEngine, type TestEngine } from './engine.ts';
import { until, untilSettled, untilState } from './wait.ts';

describe('until', () => {
  it('resolves with the first truthy value of the check', async () => {
    let calls = 0;
    await expect(until('the third call', () => ++calls >= 3 && `call ${calls}`)).resolves.toBe('call 3');
  });

  it('rejects naming what it waited for when the check never holds', async () => {
    await expect(until('the moon to turn blue', () => false, { timeoutMs: 50 })).rejects.toThrow(
      'still waiting for the moon to turn blue after 50 ms',
    );
  });
});

describe('untilSettled', () => {
  it('resolves and rejects as the promise does', async () => {
    await expect(untilSettled('a value', Promise.resolve(7))).resolves.toBe(7);
    await expect(untilSettled('a failure', Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });

  it('rejects naming what it waited for when the promise never settles', async () => {
    await expect(untilSettled('the process to exit', new Promise(() => {}), { timeoutMs: 50 })).rejects.toThrow(
      'still waiting for the process to exit after 50 ms',
    );
  });
});

describe('untilState', () => {
  let running: TestEngine;

  it('resolves at once when the state already holds, and after the event that makes it hold', async () => {
    running = await startTestEngine();
    try {
      await expect(untilState(running.engine, 'something that already holds', () => 'now')).resolves.toBe('now');
      let latest: EngineState | undefined;
      running.engine.subscribe((event) => {
        if (event.type === 'state') latest = event.state;
      });
      const stopped = untilState(running.engine, 'a state after stopping app', () => latest);
      await running.engine.stopUpstream('app');
      expect((await stopped).upstreams.map((u) => u.id)).toEqual(['app']);
    } finally {
      await running.close();
    }
  });

  it('rejects naming what it waited for when no event makes the state hold, and stops listening', async () => {
    let listeners = 0;
    const engine = {
      subscribe: () => {
        listeners++;
        return () => listeners--;
      },
    };
    await expect(untilState(engine, 'the app to show ● (running)', () => false, { timeoutMs: 50 })).rejects.toThrow(
      'still waiting for the app to show ● (running) after 50 ms',
    );
    expect(listeners).toBe(0);
  });
});
