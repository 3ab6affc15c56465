// The one "one change at a time" queue behind the settings, both secret stores and the engine's
// control calls: changes run in order, never overlap, and a failed one does not stop the next.
import { describe, expect, it } from 'vitest';
import { ChangeQueue } from '../../electron/engine/config/change-queue.ts';

describe('ChangeQueue', () => {
  it('runs changes one after another in the order they were queued', async () => {
    const queue = new ChangeQueue();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run(async () => {
      events.push('first starts');
      await gate;
      events.push('first ends');
      return 1;
    });
    const second = queue.run(() => {
      events.push('second runs');
      return 2;
    });
    await Promise.resolve();
    expect(events).toEqual(['first starts']);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('hands a failure to its caller and still runs the next change', async () => {
    const queue = new ChangeQueue();
    const failed = queue.run(async () => {
      throw new Error('disk full');
    });
    const next = queue.run(async () => 'saved');
    await expect(failed).rejects.toThrow('disk full');
    expect(await next).toBe('saved');
  });

  it('idle() settles after every queued change, even a failed one', async () => {
    const queue = new ChangeQueue();
    const done: string[] = [];
    void queue.run(async () => done.push('a'));
    queue.run(async () => {
      throw new Error('x');
    }).catch(() => done.push('b failed'));
    await queue.idle();
    await Promise.resolve();
    expect(done).toEqual(['a', 'b failed']);
  });
});
