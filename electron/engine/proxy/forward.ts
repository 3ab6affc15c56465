// Forwards one allowed HTTP request to its target and streams the answer back. The request
// body and the response are relayed chunk by chunk (uploads, SSE and chunked responses flow as
// they come) over an undici keep-alive pool per target, written straight into the
// ServerResponse. What reaches the target is decided by the caller; this module only moves bytes
// and turns a missing or silent target into a page that says so.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { buildOutgoingHeaders, connectionOptions, isHopByHopResponseHeader, type HeaderPolicy } from './outgoing-headers.ts';
import { sendPage } from '../http/pages.ts';

export type ForwardError = 'target_down' | 'timeout' | 'aborted';

export interface ForwardOutcome {
  /** The status the client got; 499 when the client left before any was sent. */
  status: number;
  error?: ForwardError;
}

export interface ForwardOptions extends HeaderPolicy {
  /** Normalized path and search, as decided by the caller. */
  path: string;
  /** Headers added to the response (X-Auth-Request-*, X-Portcullis-Simulated), replacing the target's. */
  responseHeaders?: Record<string, string>;
}

export interface Forwarder {
  forward(req: IncomingMessage, res: ServerResponse, opts: ForwardOptions): Promise<ForwardOutcome>;
  /** Stops forwarding; answers still streaming after a short grace period are cut. */
  close(): Promise<void>;
  readonly target: string;
}

export interface ForwarderOptions {
  /** How long the target may take to send response headers. Default 60 s. */
  headersTimeoutMs?: number;
  /** Longest silence allowed between response chunks; 0 (the default) never cuts an idle stream such as SSE. */
  bodyTimeoutMs?: number;
  /** Most connections to the target at once; unlimited by default so long-lived streams never starve others. */
  connections?: number;
}

const CLIENT_GONE = 499;
const CLOSE_GRACE_MS = 1000;

export function createForwarder(target: string, options: ForwarderOptions = {}): Forwarder {
  const url = parseTarget(target);
  const headersTimeoutMs = options.headersTimeoutMs ?? 60_000;
  const pathPrefix = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const pool = new Pool(url.origin, {
    connections: options.connections ?? null,
    pipelining: 1,
    headersTimeout: headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs ?? 0,
  });

  return {
    target,
    forward(req, res, opts) {
      return new Promise<ForwardOutcome>((resolve) => {
        const outgoing = buildOutgoingHeaders(req, opts);
        const relay = new ResponseRelay(res, opts, target, headersTimeoutMs, resolve);
        pool.dispatch(
          {
            path: pathPrefix + opts.path,
            method: req.method ?? 'GET',
            headers: outgoing.list,
            body: outgoing.hasBody ? req : null,
          },
          relay,
        );
      });
    },
    async close() {
      // Waits for in-flight answers, but an endless one (SSE, a hung app) must not hold a stop hostage.
      const grace = setTimeout(() => void pool.destroy(), CLOSE_GRACE_MS);
      try {
        await pool.close();
      } catch {
        // destroyed by the grace timer: the in-flight answers were cut on purpose
      } finally {
        clearTimeout(grace);
      }
    },
  };
}

function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`target ${JSON.stringify(target)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`target ${target} must be an http:// or https:// URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`target ${target} must not carry a query, fragment or credentials`);
  }
  return url;
}

/** Writes the target's answer into the client's response as it arrives, with backpressure both ways. */
class ResponseRelay implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private clientGone = false;
  private waitingForDrain = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: Pick<ForwardOptions, 'responseHeaders' | 'dropSetCookie'>,
    private readonly target: string,
    private readonly headersTimeoutMs: number,
    private readonly resolve: (outcome: ForwardOutcome) => void,
  ) {
    res.once('close', this.onClientClose);
  }

  private readonly onClientClose = (): void => {
    if (this.settled || this.res.writableFinished) return;
    this.clientGone = true;
    this.controller?.abort(new Error('client disconnected'));
  };

  private readonly resume = (): void => {
    this.waitingForDrain = false;
    this.controller?.resume();
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new Error('client disconnected'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    // Interim 1xx answers (103 Early Hints) are the target's business with us.
    if (statusCode < 200) return;
    // A flat name/value list: Node writes it as it is, without building a header object.
    const connection = headers.connection;
    const named = typeof connection === 'string' ? connectionOptions(connection) : NO_NAMES;
    const extra = this.opts.responseHeaders;
    const dropSetCookie = this.opts.dropSetCookie;
    const out: string[] = [];
    for (const name in headers) {
      if (isHopByHopResponseHeader(name) || named.includes(name) || (extra !== undefined && hasHeader(extra, name))) continue;
      const value = headers[name];
      if (value === undefined) continue;
      if (name === 'set-cookie' && dropSetCookie) {
        for (const v of typeof value === 'string' ? [value] : value) if (!dropSetCookie(v)) out.push(name, v);
      } else if (typeof value === 'string') out.push(name, value);
      else for (const v of value) out.push(name, v);
    }
    if (extra) {
      for (const name in extra) out.push(name, extra[name]);
    }
    this.res.writeHead(statusCode, statusMessage || undefined, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      controller.pause();
      this.res.once('drain', this.resume);
    }
  }

  onResponseEnd(): void {
    this.res.end();
    this.settle({ status: this.res.statusCode });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    const res = this.res;
    if (this.clientGone) {
      this.settle({ status: res.headersSent ? res.statusCode : CLIENT_GONE, error: 'aborted' });
      return;
    }
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
    if (res.headersSent) {
      // Too late for a page: cutting the connection is the only honest signal left.
      res.destroy();
      this.settle({ status: res.statusCode, error: timedOut ? 'timeout' : 'aborted' });
      return;
    }
    if (code === 'UND_ERR_INVALID_ARG') {
      this.sendError(500, 'Request could not be forwarded', `Portcullis could not forward this request to ${this.target}: ${err.message}.`, err);
      this.settle({ status: 500 });
      return;
    }
    if (timedOut) {
      const seconds = Math.round(this.headersTimeoutMs / 100) / 10;
      this.sendError(504, 'Your app did not answer in time', `${this.target} did not answer within ${seconds} s.`, err);
      this.settle({ status: 504, error: 'timeout' });
      return;
    }
    this.sendError(502, 'Your app is not reachable', `Portcullis could not reach ${this.target} — is your app running?`, err);
    this.settle({ status: 502, error: 'target_down' });
  }

  private sendError(status: number, title: string, message: string, err: Error): void {
    const extra = this.opts.responseHeaders;
    if (extra) {
      for (const name in extra) this.res.setHeader(name, extra[name]);
    }
    sendPage(this.res, {
      status,
      title,
      message,
      details: [
        ['Target', this.target],
        ['Error', describeError(err)],
      ],
      actions: [{ href: '', label: 'Try again' }],
    });
  }

  private settle(outcome: ForwardOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.res.off('close', this.onClientClose);
    this.resolve(outcome);
  }
}

const NO_NAMES: readonly string[] = [];

/** Whether a header record (written in any case) has `lowerName`. */
function hasHeader(record: Record<string, string>, lowerName: string): boolean {
  for (const name in record) if (name.length === lowerName.length && name.toLowerCase() === lowerName) return true;
  return false;
}

function describeError(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  const code = (err as NodeJS.ErrnoException).code;
  const text = err.message || code || 'unknown error';
  return cause instanceof Error && cause.message && !text.includes(cause.message) ? `${text} (${cause.message})` : text;
}
