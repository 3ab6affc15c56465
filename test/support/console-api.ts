// Talks to a running `portcullis serve`'s control API the way a script would: reads the console
// URL and token from the printed `console http://127.0.0.1:<port>/?token=<token>` line and sends
// `Authorization: Bearer <token>` with JSON bodies.
import type { Portcullis } from './serve.ts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ConsoleApi {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The console token `serve` printed, decoded. */
  token: string;
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>;
}

export function consoleApi(pc: Portcullis): ConsoleApi {
  const line = /^console (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)\s*$/m.exec(pc.stdout());
  if (!line) throw new Error(`serve printed no console line:\n${pc.stdout()}`);
  const [origin, token] = [line[1], decodeURIComponent(line[2])];
  return {
    origin,
    token,
    async call<T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${origin}/api/v1/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}
