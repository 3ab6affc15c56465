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

/**
 * Another test file's process can take the port between freePort() and Flask binding it; a
 * console there would even answer /healthz. So Flask is ready only once it says it is running
 * on the port, and a start that lost the port is tried again on another one.
 */
export async function startFlask(attempts = 3): Promise<Upstream> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  try {
    const started = await startProcess(pythonWithFlask(), [APP, String(port)], {
      env: { ...process.env, PYTHONUNBUFFERED: '1', FLASK_DEBUG: '0' },
      readyLine: new RegExp(`Running on ${url.replaceAll('.', '\\.')}\\b`),
      readyUrl: `${url}/healthz`,
      readyStatus: (s) => s === 200,
      timeoutMs: 30_000,
    });
    return { url, port, stop: started.stop, output: started.output };
  } catch (err) {
    if (attempts <= 1) throw err;
    return startFlask(attempts - 1);
  }
}
