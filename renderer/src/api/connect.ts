// Picks the transport: the desktop preload bridge when present, else the console's HTTP API.
import type { ControlApi } from '../../../electron/engine/api.ts';
import { HttpControlApi } from './http.ts';

declare global {
  interface Window {
    portcullis?: ControlApi;
  }
}

export function connectApi(): ControlApi {
  return window.portcullis ?? new HttpControlApi();
}
