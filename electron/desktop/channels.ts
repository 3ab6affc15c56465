// The fixed list of IPC channels between the preload and the main process: one per
// ControlApi call plus one event channel. Both sides read this file, so a channel exists
// only if it is listed here. The preload (CommonJS) gets it bundled in by esbuild.
import type { ControlApi } from '../engine/api.ts';

/** What an argument of a call must look like before it reaches the engine. */
export type ArgKind = 'string' | 'string?' | 'number' | 'object' | 'object?' | 'array' | 'string[]';

/** Every ControlApi call except `subscribe` (which is the event channel), with its arguments. */
export const METHODS = {
  getState: [],
  addUpstream: ['object'],
  updateUpstream: ['string', 'object'],
  removeUpstream: ['string'],
  startUpstream: ['string'],
  stopUpstream: ['string'],
  startAll: [],
  stopAll: [],
  saveProvider: ['object'],
  removeProvider: ['string'],
  savePersonas: ['array'],
  saveServiceClients: ['array'],
  signInUrl: ['string', 'string?'],
  listSessions: [],
  refreshSession: ['string'],
  signOutSession: ['string'],
  expireSession: ['string', 'string'],
  switchPersona: ['string', 'string'],
  setIdpFaults: ['object'],
  clearIdpFaults: [],
  setSimulation: ['string', 'object'],
  endSimulation: ['string'],
  mintToken: ['object'],
  listRequests: ['object?'],
  checkPort: ['string', 'number', 'string?'],
  checkTarget: ['string'],
  checkIssuer: ['string'],
  testRoute: ['string', 'string', 'string'],
  previewHeaders: ['string', 'string?'],
  explainRequest: ['object'],
  previewImport: ['string', 'string?'],
  exportUpstream: ['string', 'string'],
} as const satisfies Record<Exclude<keyof ControlApi, 'subscribe'>, readonly ArgKind[]>;

export type Method = keyof typeof METHODS;

/** Engine events, main → renderer. */
export const EVENT_CHANNEL = 'portcullis:event';

/** The name the preload exposes the API under: `window.portcullis`. */
export const GLOBAL_NAME = 'portcullis';

export function invokeChannel(method: Method): string {
  return `portcullis:${method}`;
}

/** How a call's outcome crosses IPC: errors keep their code and JSON path. */
export type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; path?: string } };
