// Starts the real programs tests and the benchmark run against (Flask, Streamlit, nginx,
// Portcullis itself) and guarantees they die with the test run, children included.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ready once this URL gives an HTTP answer that `readyStatus` accepts. */
  readyUrl?: string;
  /** Which answers from `readyUrl` count as ready; default: any status below 500. */
  readyStatus?: (status: number) => boolean;
  /** Ready once a line of stdout or stderr matches. */
  readyLine?: RegExp;
  timeoutMs?: number;
}

export interface Started {
  proc: ChildProcess;
  stop(): Promise<void>;
  /** Everything the process wrote so far, stdout and stderr interleaved (capped). */
  output(): string;
}

const OUTPUT_CAP = 256 * 1024;
const STOP_GRACE_MS = 5_000;

// Process groups still running; killed when this Node process exits, so a failed test
// file never leaves a Streamlit or nginx behind holding a port.
const running = new Set<number>();
process.once('exit', () => {
  for (const pgid of running) killGroup(pgid, 'SIGKILL');
});

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Starts `cmd args` in its own process group and waits until it is ready. */
export async function startProcess(cmd: string, args: string[], opts: StartOptions = {}): Promise<Started> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const proc = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // chunks are joined lazily so a chatty process (a proxy under load logging every request)
  // costs the test runner next to nothing
  let chunks: string[] = [];
  let buffered = 0;
  const output = (): string => {
    let joined = chunks.join('');
    if (joined.length > OUTPUT_CAP) joined = joined.slice(-OUTPUT_CAP);
    chunks = [joined];
    buffered = joined.length;
    return joined;
  };
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      exited = true;
      resolve();
    });
    proc.once('error', () => {
      exited = true;
      resolve();
    });
  });
  let spawnError: Error | undefined;
  proc.once('error', (err) => (spawnError = err));

  let lineWaiters: Array<() => void> = [];
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk.toString());
    buffered += chunk.length;
    if (buffered > 2 * OUTPUT_CAP) output();
    for (const check of lineWaiters) check();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);

  if (proc.pid !== undefined) running.add(proc.pid);
  const stop = async (): Promise<void> => {
    if (proc.pid === undefined) return;
    if (!exited) {
      killGroup(proc.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(proc.pid!, 'SIGKILL'), STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    }
    // the leader may be gone while its children linger in the group
    killGroup(proc.pid, 'SIGKILL');
    running.delete(proc.pid);
  };
  const started: Started = { proc, stop, output };

  const describe = `${cmd} ${args.join(' ')}`;
  const readiness: Array<Promise<void>> = [];
  if (opts.readyLine) {
    const re = opts.readyLine;
    readiness.push(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (re.test(output())) resolve();
        };
        lineWaiters.push(check);
        check();
      }),
    );
  }
  if (opts.readyUrl) readiness.push(waitForHttp(opts.readyUrl, timeoutMs, opts.readyStatus));

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(readiness),
      exitPromise.then(() => {
        throw new Error(
          `${describe} exited before it was ready` +
            (spawnError ? `: ${spawnError.message}` : ` (code ${proc.exitCode}, signal ${proc.signalCode})`) +
            `\n--- output ---\n${output()}`,
        );
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${describe} was not ready within ${timeoutMs} ms\n--- output ---\n${output()}`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
    lineWaiters = [];
  }
  return started;
}

/** Resolves once `url` answers with a status `accept` likes; polls until `timeoutMs`. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  accept: (status: number) => boolean = (status) => status < 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const status = await probe(url).catch((err: Error) => {
      last = err.message;
      return undefined;
    });
    if (status !== undefined) {
      if (accept(status)) return;
      last = `status ${status}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (last: ${last})`);
}

function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
