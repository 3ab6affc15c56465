// Picks the transport: the desktop preload bridge when present, else the console's HTTP API
// with the token the page was opened with.
import type { ControlApi } from '../../../electron/engine/api.ts';
import { storedConsoleToken, takeConsoleToken } from './console-token.ts';
import { HttpControlApi } from './http.ts';

declare global {
  interface Window {
    portcullis?: ControlApi;
  }
}

const API_BASE = '/api/v1';

export async function connectApi(): Promise<ControlApi> {
  if (window.portcullis) return window.portcullis;
  // A used or expired --open link leaves no token: the first call then says to open the printed URL.
  await takeConsoleToken(API_BASE).catch(() => undefined);
  return new HttpControlApi(API_BASE, { token: storedConsoleToken });
}
