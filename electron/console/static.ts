// Serves the renderer build (renderer/dist) with headers that keep the page from being
// framed, sniffed, or made to load anything but its own files.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function serveStatic(rendererDir: string, urlPath: string, res: ServerResponse): Promise<void> {
  const root = normalize(rendererDir);
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    rel = '\0';
  }
  const file = normalize(join(root, rel === '/' ? 'index.html' : rel));
  const inside = file.startsWith(root + sep) && !rel.includes('\0');
  const found = inside ? await stat(file).catch(() => undefined) : undefined;
  // Unknown paths get the app itself, so a reload on any view still works.
  const target = found?.isFile() ? file : join(root, 'index.html');
  const exists = await stat(target).catch(() => undefined);
  if (!exists?.isFile()) {
    res.writeHead(404, { ...PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The console UI is not built: run `npm run build:renderer`.\n');
    return;
  }
  const isIndex = target.endsWith(`${sep}index.html`);
  res.writeHead(200, {
    ...PAGE_HEADERS,
    'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
    'Cache-Control': isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  createReadStream(target).pipe(res);
}
