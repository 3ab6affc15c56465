// Where the engine's events go out to the UIs: the subscribers, one state event per burst of
// changes (a restart touches every listener), and the periodic check for sessions about to
// expire. A subscriber that throws (a closed window) never breaks the engine or the others.
import type { EngineEvent, EngineState } from './api.ts';

/** State changes closer together than this go out as one state event. */
const STATE_BURST_MS = 20;
/** How often sessions are checked for an expiry the user should hear about. */
const EXPIRY_CHECK_MS = 30_000;

export interface EventHubHooks {
  /** The state to send after a burst of changes. */
  state(): Promise<EngineState>;
  /** Called when the first subscriber arrives and when the last one leaves (the target watch runs only while someone looks). */
  watching(active: boolean): void;
}

export class EventHub {
  private readonly subscribers = new Set<(e: EngineEvent) => void>();
  private stateTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly hooks: EventHubHooks) {}

  get listening(): boolean {
    return this.subscribers.size > 0;
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.subscribers.add(listener);
    if (this.subscribers.size === 1) this.hooks.watching(true);
    return () => {
      if (this.subscribers.delete(listener) && this.subscribers.size === 0) this.hooks.watching(false);
    };
  }

  emit(event: EngineEvent): void {
    for (const fn of this.subscribers) {
      try {
        fn(event);
      } catch {
        // A broken subscriber (a closed UI) must not break the engine or the other UIs.
      }
    }
  }

  /** Something the state shows changed: one state event goes out at the end of the burst. */
  stateChanged(): void {
    if (this.subscribers.size === 0 || this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      void this.hooks.state().then((state) => this.emit({ type: 'state', state }));
    }, STATE_BURST_MS);
  }

  /** Announces, every half minute, the sessions that will soon end for want of a refresh token. */
  watchExpiry(takeExpiring: () => Array<{ id: string; tokens: { expiresAt?: number } }>): void {
    this.expiryTimer = setInterval(() => {
      for (const session of takeExpiring()) this.emit({ type: 'session-expiring', sessionId: session.id, expiresAt: session.tokens.expiresAt! });
    }, EXPIRY_CHECK_MS);
    this.expiryTimer.unref();
  }

  close(): void {
    clearTimeout(this.stateTimer);
    clearInterval(this.expiryTimer);
    this.subscribers.clear();
  }
}
