// Moving between Portcullis and production (docs/configuration.md, "Import and export"): an
// oauth2-proxy setup read into a preview, an upstream written out for nginx, Caddy, HAProxy,
// Traefik or oauth2-proxy. The parsers and writers load on first use: most runs never need them.
import { ApiError, type ImportPreview, type ProductionExport } from './api.ts';
import { ConfigError } from './config/errors.ts';
import type { ExportFormat, ImportFormat } from './config/production-formats.ts';
import type { PortcullisConfig } from './config/types.ts';

/** What importing would make of a file; an unreadable one is a 400 naming where it failed. */
export async function previewImport(text: string, format?: ImportFormat): Promise<ImportPreview> {
  const { importConfig } = await import('./config/import.ts');
  try {
    return importConfig(text, '', format);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const first = err.problems[0];
    throw new ApiError(400, 'unreadable_import', `${err.message}: ${err.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, first?.path.startsWith('$') ? first.path : undefined);
  }
}

/** Exactly what `portcullis export` prints for the upstream, with the notes on what the format cannot say. */
export async function exportUpstream(config: PortcullisConfig, upstreamId: string, format: ExportFormat): Promise<ProductionExport> {
  const { exportNotes, exportUpstream: write } = await import('./config/export.ts');
  return { format, text: write(config, upstreamId, format), notes: exportNotes(config, upstreamId, format) };
}
