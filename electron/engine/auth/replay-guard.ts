// Remembers which sign-in states have been used, so a callback URL replayed (with the CSRF
// cookie it came with) is refused. Bounded: entries older than the CSRF cookie's lifetime go.
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  /** Marks a state used; false when it had been used already. */
  claim(state: string, now = Date.now()): boolean {
    this.prune(now);
    if (this.seen.has(state)) return false;
    this.seen.set(state, now);
    return true;
  }

  private prune(now: number): void {
    // Map keeps insertion order, so the oldest entries come first.
    for (const [state, at] of this.seen) {
      if (now - at < this.ttlMs) break;
      this.seen.delete(state);
    }
  }
}
