// The tray menu as data: a pure function from what the engine reports to Electron's menu
// template. Every click goes to a TrayActions method, which calls the engine; the menu
// itself decides nothing beyond what to show.
import type { MenuItemConstructorOptions } from 'electron';
import type { EngineState, IdentitySimulation } from '../engine/api.ts';
import { knownGroups, knownRoles, problems, selectedUpstream, simulationAfterToggle, statusLine, upstreamLabel, type TrayModel } from './tray-model.ts';

export interface TrayActions {
  openInBrowser(url: string): void;
  signIn(upstreamId: string, persona?: string): void;
  start(upstreamId: string): void;
  stop(upstreamId: string): void;
  copyUrl(url: string): void;
  startAll(): void;
  stopAll(): void;
  selectUpstream(upstreamId: string): void;
  /** The whole simulation to run: the tray passes the parts it did not toggle along unchanged. */
  setSimulation(upstreamId: string, simulation: IdentitySimulation): void;
  endSimulation(upstreamId: string): void;
  signOut(sessionId: string): void;
  switchPersona(sessionId: string, persona: string): void;
  /** Mints an access token for the persona and puts it on the clipboard (never in a notification or log). */
  copyToken(persona: string): void;
  dismissErrors(): void;
  openWindow(): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

type Item = MenuItemConstructorOptions;
type Upstream = EngineState['upstreams'][number];
const separator: Item = { type: 'separator' };

function upstreamItem(u: Upstream, state: EngineState, act: TrayActions): Item {
  const running = u.status.state === 'running';
  const provider = state.providers.find((p) => p.id === u.provider);
  const submenu: Item[] = [
    { label: 'Open in browser', enabled: running, click: () => act.openInBrowser(u.status.url) },
    { label: 'Sign in', enabled: running, click: () => act.signIn(u.id) },
  ];
  if (provider?.type === 'builtin' && state.personas.length > 0) {
    submenu.push({
      label: 'Sign in as',
      enabled: running,
      submenu: state.personas.map((p) => ({ label: `${p.username} (${p.email})`, click: () => act.signIn(u.id, p.username) })),
    });
  }
  submenu.push(
    separator,
    running || u.status.state === 'starting'
      ? { label: 'Stop', click: () => act.stop(u.id) }
      : { label: 'Start', click: () => act.start(u.id) },
    { label: 'Copy URL', click: () => act.copyUrl(u.status.url) },
  );
  if (u.status.error) submenu.unshift({ label: `⚠ ${u.status.error}`, enabled: false }, separator);
  return { id: `upstream:${u.id}`, label: upstreamLabel(u), submenu };
}

const SIMULATED = {
  groups: { title: 'Simulate groups', none: 'No known groups', known: knownGroups },
  roles: { title: 'Simulate roles', none: 'No known roles', known: knownRoles },
} as const;

/** "Simulate groups" or "Simulate roles": tick names on the selected upstream, as the console's Simulation view does. */
function simulateItem(model: TrayModel, state: EngineState, act: TrayActions, part: 'groups' | 'roles'): Item {
  const { title, none, known } = SIMULATED[part];
  const target = selectedUpstream(model);
  if (!target) return { label: title, enabled: false };
  const simulation = target.status.simulation;
  const active = simulation?.[part];
  const submenu: Item[] = [];
  if (state.upstreams.length > 1) {
    submenu.push(
      ...state.upstreams.map((u): Item => ({
        label: `For ${u.id}`,
        type: 'radio',
        checked: u.id === target.id,
        click: () => act.selectUpstream(u.id),
      })),
      separator,
    );
  }
  const names = known(state, target);
  if (names.length === 0) submenu.push({ label: none, enabled: false });
  for (const name of names) {
    const checked = active?.includes(name) ?? false;
    submenu.push({
      label: name,
      type: 'checkbox',
      checked,
      click: () => {
        const next = simulationAfterToggle(simulation, part, name, !checked);
        if (next) act.setSimulation(target.id, next);
        else act.endSimulation(target.id);
      },
    });
  }
  submenu.push(separator, { label: 'End simulation', enabled: simulation !== undefined, click: () => act.endSimulation(target.id) });
  return { id: `simulate-${part}`, label: active ? `${title} (${target.id}: ${active.join(', ') || 'none'})` : title, submenu };
}

/** "Copy a token for ▸ persona": with the built-in provider, a fresh access token on the clipboard. */
function copyTokenItem(state: EngineState, act: TrayActions): Item[] {
  if (!state.providers.some((p) => p.type === 'builtin') || state.personas.length === 0) return [];
  return [{ id: 'copy-token', label: 'Copy a token for', submenu: state.personas.map((p) => ({ label: `${p.username} (${p.email})`, click: () => act.copyToken(p.username) })) }];
}

function sessionItems(state: EngineState, act: TrayActions): Item[] {
  if (state.sessions.length === 0) return [{ label: 'Not signed in', enabled: false }];
  return state.sessions.map((s) => ({
    id: `session:${s.id}`,
    label: `Signed in as ${s.email || s.user} on ${s.upstreamId}`,
    submenu: [
      ...(s.roles?.length ? [{ label: `Roles: ${s.roles.join(', ')}`, enabled: false }] : []),
      ...(s.providerId === 'builtin'
        ? state.personas.filter((p) => p.email !== s.email).map((p) => ({ label: `Switch to ▸ ${p.username}`, click: () => act.switchPersona(s.id, p.username) }))
        : []),
      { label: 'Sign out', click: () => act.signOut(s.id) },
    ],
  }));
}

export function buildTrayMenu(model: TrayModel, act: TrayActions): Item[] {
  const header: Item[] = [{ id: 'status', label: `Portcullis — ${statusLine(model)}`, enabled: false }];
  const issues = problems(model);
  header.push(...issues.map((message): Item => ({ label: `⚠ ${message}`, enabled: false })));
  const storageWarning = model.state?.secretStorageWarning;
  if (storageWarning) header.push({ label: `⚠ ${storageWarning}`, enabled: false });
  if (model.errors.length > 0) header.push({ label: 'Dismiss errors', click: () => act.dismissErrors() });

  const footer: Item[] = [
    // Without a running engine the window would have nothing to talk to.
    { label: 'Open Portcullis…', enabled: model.state !== undefined, click: () => act.openWindow() },
    { label: 'Start at login', type: 'checkbox', checked: model.startAtLogin, click: () => act.setStartAtLogin(!model.startAtLogin) },
    separator,
    { label: 'Quit Portcullis', click: () => act.quit() },
  ];

  const state = model.state;
  if (!state) return [...header, separator, ...footer];

  const anyStopped = state.upstreams.some((u) => u.status.state === 'stopped' || u.status.state === 'error');
  const anyRunning = state.upstreams.some((u) => u.status.state === 'running' || u.status.state === 'starting');
  return [
    ...header,
    separator,
    ...(state.upstreams.length > 0
      ? state.upstreams.map((u) => upstreamItem(u, state, act))
      : [{ label: 'No upstreams yet — add one in Portcullis…', enabled: false }]),
    separator,
    { label: 'Start all', enabled: anyStopped, click: () => act.startAll() },
    { label: 'Stop all', enabled: anyRunning, click: () => act.stopAll() },
    simulateItem(model, state, act, 'groups'),
    simulateItem(model, state, act, 'roles'),
    ...copyTokenItem(state, act),
    separator,
    ...sessionItems(state, act),
    separator,
    ...footer,
  ];
}
