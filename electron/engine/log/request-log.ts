// The recent-requests log behind the console's request list: a fixed-size ring buffer (O(1)
// add, no shifting, memory bounded by its capacity), per-upstream totals, and live subscribers.
import type { Decision, RequestLogEntry } from '../api.ts';

export interface RequestLogFilter {
  upstream?: string;
  decision?: Decision;
  /** At most this many entries, the newest ones. */
  limit?: number;
}

/** What one request came to, as a handler reports it and the log records it. */
export interface Outcome {
  status: number;
  decision: Decision;
  reason: string;
  rule?: string;
  user?: string;
  simulated?: boolean;
  /** The target (the upstream's own or a `paths` one) the request was forwarded to. */
  target?: string;
}

export type RequestLogListener = (entry: RequestLogEntry) => void;

export class RequestLog {
  private readonly slots: Array<RequestLogEntry | undefined>;
  /** Index the next entry goes to. */
  private next = 0;
  private size = 0;
  private seq = 0;
  private readonly totals = new Map<string, number>();
  /** Per upstream and target: `<upstream id> <target>`. */
  private readonly targetTotals = new Map<string, number>();
  private readonly listeners = new Set<RequestLogListener>();

  constructor(readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`request log capacity must be a positive integer, got ${capacity}`);
    }
    this.slots = new Array<RequestLogEntry | undefined>(capacity);
  }

  add(e: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    // The caller hands over a fresh object: numbering it in place spares a copy per request.
    const entry = e as RequestLogEntry;
    entry.seq = ++this.seq;
    this.slots[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    this.totals.set(entry.upstreamId, (this.totals.get(entry.upstreamId) ?? 0) + 1);
    if (entry.target !== undefined) {
      const key = `${entry.upstreamId} ${entry.target}`;
      this.targetTotals.set(key, (this.targetTotals.get(key) ?? 0) + 1);
    }
    for (const listener of this.listeners) {
      // A failing subscriber (a closed SSE stream, a UI bug) must not fail the request it logs.
      try {
        listener(entry);
      } catch {
        /* the subscriber's own problem */
      }
    }
    return entry;
  }

  /** Matching entries, oldest first and newest last. */
  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const { upstream, decision } = filter;
    const limit = filter.limit ?? this.size;
    const found: RequestLogEntry[] = [];
    // Walk from the newest back so a small limit stops early.
    for (let i = 1; i <= this.size && found.length < limit; i++) {
      const entry = this.slots[(this.next - i + this.capacity) % this.capacity]!;
      if (upstream !== undefined && entry.upstreamId !== upstream) continue;
      if (decision !== undefined && entry.decision !== decision) continue;
      found.push(entry);
    }
    return found.reverse();
  }

  /** How many requests were logged for the upstream since start (or its last clear), including those the ring has dropped. */
  count(upstreamId: string): number {
    return this.totals.get(upstreamId) ?? 0;
  }

  /** How many of the upstream's requests were forwarded to `target`. */
  countForTarget(upstreamId: string, target: string): number {
    return this.targetTotals.get(`${upstreamId} ${target}`) ?? 0;
  }

  onEntry(fn: RequestLogListener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** Forgets every entry, or only one upstream's. */
  clear(upstream?: string): void {
    if (upstream === undefined) {
      this.slots.fill(undefined);
      this.next = 0;
      this.size = 0;
      this.totals.clear();
      this.targetTotals.clear();
      return;
    }
    const kept = this.list().filter((entry) => entry.upstreamId !== upstream);
    this.slots.fill(undefined);
    kept.forEach((entry, i) => (this.slots[i] = entry));
    this.size = kept.length;
    this.next = kept.length % this.capacity;
    this.totals.delete(upstream);
    for (const key of [...this.targetTotals.keys()]) if (key.startsWith(`${upstream} `)) this.targetTotals.delete(key);
  }
}
