// Runs test/support/streamlit_app.py on a free loopback port with Streamlit's own defaults
// for CORS and XSRF protection left on, as a real app would be.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import { startProcess } from './processes.ts';
import { streamlitBinary } from './python.ts';
import type { Upstream } from './flask.ts';
import type { ServeSetup } from './fixture.ts';

const APP = fileURLToPath(new URL('./streamlit_app.py', import.meta.url));

export async function startStreamlit(): Promise<Upstream> {
  const bin = streamlitBinary();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // a private HOME keeps Streamlit's first-run files out of the real one
  const home = await mkdtemp(join(tmpdir(), 'portcullis-streamlit-'));
  const started = await startProcess(
    bin,
    ['run', APP, '--server.address', '127.0.0.1', '--server.port', String(port), '--server.headless', 'true',
      '--browser.gatherUsageStats', 'false', '--server.fileWatcherType', 'none'],
    {
      env: { ...process.env, HOME: home, PYTHONUNBUFFERED: '1' },
      readyUrl: `${url}/_stcore/health`,
      readyStatus: (s) => s === 200,
      timeoutMs: 60_000,
    },
  ).catch(async (err: unknown) => {
    await rm(home, { recursive: true, force: true });
    throw err;
  });
  return {
    url,
    port,
    output: started.output,
    stop: async () => {
      await started.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/**
 * The fixture's setup with the real Streamlit app (WebSockets on) as upstream `st` instead of the
 * echo target; Streamlit stops after Portcullis when the file is done:
 * `test.override('setup', { scope: 'file' }, streamlitSetup)`.
 */
export async function streamlitSetup({}, { onCleanup }: { onCleanup(cleanup: () => Promise<void>): void }): Promise<ServeSetup> {
  const streamlit = await startStreamlit();
  onCleanup(() => streamlit.stop());
  return { upstreams: [{ id: 'st', target: streamlit.url, websockets: true }] };
}
