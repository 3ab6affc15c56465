// The tray icon and its menu, kept in step with the engine: every event that changes what
// the menu shows rebuilds it, the icon follows the overall status, and each click calls
// the engine (or the system browser / clipboard) — the tray holds no logic of its own.
import { Menu, Tray, clipboard, nativeImage } from 'electron';
import { join } from 'node:path';
import type { ControlApi, EngineEvent, EngineState } from '../engine/api.ts';
import type { LoginItem } from './login-item.ts';
import { buildTrayMenu, type TrayActions } from './tray-menu.ts';
import { tooltip, trayStatus, type TrayModel, type TrayStatus } from './tray-model.ts';

export interface TrayOptions {
  assetsDir: string;
  loginItem: LoginItem;
  openWindow(): void;
  quit(): void;
  /** Opens an http(s) URL in the system browser (refusing anything else). */
  openExternal(url: string): void;
  /** Reports a failure the user should see (notification). */
  reportError(message: string): void;
  /** Tells the user something went as asked (notification); never given a token. */
  notify?(message: string): void;
  platform?: NodeJS.Platform;
}

/** The icon file for a status: template images on macOS (the menu bar tints them), colour elsewhere. */
export function trayIconFile(assetsDir: string, status: TrayStatus, platform: NodeJS.Platform): string {
  return join(assetsDir, platform === 'darwin' ? `tray-${status}Template.png` : `tray-${status}.png`);
}

export class TrayController {
  private readonly tray: Tray;
  private readonly model: TrayModel;
  private readonly platform: NodeJS.Platform;
  private api: ControlApi | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: TrayOptions) {
    this.platform = options.platform ?? process.platform;
    this.model = { errors: [], startAtLogin: options.loginItem.isEnabled() };
    this.tray = new Tray(this.icon());
    this.render();
  }

  /** Follows an engine from now on: its state now, then every event. */
  async attach(api: ControlApi): Promise<void> {
    this.api = api;
    this.unsubscribe = api.subscribe((event) => this.onEvent(event));
    this.setState(await api.getState());
  }

  /** The engine could not start: the tray turns red and says why; the window stays closed. */
  failed(reason: string): void {
    this.model.state = undefined;
    this.model.failure = reason;
    this.render();
  }

  /** A problem the user should see: listed in the menu (icon red) and notified. */
  report(message: string): void {
    this.addError(message);
    this.options.reportError(message);
  }

  dispose(): void {
    this.unsubscribe?.();
    this.tray.destroy();
  }

  private onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'state':
        return this.setState(event.state);
      case 'error':
        // A listener's own error already shows on its entry; the rest are listed until dismissed.
        if (!event.scope.startsWith('upstream:')) this.addError(event.message);
        else this.render();
        return;
      case 'request':
        // Request counts are not in the menu; rebuilding per request would only burn CPU under load.
        return;
      default:
        return this.render();
    }
  }

  private setState(state: EngineState): void {
    this.model.state = state;
    this.render();
  }

  private addError(message: string): void {
    this.model.errors = [...this.model.errors.filter((m) => m !== message), message].slice(-3);
    this.render();
  }

  private icon(): Electron.NativeImage {
    const image = nativeImage.createFromPath(trayIconFile(this.options.assetsDir, trayStatus(this.model), this.platform));
    if (this.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  private render(): void {
    this.tray.setImage(this.icon());
    this.tray.setToolTip(tooltip(this.model));
    this.tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(this.model, this.actions)));
  }

  /** Runs an engine call; its resulting state is shown at once and a failure is reported. */
  private call(run: (api: ControlApi) => Promise<EngineState | unknown>): void {
    const api = this.api;
    if (!api) return;
    run(api).then(
      (result) => {
        if (result && typeof result === 'object' && 'upstreams' in result) this.setState(result as EngineState);
      },
      (err: unknown) => this.report(err instanceof Error ? err.message : String(err)),
    );
  }

  private readonly actions: TrayActions = {
    openInBrowser: (url) => this.options.openExternal(url),
    signIn: (upstreamId, persona) =>
      this.call(async (api) => this.options.openExternal(await api.signInUrl(upstreamId, persona))),
    start: (id) => this.call((api) => api.startUpstream(id)),
    stop: (id) => this.call((api) => api.stopUpstream(id)),
    copyUrl: (url) => clipboard.writeText(url),
    startAll: () => this.call((api) => api.startAll()),
    stopAll: () => this.call((api) => api.stopAll()),
    selectUpstream: (id) => {
      this.model.selectedUpstreamId = id;
      this.render();
    },
    setSimulation: (id, simulation) => this.call((api) => api.setSimulation(id, simulation)),
    endSimulation: (id) => this.call((api) => api.endSimulation(id)),
    signOut: (sessionId) => this.call((api) => api.signOutSession(sessionId)),
    switchPersona: (sessionId, persona) => this.call((api) => api.switchPersona(sessionId, persona)),
    // The token goes to the clipboard only: the notification says whose it is and until when.
    copyToken: (persona) =>
      this.call(async (api) => {
        const { accessToken, expiresAt } = await api.mintToken({ persona });
        clipboard.writeText(accessToken);
        this.options.notify?.(`An access token for ${persona} is on the clipboard; it expires at ${new Date(expiresAt).toLocaleTimeString()}.`);
      }),
    dismissErrors: () => {
      this.model.errors = [];
      this.render();
    },
    openWindow: () => this.options.openWindow(),
    setStartAtLogin: (enabled) => {
      this.options.loginItem.setEnabled(enabled).then(
        () => {
          this.model.startAtLogin = enabled;
          this.render();
        },
        (err: unknown) => this.options.reportError(`could not change "Start at login": ${String(err)}`),
      );
    },
    quit: () => this.options.quit(),
  };
}
