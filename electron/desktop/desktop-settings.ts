// What only the desktop remembers (the window's bounds), in electron-store's `desktop.json`
// beside the engine's `config.json`. The engine's settings are not opened here: the engine
// owns config.json (through conf, with its schema and migrations) and one writer is safer than two.
import Store from 'electron-store';
import type { Bounds } from './window-bounds.ts';

interface DesktopSettings {
  windowBounds?: Bounds;
}

const integer = { type: 'integer' } as const;

export function openDesktopSettings(dataDir: string): { loadBounds(): unknown; saveBounds(bounds: Bounds): void } {
  const store = new Store<DesktopSettings>({
    name: 'desktop',
    cwd: dataDir,
    clearInvalidConfig: true,
    schema: {
      windowBounds: {
        type: 'object',
        properties: { x: integer, y: integer, width: integer, height: integer },
        required: ['x', 'y', 'width', 'height'],
        additionalProperties: false,
      },
    },
  });
  return {
    loadBounds: () => store.get('windowBounds'),
    saveBounds: (bounds) => store.set('windowBounds', bounds),
  };
}
