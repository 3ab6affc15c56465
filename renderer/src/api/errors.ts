// The error a ControlApi call rejects with in the UI: the API's code, words and JSON path.
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }

  static fromResponse(status: number, data: unknown): ConsoleError {
    const e = (data as { error?: { code?: string; message?: string; path?: string } } | undefined)?.error;
    return new ConsoleError(status, e?.code ?? 'http_error', e?.message ?? `the console answered HTTP ${status}`, e?.path);
  }
}

/** The words to show for any rejection, whatever transport produced it. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The JSON path an error names, if any (ApiError and ConsoleError both carry one). */
export function errorPath(err: unknown): string | undefined {
  const path = (err as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}
