// What the tray shows, derived from the engine's state alone: the overall status that picks
// the icon, the one-line tooltip, each upstream's label and the groups and roles one can
// simulate. Pure functions, so the tray's behaviour is tested without Electron.
import { claimList, type EngineState, type IdentitySimulation, type ListenerState } from '../engine/api.ts';

export type TrayStatus = 'stopped' | 'running' | 'error' | 'simulating';

export interface TrayModel {
  /** Undefined until the engine has started (or when it failed to start). */
  state?: EngineState;
  /** Why the engine could not start, when it could not. */
  failure?: string;
  /** Engine errors not tied to a listener (provider unreachable, failed action), newest last. */
  errors: string[];
  /** The upstream that "Simulate groups" and "Simulate roles" act on. */
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
  if (trayStatus(model) === 'simulating') parts.push('simulating');
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

/** The upstream "Simulate groups" and "Simulate roles" target: the chosen one if it still exists, else the first running one, else the first. */
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

/** Roles worth offering: those in the personas' claims (read through the provider's roles claim), those the upstream asks for, those signed-in users hold. */
export function knownRoles(state: EngineState, upstream?: Upstream): string[] {
  const roles = new Set<string>();
  for (const u of upstream ? [upstream] : state.upstreams) {
    u.allowedRoles.forEach((r) => roles.add(r));
    const provider = state.providers.find((p) => p.id === u.provider);
    if (provider?.type !== 'builtin') continue;
    for (const p of state.personas) claimList(p.claims ?? {}, provider.rolesClaim || 'roles')?.forEach((r) => roles.add(r));
  }
  for (const s of state.sessions) (s.roles ?? []).forEach((r) => roles.add(r));
  upstream?.status.simulation?.roles?.forEach((r) => roles.add(r));
  return [...roles].sort();
}

/** The simulated names after ticking or unticking one. */
export function toggleName(current: readonly string[], name: string, checked: boolean): string[] {
  const rest = current.filter((g) => g !== name);
  return checked ? [...rest, name].sort() : rest;
}

/**
 * The simulation after ticking or unticking one group or role: the other parts stay as they
 * are; a part whose last name is unticked goes back to real, and with no part left the
 * simulation ends (undefined).
 */
export function simulationAfterToggle(active: IdentitySimulation | undefined, part: 'groups' | 'roles', name: string, checked: boolean): IdentitySimulation | undefined {
  const names = toggleName(active?.[part] ?? [], name, checked);
  const { [part]: _old, ...others } = active ?? {};
  const next: IdentitySimulation = names.length > 0 ? { ...others, [part]: names } : others;
  return Object.keys(next).length > 0 ? next : undefined;
}
