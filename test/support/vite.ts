// Runs the small Vite app in test/fixtures/vite-app with the project's own `vite`, from a
// temporary copy (tests edit its sources to see hot module replacement, never the committed files).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { freePort } from './free-port.ts';

const APP = fileURLToPath(new URL('../fixtures/vite-app/', import.meta.url));

export interface ViteApp {
  url: string;
  port: number;
  /** Rewrites a file of the temporary copy, e.g. `src/message.js`. */
  edit(file: string, content: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startViteApp(): Promise<ViteApp> {
  const root = await mkdtemp(join(tmpdir(), 'portcullis-vite-'));
  await cp(APP, root, { recursive: true });
  const port = await freePort();
  let server: ViteDevServer;
  try {
    server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      cacheDir: join(root, '.vite'),
      server: { host: '127.0.0.1', port, strictPort: true },
    });
    await server.listen();
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    edit: (file, content) => writeFile(join(root, file), content),
    stop: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
