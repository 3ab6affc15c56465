// How the UI reads a ControlApi rejection: the engine's own ApiError (code, words, JSON path)
// from either transport, or any other Error.
import { ApiError } from '../../../electron/engine/api.ts';

/** The ApiError an HTTP error answer stands for, whatever its body holds. */
export function apiErrorFromResponse(status: number, data: unknown): ApiError {
  const e = (data as { error?: { code?: string; message?: string; path?: string } } | undefined)?.error;
  return new ApiError(status, e?.code ?? 'http_error', e?.message ?? `the console answered HTTP ${status}`, e?.path);
}

/** The words to show for any rejection, whatever transport produced it. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The JSON path an error names, if any (over IPC the ApiError arrives as a plain object). */
export function errorPath(err: unknown): string | undefined {
  const path = (err as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}
