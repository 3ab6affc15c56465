// Type declarations for the part of `oidc-provider` 9 that the built-in identity provider uses:
// the package ships no types and @types/oidc-provider is not installed.

declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type UnknownObject = Record<string, unknown>;

  export interface AccountClaims {
    sub: string;
    [key: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: UnknownObject, rejected: string[]): AccountClaims | Promise<AccountClaims>;
  }

  export interface ClientInstance {
    clientId: string;
    clientName?: string;
    grantTypeAllowed(type: string): boolean;
    redirectUriAllowed(value: string): boolean;
    postLogoutRedirectUriAllowed(value: string): boolean;
  }

  export interface GrantInstance {
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    getOIDCScope(): string;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(ttl?: number): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  /** An access token or client-credentials token being issued. */
  export interface TokenInstance {
    kind: string;
    accountId?: string;
    clientId: string;
  }

  export interface InteractionPrompt {
    name: string;
    reasons: string[];
    details: UnknownObject;
  }

  export interface Interaction {
    uid: string;
    prompt: InteractionPrompt;
    params: UnknownObject;
    session?: { accountId?: string; uid?: string };
    returnTo: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface OidcContext {
    client?: ClientInstance;
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: InteractionResults;
    params?: UnknownObject;
    body?: UnknownObject;
    resourceServers?: Record<string, unknown>;
    requestParamScopes: Set<string>;
    requestParamClaims: Set<string>;
    route?: string;
    provider: Provider;
    /** What the request has loaded so far (the token endpoint: the grant behind the code). */
    entities: { Grant?: GrantInstance };
  }

  export interface KoaContextWithOIDC {
    oidc: OidcContext;
    host: string;
    type: string;
    body: unknown;
    status: number;
  }

  /** The part of Koa's context that middleware added with `use` reads and writes. */
  export interface KoaMiddlewareContext {
    path: string;
    query: Record<string, string | string[] | undefined>;
    status: number;
    body: unknown;
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export type CanBePromise<T> = T | Promise<T>;

  export interface Configuration {
    clients?: UnknownObject[];
    jwks?: { keys: UnknownObject[] };
    cookies?: { keys?: string[]; long?: UnknownObject; short?: UnknownObject; names?: UnknownObject };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    conformIdTokenClaims?: boolean;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string, token?: unknown) => CanBePromise<Account | undefined>;
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => CanBePromise<GrantInstance | undefined>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: ClientInstance, code: unknown) => CanBePromise<boolean>;
    expiresWithSession?: (ctx: KoaContextWithOIDC, code: unknown) => CanBePromise<boolean>;
    interactions?: {
      url?: (ctx: KoaContextWithOIDC, interaction: Interaction) => CanBePromise<string>;
      policy?: unknown;
    };
    features?: UnknownObject;
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: ClientInstance) => boolean; methods?: string[] };
    renderError?: (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => CanBePromise<void>;
    ttl?: UnknownObject;
    adapter?: (model: string) => unknown;
    discovery?: UnknownObject;
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: TokenInstance) => CanBePromise<UnknownObject | undefined>;
    formats?: { customizers?: { jwt?: (ctx: KoaContextWithOIDC, token: TokenInstance, jwt: { header?: UnknownObject; payload: UnknownObject }) => CanBePromise<void> } };
    [key: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Client: { prototype: ClientInstance };
    readonly Grant: GrantConstructor;
    readonly RefreshToken: { find(value: string): Promise<{ remainingTTL: number } | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Adds a Koa middleware in front of the provider's own routes. */
    use(middleware: (ctx: KoaMiddlewareContext, next: () => Promise<void>) => Promise<void>): this;
    /** The context of the request being handled (AsyncLocalStorage), if any. */
    static readonly ctx: KoaContextWithOIDC | undefined;
  }

  export class Check {
    constructor(
      reason: string,
      description: string,
      check: (ctx: KoaContextWithOIDC) => CanBePromise<boolean>,
    );
    static readonly REQUEST_PROMPT: boolean;
    static readonly NO_NEED_TO_PROMPT: boolean;
  }

  export interface PromptInstance {
    name: string;
    checks: Check[] & { add(check: Check, index?: number): void };
  }

  export interface Policy extends Array<PromptInstance> {
    get(name: string): PromptInstance | undefined;
  }

  export const interactionPolicy: {
    base(): Policy;
    Check: typeof Check;
  };

  export namespace errors {
    class OIDCProviderError extends Error {
      error: string;
      error_description?: string;
      status: number;
    }
    class SessionNotFound extends OIDCProviderError {}
    class CustomOIDCProviderError extends OIDCProviderError {
      constructor(error: string, description?: string);
    }
  }

  export default Provider;
}
