// The formats `portcullis import` reads and `portcullis export` writes. Apart from the
// importer and the exporter, so that the control API's body checks can name the formats
// without loading the YAML, TOML and env parsers and writers (loaded on first use).
export const IMPORT_FORMATS = ['cfg', 'env', 'compose'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const EXPORT_FORMATS = ['oauth2-proxy', 'nginx', 'caddy', 'haproxy', 'traefik'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
