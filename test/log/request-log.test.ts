import { describe, expect, it } from 'vitest';
import type { Decision, RequestLogEntry } from '../../electron/engine/api.ts';
import { RequestLog } from '../../electron/engine/log/request-log.ts';

function entry(n: number, upstreamId = 'app', decision: Decision = 'allowed'): Omit<RequestLogEntry, 'seq'> {
  return { time: n, upstreamId, method: 'GET', path: `/p${n}`, status: 200, decision, reason: 'session', durationMs: 1 };
}

describe('RequestLog', () => {
  it('numbers entries and lists them newest last', () => {
    const log = new RequestLog(10);
    const first = log.add(entry(1));
    log.add(entry(2));
    expect(first.seq).toBe(1);
    expect(log.list().map((e) => [e.seq, e.path])).toEqual([
      [1, '/p1'],
      [2, '/p2'],
    ]);
  });

  it('wraps around, keeping only the newest `capacity` entries in order', () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 8; i++) log.add(entry(i));
    expect(log.list().map((e) => e.path)).toEqual(['/p6', '/p7', '/p8']);
    expect(log.list().map((e) => e.seq)).toEqual([6, 7, 8]);
  });

  it('stays within its capacity however much is added', () => {
    const log = new RequestLog(100);
    for (let i = 0; i < 10_000; i++) log.add(entry(i));
    expect(log.list()).toHaveLength(100);
  });

  const mixed = new RequestLog(6);
  const rows: Array<[string, Decision]> = [
    ['app', 'allowed'],
    ['api', 'denied'],
    ['app', 'unauthenticated'],
    ['app', 'denied'],
    ['api', 'allowed'],
    ['app', 'allowed'],
    ['app', 'public'],
  ];
  rows.forEach(([up, d], i) => mixed.add(entry(i + 1, up, d)));

  it.each([
    ['no filter', {}, [2, 3, 4, 5, 6, 7]],
    ['upstream', { upstream: 'app' }, [3, 4, 6, 7]],
    ['decision', { decision: 'denied' as Decision }, [2, 4]],
    ['upstream and decision', { upstream: 'app', decision: 'allowed' as Decision }, [6]],
    ['limit keeps the newest', { limit: 2 }, [6, 7]],
    ['limit with a filter', { upstream: 'api', limit: 1 }, [5]],
    ['limit 0', { limit: 0 }, []],
    ['an unknown upstream', { upstream: 'nope' }, []],
  ])('filters by %s', (_label, filter, seqs) => {
    expect(mixed.list(filter).map((e) => e.seq)).toEqual(seqs);
  });

  it('counts every request per upstream, including those the ring dropped', () => {
    const log = new RequestLog(2);
    for (let i = 0; i < 5; i++) log.add(entry(i, 'app'));
    log.add(entry(9, 'api'));
    expect(log.count('app')).toBe(5);
    expect(log.count('api')).toBe(1);
    expect(log.count('other')).toBe(0);
  });

  it('tells subscribers about each entry until they unsubscribe, and survives a failing one', () => {
    const log = new RequestLog(5);
    const got: number[] = [];
    log.onEntry(() => {
      throw new Error('broken subscriber');
    });
    const off = log.onEntry((e) => got.push(e.seq));
    log.add(entry(1));
    off();
    log.add(entry(2));
    expect(got).toEqual([1]);
  });

  it('clears everything, or one upstream and keeps the rest in order', () => {
    const log = new RequestLog(4);
    for (let i = 1; i <= 6; i++) log.add(entry(i, i % 2 ? 'a' : 'b'));
    log.clear('a');
    expect(log.list().map((e) => e.seq)).toEqual([4, 6]);
    expect(log.count('a')).toBe(0);
    expect(log.count('b')).toBe(3);
    for (let i = 7; i <= 10; i++) log.add(entry(i, 'b'));
    expect(log.list().map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    log.clear();
    expect(log.list()).toEqual([]);
    expect(log.count('b')).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %s', (capacity) => {
    expect(() => new RequestLog(capacity)).toThrow(/capacity must be a positive integer/);
  });
});
