// The main-process end of the preload bridge: one handler per listed ControlApi call, each
// answering only our own page, checking the arguments' shape and bodies, and returning errors with
// their code and JSON path. Engine events are forwarded to the window on one channel.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ApiError, type ControlApi } from '../engine/api.ts';
import { validateBody, validateExportFormat, validateProvider, validators } from '../engine/api-schemas.ts';
import { EVENT_CHANNEL, METHODS, invokeChannel, type ArgKind, type Method, type Reply } from './channels.ts';
import { isAppUrl } from './web-policy.ts';

function argMatches(kind: ArgKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'string?':
      return value === undefined || typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'object?':
      return value === undefined || argMatches('object', value);
    case 'array':
      return Array.isArray(value);
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

/** Why the arguments of a call are unacceptable, or undefined. */
export function argumentProblem(method: Method, args: unknown[]): string | undefined {
  const kinds: readonly ArgKind[] = METHODS[method];
  if (args.length > kinds.length) return `${method} takes at most ${kinds.length} argument(s), got ${args.length}`;
  for (let i = 0; i < kinds.length; i++) {
    if (!argMatches(kinds[i], args[i])) return `${method}: argument ${i + 1} must be ${kinds[i].replace('?', ' or nothing')}`;
  }
  return undefined;
}

/** The body checks the console's HTTP routes make, so a bad body is refused alike over IPC; they throw an ApiError. */
const BODY_CHECKS: Partial<Record<Method, (args: unknown[]) => void>> = {
  addUpstream: ([body]) => validateBody(validators.upstream, body),
  updateUpstream: ([, body]) => validateBody(validators.upstream, body),
  saveProvider: ([body]) => validateProvider(body),
  savePersonas: ([users]) => validateBody(validators.personas, { users }),
  saveServiceClients: ([clients]) => validateBody(validators.serviceClients, { clients }),
  setSimulation: ([, simulation]) => validateBody(validators.simulation, simulation),
  mintToken: ([body]) => validateBody(validators.mintToken, body),
  expireSession: ([, what]) => validateBody(validators.expireSession, { what }),
  switchPersona: ([, persona]) => validateBody(validators.switchPersona, { persona }),
  setIdpFaults: ([faults]) => validateBody(validators.idpFaults, faults),
  explainRequest: ([body]) => validateBody(validators.explain, body),
  listRequests: ([filter]) => filter !== undefined && validateBody(validators.requestFilter, filter),
  checkPort: ([host, port, upstreamId]) => validateBody(validators.checkPort, { host, port, ...(upstreamId === undefined ? {} : { upstreamId }) }),
  checkTarget: ([target]) => validateBody(validators.checkTarget, { target }),
  checkIssuer: ([issuer]) => validateBody(validators.checkIssuer, { issuer }),
  testRoute: ([upstreamId, method, path]) => validateBody(validators.checkRoute, { upstreamId, method, path }),
  previewHeaders: ([upstreamId, sessionId]) => validateBody(validators.checkHeaders, { upstreamId, ...(sessionId === undefined ? {} : { sessionId }) }),
  previewImport: ([text, format]) => validateBody(validators.importText, format === undefined ? { text } : { text, format }),
  exportUpstream: ([, format]) => validateExportFormat(format, '$[1]'),
};

function failure(code: string, message: string, path?: string): Reply {
  return { ok: false, error: { code, message, ...(path ? { path } : {}) } };
}

/** Runs one call for a sender, refusing frames that are not our page. */
export async function answer(api: ControlApi, method: Method, event: Pick<IpcMainInvokeEvent, 'senderFrame'>, args: unknown[], log: (line: string) => void): Promise<Reply> {
  const origin = event.senderFrame?.url;
  if (!isAppUrl(origin)) {
    log(`refused ${method} from a frame that is not the Portcullis page`);
    return failure('forbidden', 'This page may not control Portcullis.');
  }
  const problem = argumentProblem(method, args);
  if (problem) return failure('bad_request', problem);
  try {
    BODY_CHECKS[method]?.(args);
    const call = api[method] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await call.apply(api, args) };
  } catch (err) {
    if (err instanceof ApiError) return failure(err.code, err.message, err.path);
    return failure('internal', err instanceof Error ? err.message : String(err));
  }
}

/** Registers every handler; returns a function that removes them. */
export function registerIpc(api: ControlApi, log: (line: string) => void): () => void {
  const methods = Object.keys(METHODS) as Method[];
  for (const method of methods) {
    ipcMain.handle(invokeChannel(method), (event, ...args: unknown[]) => answer(api, method, event, args, log));
  }
  return () => methods.forEach((method) => ipcMain.removeHandler(invokeChannel(method)));
}

/** Sends every engine event to the window while it exists and shows our page. */
export function forwardEvents(api: ControlApi, target: () => WebContents | undefined): () => void {
  return api.subscribe((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, event);
  });
}
