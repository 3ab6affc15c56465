// WebSocket upgrades (Streamlit's /_stcore/stream): authenticated like any request and
// given the identity headers on the handshake; refused before reaching the target when
// not signed in or not allowed.
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { decideAccess } from '../auth/access.ts';
import { simulatedParts } from '../auth/simulation.ts';
import { SIMULATED_HEADER } from '../auth/headers.ts';
import { normalizeRequestPath } from '../http/request-path.ts';
import { connectionsFor, type UpstreamContext } from './context.ts';
import { answersToHost, refusedHostReason } from './listener-host.ts';
import { targetHeaderPolicy } from './target-policy.ts';
import type { UpgradeOutcome } from './websocket.ts';

const TARGET_FAILURE: Record<NonNullable<UpgradeOutcome['error']>, string> = {
  target_down: 'the target is not reachable',
  timeout: 'the target did not answer the handshake in time',
  client_closed: 'the client left before the target answered',
};

/** Answers the handshake itself; while a simulation runs the answer says so, as every response does. */
function refuse(ctx: UpstreamContext, socket: Duplex, status: number, text: string): void {
  const simulation = ctx.simulation();
  const mark = simulation ? `${SIMULATED_HEADER}: ${simulatedParts(simulation)}\r\n` : '';
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${mark}Content-Length: 0\r\n\r\n`);
  else socket.destroy();
}

export async function handleUpgrade(ctx: UpstreamContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const started = performance.now();
  socket.on('error', () => socket.destroy());
  const normalized = normalizeRequestPath(req.url ?? '/');
  const path = 'error' in normalized ? '(rejected path)' : normalized.path;
  const log = (status: number, decision: 'public' | 'allowed' | 'denied' | 'unauthenticated' | 'error', reason: string, extra: { user?: string; simulated?: boolean; rule?: string } = {}): void => {
    ctx.log.add({ time: Date.now(), upstreamId: ctx.upstream.id, method: 'GET', path, status, decision, reason: `websocket ${reason}`, durationMs: performance.now() - started, ...extra });
  };

  if (!answersToHost(req.headers.host, ctx.port, ctx.upstream)) {
    refuse(ctx, socket, 421, 'Misdirected Request');
    return log(421, 'error', refusedHostReason(req.headers.host));
  }
  if ('error' in normalized) {
    refuse(ctx, socket, 400, 'Bad Request');
    return log(400, 'error', `bad path: ${normalized.error}`);
  }
  if (!ctx.upstream.websockets) {
    refuse(ctx, socket, 403, 'Forbidden');
    return log(403, 'denied', 'refused: websockets are turned off for this upstream');
  }
  let decision;
  try {
    decision = await decideAccess(ctx, 'GET', normalized.path, req.headers);
  } catch (err) {
    refuse(ctx, socket, 500, 'Internal Server Error');
    return log(500, 'error', `internal error: ${(err as Error).message}`);
  }
  if (decision.kind === 'bad-token') {
    refuse(ctx, socket, 401, 'Unauthorized');
    return log(401, 'unauthenticated', `bearer token refused: ${decision.reason}`);
  }
  if (decision.kind === 'unauthenticated' || decision.kind === 'unavailable') {
    refuse(ctx, socket, decision.kind === 'unavailable' ? 503 : 401, decision.kind === 'unavailable' ? 'Service Unavailable' : 'Unauthorized');
    return log(decision.kind === 'unavailable' ? 503 : 401, decision.kind === 'unavailable' ? 'error' : 'unauthenticated', decision.reason);
  }
  if (decision.kind === 'denied') {
    refuse(ctx, socket, 403, 'Forbidden');
    return log(403, 'denied', decision.reason, { user: decision.identity.email, simulated: decision.simulated, rule: decision.rule });
  }
  // Each target relays its own WebSockets (Vite's HMR socket on `/`, an API's on its prefix).
  const { connections, forwardPath } = connectionsFor(ctx, normalized.path);
  const answered = await connections.webSockets.upgrade(req, socket, head, {
    path: forwardPath + normalized.search,
    ...targetHeaderPolicy(ctx, req, decision.kind === 'allowed' ? decision.targetHeaders : undefined),
  });
  // Logged once the target has answered: 101 only when it really switched protocols.
  const reason = answered.error ? `${decision.reason}; ${TARGET_FAILURE[answered.error]}` : decision.reason;
  if (decision.kind === 'allowed') log(answered.status, 'allowed', reason, { user: decision.identity.email, simulated: decision.simulated, rule: decision.rule });
  else log(answered.status, 'public', reason, { rule: decision.rule });
}
