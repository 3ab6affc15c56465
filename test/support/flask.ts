// Runs test/support/flask_app.py, the echoing upstream, on a free loopback port.
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startProcess } from './processes.ts';
import { pythonWithFlask } from './python.ts';

export interface Upstream {
  url: string;
  port: number;
  stop(): Promise<void>;
  output(): string;
}

/** What flask_app.py answers at every path other than its special ones. */
export interface Echo {
  method: string;
  path: string;
  rawUri: string;
  query: Record<string, string[]>;
  /** lower-cased names; repeated headers folded the WSGI way */
  headers: Record<string, string>;
  /** exactly as received, names in their wire spelling */
  rawHeaders: Array<[string, string]>;
  cookies: Record<string, string>;
  bodyLength: number;
  remoteAddr: string;
}

// By dirname, not URL: happy-dom (the renderer tests) replaces the global URL class.
const APP = join(import.meta.dirname, 'flask_app.py');

export async function startFlask(): Promise<Upstream> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = await startProcess(pythonWithFlask(), [APP, String(port)], {
    env: { ...process.env, PYTHONUNBUFFERED: '1', FLASK_DEBUG: '0' },
    readyUrl: `${url}/healthz`,
    readyStatus: (s) => s === 200,
    timeoutMs: 30_000,
  });
  return { url, port, stop: started.stop, output: started.output };
}
