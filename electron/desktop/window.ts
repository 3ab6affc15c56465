// The Portcullis window: the React UI in a locked-down BrowserWindow. It is created on first
// use, hides instead of closing (the app lives in the tray), remembers its bounds, and a
// crash of its renderer only reloads the page — the proxies run in the main process.
import { BrowserWindow, app, screen, shell, type WebContents } from 'electron';
import { APP_ENTRY_URL, externalUrlProblem, isAppUrl } from './web-policy.ts';
import { MIN_SIZE, restoreBounds, type Bounds } from './window-bounds.ts';

export interface AppWindowOptions {
  preloadPath: string;
  iconPath?: string;
  loadBounds(): unknown;
  saveBounds(bounds: Bounds): void;
  /** True once the app is quitting, when close must really close. */
  isQuitting(): boolean;
  log(line: string): void;
}

/** Sends allowed http/https links to the system browser; anything else is dropped with a log line. */
export function openExternally(url: string, log: (line: string) => void): void {
  const problem = externalUrlProblem(url);
  if (problem) {
    log(`refused to open a link: ${problem}`);
    return;
  }
  shell.openExternal(url).catch((err: unknown) => log(`could not open the browser: ${String(err)}`));
}

/** Denies new windows, navigation away from our pages, and embedded web views. */
export function lockDownContents(contents: WebContents, log: (line: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, log);
    return { action: 'deny' };
  });
  const blockNavigation = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternally(url, log);
  };
  contents.on('will-navigate', blockNavigation);
  contents.on('will-redirect', blockNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export class AppWindow {
  private window: BrowserWindow | undefined;
  private reloadOnShow = false;

  constructor(private readonly options: AppWindowOptions) {
    // Quitting ends with app.exit(), which closes windows without a 'close' event.
    app.on('before-quit', () => this.saveBounds());
  }

  get webContents(): WebContents | undefined {
    return this.window && !this.window.isDestroyed() ? this.window.webContents : undefined;
  }

  show(): void {
    const win = this.window && !this.window.isDestroyed() ? this.window : this.create();
    if (this.reloadOnShow) {
      this.reloadOnShow = false;
      win.webContents.reload();
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  private saveBounds(): void {
    if (this.window && !this.window.isDestroyed()) this.options.saveBounds(this.window.getNormalBounds());
  }

  private create(): BrowserWindow {
    const { options } = this;
    const workAreas = screen.getAllDisplays().map((d) => d.workArea);
    const win = new BrowserWindow({
      ...restoreBounds(options.loadBounds(), workAreas),
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      show: false,
      title: 'Portcullis',
      ...(options.iconPath ? { icon: options.iconPath } : {}),
      webPreferences: {
        preload: options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    lockDownContents(win.webContents, options.log);

    win.on('close', (event) => {
      this.saveBounds();
      if (options.isQuitting()) return;
      event.preventDefault();
      win.hide();
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      options.log(`the window's renderer stopped (${details.reason}); the proxies keep running`);
      if (details.reason === 'clean-exit' || win.isDestroyed()) return;
      if (win.isVisible()) win.webContents.reload();
      else this.reloadOnShow = true;
    });
    win.loadURL(APP_ENTRY_URL).catch((err: unknown) => options.log(`could not load the window: ${String(err)}`));
    this.window = win;
    return win;
  }
}
