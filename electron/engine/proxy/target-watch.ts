// Keeps "is the app behind this upstream listening?" current for the UIs: while anyone is
// watching, every target is probed every few seconds and a change is reported, so the
// console and the tray show "target down" without the user asking.
import type { UpstreamConfig } from '../config/types.ts';
import { probeTarget } from '../http/target-probe.ts';

const INTERVAL_MS = 3_000;

/** An upstream's own target is watched under its id, each of its `paths` targets under `<id> <path>`. */
const targetKey = (upstreamId: string, path?: string) => (path === undefined ? upstreamId : `${upstreamId} ${path}`);

export class TargetWatch {
  private readonly reachable = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly upstreams: () => UpstreamConfig[],
    private readonly onChange: () => void,
  ) {}

  /** Last known answer for an upstream's target, or for its `paths` target at `path`; undefined before its first probe. */
  get(upstreamId: string, path?: string): boolean | undefined {
    return this.reachable.get(targetKey(upstreamId, path));
  }

  /** Probes now and then every few seconds, until stop(). */
  start(): void {
    if (this.timer) return;
    void this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Every target to probe, by its key. */
  private targets(): Map<string, string> {
    return new Map(this.upstreams().flatMap((u) => [[targetKey(u.id), u.target], ...(u.paths ?? []).map((p): [string, string] => [targetKey(u.id, p.path), p.target])]));
  }

  private async probeAll(): Promise<void> {
    const targets = this.targets();
    let changed = false;
    for (const id of this.reachable.keys()) {
      if (!targets.has(id)) this.reachable.delete(id);
    }
    await Promise.all(
      [...targets].map(async ([id, target]) => {
        const { reachable } = await probeTarget(target, 1_000);
        if (this.reachable.get(id) !== reachable) changed = true;
        this.reachable.set(id, reachable);
      }),
    );
    if (changed) this.onChange();
  }
}
