// Where the window reopens: its last size and position, unless that would put it off every
// screen (a monitor was unplugged), in which case it is centred at the default size.

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1100, height: 760 } as const;
export const MIN_SIZE = { width: 640, height: 480 } as const;

/** Smallest part of the title bar that must be on a screen for the window to be reachable. */
const VISIBLE_MARGIN = 48;

function isBounds(value: unknown): value is Bounds {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => Number.isFinite(v[k]));
}

function overlaps(a: Bounds, area: Bounds): boolean {
  const w = Math.min(a.x + a.width, area.x + area.width) - Math.max(a.x, area.x);
  const h = Math.min(a.y + VISIBLE_MARGIN, area.y + area.height) - Math.max(a.y, area.y);
  return w >= VISIBLE_MARGIN && h > 0;
}

/** The bounds to open with, given what was saved and the work areas of the current displays. */
export function restoreBounds(saved: unknown, workAreas: readonly Bounds[]): Partial<Bounds> & { width: number; height: number } {
  if (isBounds(saved) && saved.width >= MIN_SIZE.width && saved.height >= MIN_SIZE.height && workAreas.some((a) => overlaps(saved, a))) {
    return { ...saved };
  }
  return { ...DEFAULT_SIZE };
}
