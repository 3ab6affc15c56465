// Runs wrk against one URL and reads its summary: throughput, latency percentiles and the
// number of requests served (for the "RSS after N requests" figure).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** connect/read/write/timeout errors and non-2xx/3xx answers, which would make the figures meaningless */
  errors: number;
  /** wrk's own lines about those errors */
  errorDetail: string;
}

export interface WrkOptions {
  threads: number;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export async function wrk(url: string, opts: WrkOptions): Promise<WrkResult> {
  const args = ['--latency', `-t${opts.threads}`, `-c${opts.connections}`, `-d${opts.seconds}s`];
  for (const [name, value] of Object.entries(opts.headers ?? {})) args.push('-H', `${name}: ${value}`);
  args.push(url);
  const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latencyMs(text: string, percentile: string): number {
  const m = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
  if (!m) throw new Error(`wrk printed no ${percentile}% latency:\n${text}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

export function parseWrk(text: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const total = /^\s*(\d+) requests in/m.exec(text);
  if (!rps || !total) throw new Error(`could not read wrk's output:\n${text}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const errors = (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0);
  const errorDetail = [socket?.[0], non2xx?.[0]].filter(Boolean).join('; ');
  return { requests: Number(total[1]), reqPerSec: Number(rps[1]), p50Ms: latencyMs(text, '50'), p99Ms: latencyMs(text, '99'), errors, errorDetail };
}
