// Errors nothing caught, in the main process: without a handler Electron shows a modal error
// box and the proxies may be left half-working. Instead each one is logged and becomes a red
// tray entry with a notification. Installed first thing, so errors before the tray exists wait for it.

export interface CrashGuard {
  /** Where problems go from now on; those raised before are delivered at once. */
  reportTo(sink: (message: string) => void): void;
}

export function guardAgainstCrashes(log: (line: string) => void): CrashGuard {
  let sink: ((message: string) => void) | undefined;
  const waiting: string[] = [];

  const deliver = (message: string) => {
    try {
      sink?.(message);
    } catch (err) {
      // Throwing from an uncaughtException handler would end the process.
      log(`could not report a problem: ${String(err)}`);
    }
  };

  const handle = (what: string) => (reason: unknown) => {
    const message = `${what}: ${reason instanceof Error ? reason.message : String(reason)}`;
    log(reason instanceof Error && reason.stack ? `${message}\n${reason.stack}` : message);
    if (sink) deliver(message);
    else waiting.push(message);
  };
  process.on('uncaughtException', handle('Unexpected error'));
  process.on('unhandledRejection', handle('Unexpected error in a background task'));

  return {
    reportTo(next) {
      sink = next;
      waiting.splice(0).forEach(deliver);
    },
  };
}
