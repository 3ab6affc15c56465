// What the tray shows, derived from the engine's state alone: the overall status that picks
// the icon, the one-line tooltip, each upstream's label and the groups one can simulate.
// Pure functions, so the tray's behaviour is tested without Electron.
import type { EngineState, ListenerState } from '../engine/api.ts';

export type TrayStatus = 'stopped' | 'running' | 'error' | 'simulating';

export interface TrayModel {
  /** Undefined until the engine has started (or when it failed to start). */
  state?: EngineState;
  /** Why the engine could not start, when it could not. */
  failure?: string;
  /** Engine errors not tied to a listener (provider unreachable, failed action), newest last. */
  errors: string[];
  /** The upstream that "Simulate groups" acts on. */
  selectedUpstreamId?: string;
  startAtLogin: boolean;
}

type Upstream = EngineState['upstreams'][number];

/** A failed start, listener problems and unreachable providers of running listeners, as sentences. */
export function problems(model: TrayModel): string[] {
  const found = model.failure ? [model.failure, ...model.errors] : [...model.errors];
  const upstreams = model.state?.upstreams ?? [];
  for (const u of upstreams) {
    if (u.status.state === 'error') found.push(`${u.id}: ${u.status.error ?? 'failed'}`);
  }
  const inUse = new Set(upstreams.filter((u) => u.status.state === 'running').map((u) => u.provider));
  for (const p of model.state?.providers ?? []) {
    // The engine's provider errors already name the provider.
    if (inUse.has(p.id) && !p.status.ready && p.status.error) found.push(p.status.error);
  }
  return found;
}

export function trayStatus(model: TrayModel): TrayStatus {
  if (problems(model).length > 0) return 'error';
  // Still starting: grey, not red (a failed start is a problem above).
  if (!model.state) return 'stopped';
  const running = model.state.upstreams.filter((u) => u.status.state === 'running');
  // The built-in provider's faults change what every sign-in sees, as a simulation does.
  if (running.some((u) => u.status.simulation) || model.state.idpFaults) return 'simulating';
  return running.length > 0 ? 'running' : 'stopped';
}

export function statusLine(model: TrayModel): string {
  if (model.failure) return 'could not start';
  if (!model.state) return model.errors.at(-1) ?? 'Portcullis is starting…';
  const total = model.state.upstreams.length;
  const running = model.state.upstreams.filter((u) => u.status.state === 'running').length;
  const parts = [`${running} of ${total} running`];
  const issues = problems(model).length;
  if (issues > 0) parts.push(issues === 1 ? '1 problem' : `${issues} problems`);
  if (trayStatus(model) === 'simulating') parts.push('simulating groups');
  return parts.join(', ');
}

export function tooltip(model: TrayModel): string {
  return `Portcullis — ${statusLine(model)}`;
}

const STATE_MARK: Record<ListenerState, string> = { running: '●', stopped: '○', starting: '◐', error: '✕' };

/** Where the target is, briefly: `:8501` on this machine, else `host:port`. */
function targetLabel(target: string): string {
  try {
    const url = new URL(target);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return local ? `:${port}` : `${url.hostname}:${port}`;
  } catch {
    return target;
  }
}

/** `● app  :4180 → :8501`, with the simulation noted when active. */
export function upstreamLabel(u: Upstream): string {
  const label = `${STATE_MARK[u.status.state]} ${u.id}  :${u.listen.port} → ${targetLabel(u.target)}`;
  return u.status.simulation ? `${label}  (simulating)` : label;
}

/** The upstream "Simulate groups" targets: the chosen one if it still exists, else the first running one, else the first. */
export function selectedUpstream(model: TrayModel): Upstream | undefined {
  const upstreams = model.state?.upstreams ?? [];
  return (
    upstreams.find((u) => u.id === model.selectedUpstreamId) ??
    upstreams.find((u) => u.status.state === 'running') ??
    upstreams[0]
  );
}

/** Groups worth offering: those personas have, those rules ask for, those signed-in users hold. */
export function knownGroups(state: EngineState, upstream?: Upstream): string[] {
  const groups = new Set<string>();
  for (const p of state.personas) p.groups.forEach((g) => groups.add(g));
  for (const s of state.sessions) s.groups.forEach((g) => groups.add(g));
  for (const u of upstream ? [upstream] : state.upstreams) u.allowedGroups.forEach((g) => groups.add(g));
  upstream?.status.simulation?.groups?.forEach((g) => groups.add(g));
  return [...groups].sort();
}

/** The simulated groups after ticking or unticking one. */
export function toggleGroup(current: readonly string[], group: string, checked: boolean): string[] {
  const rest = current.filter((g) => g !== group);
  return checked ? [...rest, group].sort() : rest;
}
