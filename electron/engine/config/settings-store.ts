// The settings the engine runs with, and where they persist: the `--config` file when one is
// given (written back atomically), else `config.json` in the data dir through `conf` (the file
// electron-store uses by default, so the desktop app and the headless engine share it).
// Every change is validated before anything is written, and no new secret value is ever written.
import type Conf from 'conf';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConfigProblem, PortcullisConfig, SecretValue } from './types.ts';
import { defaultConfig } from './defaults.ts';
import { ConfigError } from './errors.ts';
import { deepFreeze } from './freeze.ts';
import { validateConfig } from './validate.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { ChangeQueue } from './change-queue.ts';

export { ConfigError } from './errors.ts';

export interface SettingsStoreOptions {
  /** With a file, that file is the settings; without, they live in `dataDir`. */
  configFile?: string;
  dataDir: string;
}

interface Backend {
  readonly path: string;
  write(config: PortcullisConfig): Promise<void>;
}

export class SettingsStore {
  private current: Readonly<PortcullisConfig>;
  private readonly changes = new ChangeQueue();

  private constructor(
    private readonly backend: Backend,
    config: PortcullisConfig,
    readonly dataDir: string,
  ) {
    this.current = deepFreeze(config);
  }

  /** Loads and validates the settings; throws ConfigError (and writes nothing) when they are invalid. */
  static async open(opts: SettingsStoreOptions): Promise<SettingsStore> {
    const dataDir = resolve(opts.dataDir);
    const { backend, config } = opts.configFile ? await openFile(resolve(opts.configFile)) : await openDataDir(dataDir);
    return new SettingsStore(backend, config, dataDir);
  }

  /** Where the settings are written. */
  get path(): string {
    return this.backend.path;
  }

  /** The validated settings with defaults filled; frozen: change them through update(). */
  get(): PortcullisConfig {
    return this.current as PortcullisConfig;
  }

  /**
   * Applies `mutator` to a copy of the settings, validates the result and persists it.
   * Throws ConfigError, leaving settings and file untouched, when the result is invalid.
   * Updates run one at a time, each on the result of the previous one.
   */
  update(mutator: (draft: PortcullisConfig) => PortcullisConfig | void): Promise<PortcullisConfig> {
    return this.changes.run(async () => {
      const draft = structuredClone(this.current) as PortcullisConfig;
      const returned = mutator(draft);
      // Mutating the draft and returning a new object are both fine; an arrow that happens
      // to return something else (e.g. the value of an assignment) means the draft.
      const candidate = returned && typeof returned === 'object' ? returned : draft;
      const { config, problems } = validateConfig(JSON.parse(JSON.stringify(candidate)));
      problems.push(...newSecretValues(this.current, candidate));
      if (!config || problems.length > 0) throw new ConfigError(problems, 'settings not changed');
      await this.backend.write(config);
      this.current = deepFreeze(config);
      return this.get();
    });
  }
}

/**
 * The settings as `open` would load them, without writing anything: for commands that only
 * read (`export`), so that asking a question never creates or rewrites a settings file.
 */
export async function readSettings(opts: SettingsStoreOptions): Promise<PortcullisConfig> {
  const file = opts.configFile ? resolve(opts.configFile) : join(resolve(opts.dataDir), 'config.json');
  if (!opts.configFile && !existsSync(file)) return defaultConfig();
  return (await openFile(file)).config;
}

interface Opened {
  backend: Backend;
  config: PortcullisConfig;
}

async function openFile(file: string): Promise<Opened> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([{ path: '$', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${code}` }], `settings ${file}`);
  }
  const config = checked(parseJson(text, file), file);
  return { backend: { path: file, write: (c) => writeFileAtomic(file, serialize(c), 0o600) }, config };
}

async function openDataDir(dataDir: string): Promise<Opened> {
  const path = join(dataDir, 'config.json');
  const fresh = !existsSync(path);
  // Loaded here, not with the module: conf brings Ajv and semver, which a start with --config
  // would otherwise keep in memory unused.
  const { default: ConfStore } = await import('conf');
  let conf: Conf<Record<string, unknown>>;
  try {
    conf = new ConfStore<Record<string, unknown>>({
      cwd: dataDir,
      configName: 'config',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      serialize,
      // Parsing here too keeps conf's errors as clear as the --config ones.
      deserialize: (text) => parseJson(text, path) as Record<string, unknown>,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([{ path: '$', message: (error as Error).message }], `settings ${path}`);
  }
  const config = fresh ? defaultConfig() : checked(conf.store, path);
  const backend: Backend = {
    path: conf.path,
    write: async (c) => {
      conf.store = c as unknown as Record<string, unknown>;
    },
  };
  if (fresh) await backend.write(config);
  return { backend, config };
}

function checked(raw: unknown, file: string): PortcullisConfig {
  const { config, problems } = validateConfig(raw);
  if (!config) throw new ConfigError(problems, `settings ${file}`);
  return config;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: '$', message: `not valid JSON: ${jsonErrorWhere(text, error as Error)}` }], `settings ${file}`);
  }
}

// V8 reports a character offset; people look for a line and column.
function jsonErrorWhere(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

function serialize(config: unknown): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

// Settings may hold a literal secret only if the user wrote it there; a change that brings a
// new literal is refused, because secret values entered in the UI belong in the secret store.
function newSecretValues(before: PortcullisConfig, after: PortcullisConfig): ConfigProblem[] {
  const previous = new Map<string, SecretValue | undefined>(
    before.providers.map((p) => [p.id, 'clientSecret' in p ? p.clientSecret : undefined]),
  );
  return (Array.isArray(after.providers) ? after.providers : []).flatMap((provider, i) => {
    const secret = provider && 'clientSecret' in provider ? provider.clientSecret : undefined;
    if (typeof secret !== 'string' || previous.get(provider.id) === secret) return [];
    return [
      {
        path: `$.providers[${i}].clientSecret`,
        message: 'a secret value is never written to the settings: store it in the secret store and keep { "secretRef": … }, or use { "env": "NAME" }',
      },
    ];
  });
}
