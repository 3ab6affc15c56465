// The built-in identity provider as the engine keeps it: started in its thread when the
// settings name a builtin provider, told about persona and front-origin changes, and closed.
// Why it could not start is kept for the builtin provider's status (docs/architecture.md).
import type { PortcullisConfig } from './config/types.ts';
import type { SecretStore } from './config/secrets.ts';
import type { BuiltinIdp } from './idp/builtin-idp.ts';
import { startBuiltinIdpThread, type IdpThread } from './idp/idp-thread.ts';
import type { IdpSettings } from './idp/settings.ts';
import { idpSettingsFromConfig } from './idp/settings-from-config.ts';

/** Every origin a front proxy serves some upstream on; the built-in provider accepts callbacks there. */
const frontOrigins = (config: PortcullisConfig): string[] => config.upstreams.flatMap((u) => u.redirectOrigins);

export interface IdpHostDeps {
  dataDir: string;
  secrets: SecretStore;
  /** One-line warnings (a service client whose secret cannot be read). */
  notice(line: string): void;
  /** The engine's one logger for failures the user sees (Engine.reportProblem). */
  report(scope: string, message: string, line?: string): void;
}

export class IdpHost {
  private idp: BuiltinIdp | undefined;
  private startProblem: string | undefined;
  /** Why a service client was left out of the provider's settings, by client id. */
  private clientProblems = new Map<string, string>();

  constructor(
    private readonly deps: IdpHostDeps,
    /** A thread spawned ahead by the shell (spawnIdpThread), used by the first start or discarded. */
    private spareThread: IdpThread | undefined,
  ) {}

  /** The running provider, if any. */
  get current(): BuiltinIdp | undefined {
    return this.idp;
  }

  /** Why the provider could not start, while it is not running. */
  get problem(): string | undefined {
    return this.startProblem;
  }

  /** Why the running provider left a service client out (its secret cannot be read), if it did. */
  serviceClientProblem(clientId: string): string | undefined {
    return this.idp ? this.clientProblems.get(clientId) : undefined;
  }

  /** Starts the provider when the settings have a builtin provider and it is not running; a failure is reported and kept. */
  async start(config: PortcullisConfig): Promise<void> {
    if (this.idp || !config.providers.some((p) => p.type === 'builtin')) return;
    const thread = this.spareThread;
    this.spareThread = undefined;
    try {
      this.idp = await startBuiltinIdpThread(
        {
          host: '127.0.0.1',
          port: config.builtinIdp.port,
          dataDir: this.deps.dataDir,
          frontOrigins: frontOrigins(config),
          report: (scope, message) => this.deps.report(scope, message),
          ...(await this.settings(config)),
        },
        thread,
      );
      this.startProblem = undefined;
    } catch (err) {
      this.startProblem = (err as Error).message;
      this.deps.report('builtinIdp', this.startProblem, `the built-in identity provider could not start: ${this.startProblem}`);
    }
  }

  /** Ends the thread spawned ahead if no start took it. */
  async discardSpareThread(): Promise<void> {
    const thread = this.spareThread;
    this.spareThread = undefined;
    await thread?.discard();
  }

  /** Personas, service clients and lifetimes changed. */
  async update(config: PortcullisConfig): Promise<void> {
    if (this.idp) await this.idp.update(await this.settings(config));
  }

  /** Upstreams changed: the callbacks the provider accepts follow their front origins. */
  async followUpstreams(config: PortcullisConfig): Promise<void> {
    await this.idp?.setFrontOrigins(frontOrigins(config));
  }

  async close(): Promise<void> {
    await this.idp?.close();
    await this.discardSpareThread();
  }

  /** The provider's settings with secrets resolved; a service client whose secret cannot be read is left out, with a warning. */
  private async settings(config: PortcullisConfig): Promise<IdpSettings> {
    const { settings, problems } = await idpSettingsFromConfig(config.builtinIdp, this.deps.secrets);
    for (const { message } of problems) this.deps.notice(`warning: ${message}`);
    this.clientProblems = new Map(problems.map((p) => [p.clientId, p.message]));
    return settings;
  }
}
