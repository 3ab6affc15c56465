// What one listener needs from the engine, gathered in one object so the request handlers
// stay plain functions of (context, request). The engine builds one per running upstream:
// the sign-in half (auth/context.ts) plus the parts that forward to the target.
import type { AuthContext } from '../auth/context.ts';
import type { Forwarder } from './forward.ts';
import type { WebSocketProxy } from './websocket.ts';
import { choosePathTarget } from './path-routing.ts';

/** Where requests of one target go: its own keep-alive pool and WebSocket relay. */
export interface TargetConnections {
  readonly target: string;
  readonly forwarder: Forwarder;
  readonly webSockets: WebSocketProxy;
}

export interface UpstreamContext extends AuthContext {
  /** The upstream's own target. */
  readonly forwarder: Forwarder;
  readonly webSockets: WebSocketProxy;
  /** One per `paths` entry, in the same order. */
  readonly pathTargets: readonly TargetConnections[];
}

/** The connections and path for a normalised request path: a `paths` target or the upstream's own. */
export function connectionsFor(ctx: UpstreamContext, path: string): { connections: TargetConnections; forwardPath: string } {
  const choice = choosePathTarget(ctx.upstream.paths ?? [], ctx.upstream.target, path);
  const connections = choice.index === undefined ? { target: ctx.upstream.target, forwarder: ctx.forwarder, webSockets: ctx.webSockets } : ctx.pathTargets[choice.index];
  return { connections, forwardPath: choice.forwardPath };
}
