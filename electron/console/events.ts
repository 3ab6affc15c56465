// Server-Sent Events: every EngineEvent goes to every open console, with comment heartbeats
// so proxies and browsers keep the stream open and notice a dead engine.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlApi } from '../engine/api.ts';

const HEARTBEAT_MS = 15_000;

export function streamEvents(api: ControlApi, req: IncomingMessage, res: ServerResponse): () => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const unsubscribe = api.subscribe((event) => {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const end = () => {
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  req.on('close', end);
  return end;
}
