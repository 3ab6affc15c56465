// The upstream calls of the control API: adding, changing and removing an upstream, starting
// and stopping listeners, and simulating an identity on one. Each keeps the listener, the
// sessions and the simulation of the upstream in line with its saved settings; the engine runs
// the settings changes one at a time.
import { ApiError, type UpstreamInput } from './api.ts';
import type { SessionService } from './auth/sessions.ts';
import { normalizeSimulation } from './auth/simulation.ts';
import { withUpstreamDefaults } from './config/defaults.ts';
import type { IdentitySimulation } from './identity.ts';
import type { ListenerSet } from './listener-set.ts';
import type { SettingsService } from './settings-service.ts';

export class UpstreamControl {
  constructor(
    private readonly settings: SettingsService,
    private readonly listeners: ListenerSet,
    private readonly sessions: SessionService,
    private readonly simulations: Map<string, IdentitySimulation>,
  ) {}

  async add(input: UpstreamInput): Promise<void> {
    if (this.settings.config.upstreams.some((u) => u.id === input.id)) throw new ApiError(409, 'duplicate_id', `an upstream with id "${input.id}" already exists`, '$.id');
    const upstream = withUpstreamDefaults(input);
    const config = await this.settings.change((draft) => void draft.upstreams.push(upstream));
    const saved = config.upstreams.find((u) => u.id === upstream.id);
    if (saved?.enabled) await this.listeners.start(saved);
  }

  /** Saves the new settings and restarts the listener with them; a new provider ends the upstream's sessions. */
  async update(id: string, input: UpstreamInput): Promise<void> {
    const previous = this.settings.requireUpstream(id);
    if (input.id !== id) throw new ApiError(400, 'id_mismatch', `the body's id "${input.id}" differs from the URL's "${id}"; ids cannot be renamed`, '$.id');
    const next = withUpstreamDefaults({ ...previous, ...input });
    const config = await this.settings.change((draft) => {
      draft.upstreams = draft.upstreams.map((u) => (u.id === id ? next : u));
    });
    const saved = config.upstreams.find((u) => u.id === id)!;
    await this.listeners.stop(id);
    if (saved.enabled) await this.listeners.start(saved);
    if (saved.provider !== previous.provider) await this.sessions.endAllFor(id);
  }

  async remove(id: string): Promise<void> {
    this.settings.requireUpstream(id);
    await this.settings.change((draft) => {
      draft.upstreams = draft.upstreams.filter((u) => u.id !== id);
    });
    await this.listeners.remove(id);
    this.simulations.delete(id);
    await this.sessions.endAllFor(id);
  }

  async start(id: string): Promise<void> {
    const upstream = this.settings.requireUpstream(id);
    if (!this.listeners.isRunning(id)) await this.listeners.start(upstream);
  }

  async stop(id: string): Promise<void> {
    this.settings.requireUpstream(id);
    await this.listeners.stop(id);
  }

  /** Starts every enabled upstream that is not running: at boot and for "Start all". */
  async startAll(): Promise<void> {
    for (const u of this.settings.config.upstreams) if (u.enabled && !this.listeners.isRunning(u.id)) await this.listeners.start(u);
  }

  stopAll(): Promise<void> {
    return this.listeners.stopAll();
  }

  /** Not saved (docs/control-api.md, "Sign-in, sessions and simulation"): a restart ends it. */
  simulate(id: string, simulation: IdentitySimulation): void {
    this.settings.requireUpstream(id);
    this.simulations.set(id, normalizeSimulation(simulation));
  }

  endSimulation(id: string): void {
    this.settings.requireUpstream(id);
    this.simulations.delete(id);
  }
}
