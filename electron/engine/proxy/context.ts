// What one listener needs from the engine, gathered in one object so the request handlers
// stay plain functions of (context, request). The engine builds one per running upstream:
// the sign-in half (auth/context.ts) plus the parts that forward to the target.
import type { AuthContext } from '../auth/context.ts';
import type { Forwarder } from './forward.ts';
import type { WebSocketProxy } from './websocket.ts';

export interface UpstreamContext extends AuthContext {
  readonly forwarder: Forwarder;
  readonly webSockets: WebSocketProxy;
}
