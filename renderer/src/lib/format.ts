// Words and numbers as people read them: dates for claim times, countdowns, curl commands.

/** JWT claims that hold seconds since the epoch. */
const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

export function formatClaim(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') return `${new Date(value * 1000).toLocaleString()} (${value})`;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}

/** A ready-to-paste request to the upstream carrying the token as a bearer. */
export function curlCommand(url: string, token: string): string {
  return `curl -H 'Authorization: Bearer ${token}' '${url}/'`;
}

export function splitList(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}
