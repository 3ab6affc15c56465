// Makes the one ControlApi and the live engine state available to every view.
import { createContext, useContext } from 'react';
import type { ControlApi } from '../../../electron/engine/api.ts';
import type { LiveEngine } from './useLiveEngine.ts';

export const ApiContext = createContext<ControlApi | null>(null);
export const LiveContext = createContext<LiveEngine | null>(null);

export function useApi(): ControlApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext>');
  return api;
}

export function useLive(): LiveEngine {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive outside <LiveContext>');
  return live;
}
