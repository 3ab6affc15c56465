// Checks the ControlApi's request bodies, for both transports (the console's HTTP routes and
// the desktop's IPC handlers) so that both refuse a bad body alike. The schemas
// (api-validators.ts) reject wrong types and unknown fields at the door, naming the JSON path
// of the bad field; the engine validates the resulting settings again.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ApiError } from './api.ts';
import compiled from './api-validators.ts';
import { childPath, pointerToPath } from './config/json-path.ts';
import { EXPORT_FORMATS, type ExportFormat } from './config/production-formats.ts';
import { refusedKeyReason } from './config/refused-keys.ts';

export const validators = {
  upstream: compiled.upstream,
  provider: { builtin: compiled.builtinProvider, oidc: compiled.oidcProvider, github: compiled.githubProvider },
  personas: compiled.personas,
  serviceClients: compiled.serviceClients,
  simulation: compiled.simulation,
  mintToken: compiled.mintToken,
  checkPort: compiled.checkPort,
  checkTarget: compiled.checkTarget,
  checkIssuer: compiled.checkIssuer,
  checkRoute: compiled.checkRoute,
  checkHeaders: compiled.checkHeaders,
  expireSession: compiled.expireSession,
  switchPersona: compiled.switchPersona,
  idpFaults: compiled.idpFaults,
  explain: compiled.explain,
  requestFilter: compiled.requestFilter,
  importText: compiled.importText,
  exportFormat: compiled.exportFormat,
};

/** Returns the body typed as T, or throws a 400 naming the first bad field's JSON path. */
export function validateBody<T>(validate: ValidateFunction, body: unknown): T {
  if (validate(body)) return body as T;
  throw toApiError(validate.errors?.[0], body);
}

/** An export format from a query parameter or an IPC argument; `path` names where it came from. */
export function validateExportFormat(value: unknown, path: string): ExportFormat {
  if (validators.exportFormat(value)) return value as ExportFormat;
  throw new ApiError(400, 'invalid_parameter', `format must be one of ${EXPORT_FORMATS.join(', ')}`, path);
}

export function validateProvider<T>(body: unknown): T {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (type !== 'builtin' && type !== 'oidc' && type !== 'github') {
    throw new ApiError(400, 'invalid_body', 'type must be one of builtin, oidc, github', '$.type');
  }
  for (const key of Object.keys(body as object)) {
    const refused = refusedKeyReason(key, body);
    if (refused) throw new ApiError(400, 'invalid_body', refused, `$.${key}`);
  }
  return validateBody<T>(validators.provider[type], body);
}

function toApiError(err: ErrorObject | undefined, body: unknown): ApiError {
  if (!err) return new ApiError(400, 'invalid_body', 'the body is invalid', '$');
  const base = pointerToPath(err.instancePath, body);
  if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    return new ApiError(400, 'unknown_field', `unknown field "${extra}"`, childPath(base, extra));
  }
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    return new ApiError(400, 'missing_field', `${missing} is required`, childPath(base, missing));
  }
  return new ApiError(400, 'invalid_body', `${base} ${err.message ?? 'is invalid'}`, base);
}
