// The one fake the tests allow: a stand-in for the `electron` module (its runtime cannot be
// installed here). It records what the shell asks of Electron so tests can assert what a user
// would see: tray icon and menu, windows and their options, notifications, opened URLs.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Template = Array<Record<string, any>>;

export class FakeTray {
  static instances: FakeTray[] = [];
  image: { path: string };
  tooltip = '';
  menu: Template = [];
  menuBuilds = 0;
  destroyed = false;
  constructor(image: { path: string }) {
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: { path: string }) {
    this.image = image;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: Template }) {
    this.menu = menu.template;
    this.menuBuilds++;
  }
  destroy() {
    this.destroyed = true;
  }
}

export class FakeWebContents extends EventEmitter {
  url = '';
  sent: Array<[string, unknown]> = [];
  windowOpenHandler?: (details: { url: string }) => { action: string };
  reloads = 0;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  getURL() {
    return this.url;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  reload() {
    this.reloads++;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  visible = false;
  bounds: { x: number; y: number; width: number; height: number };
  constructor(readonly options: Record<string, any>) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width, height: options.height };
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string) {
    this.webContents.url = url;
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isVisible() {
    return this.visible;
  }
  restore() {}
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  getNormalBounds() {
    return this.bounds;
  }
  /** What the user's click on the close button does. */
  userClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.visible = false;
    return !prevented;
  }
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
    FakeNotification.instances.push(this);
  }
  static isSupported() {
    return true;
  }
  show() {
    this.shown = true;
  }
}

function createApp() {
  const app = new EventEmitter() as EventEmitter & Record<string, any>;
  Object.assign(app, {
    isPackaged: false,
    loginItem: { openAtLogin: false, args: [] as string[], wasOpenedAtLogin: false },
    singleInstance: true,
    exitCode: undefined as number | undefined,
    requestSingleInstanceLock: vi.fn(() => app.singleInstance),
    // As on Windows: the entry counts only when asked about with the args it was set with.
    getLoginItemSettings: vi.fn((options?: { args?: string[] }) => ({
      openAtLogin: app.loginItem.openAtLogin && JSON.stringify(options?.args ?? []) === JSON.stringify(app.loginItem.args),
      wasOpenedAtLogin: app.loginItem.wasOpenedAtLogin,
    })),
    setLoginItemSettings: vi.fn((s: { openAtLogin: boolean; args?: string[] }) => {
      app.loginItem.openAtLogin = s.openAtLogin;
      app.loginItem.args = s.args ?? [];
    }),
    setAppUserModelId: vi.fn(),
    protocolClients: [] as Array<{ protocol: string; path?: string; args?: string[] }>,
    isDefaultProtocolClient: vi.fn((protocol: string, path?: string, args?: string[]) =>
      app.protocolClients.some((c: { protocol: string; path?: string; args?: string[] }) => c.protocol === protocol && c.path === path && JSON.stringify(c.args) === JSON.stringify(args))),
    setAsDefaultProtocolClient: vi.fn((protocol: string, path?: string, args?: string[]) => {
      app.protocolClients.push({ protocol, path, args });
      return true;
    }),
    getAppPath: vi.fn(() => '/app'),
    getPath: vi.fn(() => '/data'),
    quit: vi.fn(() => {
      const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      app.emit('before-quit', event);
    }),
    exit: vi.fn((code: number) => {
      app.exitCode = code;
    }),
  });
  return app;
}

/** A reversible stand-in for the OS keychain, so stored files never hold the plain value. */
const safeStorage = {
  backend: 'gnome_libsecret' as string,
  available: true,
  isAsyncEncryptionAvailable: vi.fn(async () => safeStorage.available),
  getSelectedStorageBackend: vi.fn(() => safeStorage.backend),
  encryptStringAsync: vi.fn(async (text: string) => Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`)),
  decryptStringAsync: vi.fn(async (data: Buffer) => {
    const text = data.toString();
    if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { result: Buffer.from(text.slice(7), 'hex').toString(), shouldReEncrypt: false };
  }),
};

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string; isMainFrame: boolean }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string, details: { isMainFrame: boolean }) => boolean;

/** A session that keeps the permission handlers, so a test can ask what a page would be granted. */
function createSession() {
  const session = {
    requestHandler: undefined as PermissionRequestHandler | undefined,
    checkHandler: undefined as PermissionCheckHandler | undefined,
    setPermissionRequestHandler: (handler: PermissionRequestHandler) => void (session.requestHandler = handler),
    setPermissionCheckHandler: (handler: PermissionCheckHandler) => void (session.checkHandler = handler),
  };
  return session;
}

export function createFakeElectron() {
  const handlers = new Map<string, (...args: any[]) => unknown>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const electron = {
    app: createApp(),
    Tray: FakeTray,
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    Menu: { buildFromTemplate: (template: Template) => ({ template }) },
    nativeImage: { createFromPath: (path: string) => ({ path, setTemplateImage: vi.fn() }) },
    shell: { openExternal: vi.fn(async (_url: string) => undefined) },
    clipboard: { writeText: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    ipcMain: {
      handlers,
      handle: (channel: string, fn: (...args: any[]) => unknown) => {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, fn);
      },
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    protocol: {
      handlers: protocolHandlers,
      registerSchemesAsPrivileged: vi.fn(),
      handle: (scheme: string, fn: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, fn),
    },
    session: { defaultSession: createSession() },
    safeStorage,
    // Renderer side, for the preload.
    contextBridge: { exposed: new Map<string, any>(), exposeInMainWorld: vi.fn((name: string, value: unknown) => void electron.contextBridge.exposed.set(name, value)) },
    ipcRenderer: Object.assign(new EventEmitter(), { invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })) }),
  };
  return electron;
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The menu item whose label starts with `label`, searched through submenus. */
export function findItem(menu: Template, ...labels: string[]): Record<string, any> {
  let items = menu;
  let found: Record<string, any> | undefined;
  for (const label of labels) {
    found = items.find((i) => typeof i.label === 'string' && i.label.startsWith(label));
    if (!found) throw new Error(`no menu item "${label}" among: ${items.map((i) => i.label ?? '—').join(' | ')}`);
    items = found.submenu ?? [];
  }
  return found!;
}
