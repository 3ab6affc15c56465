// The benchmark (`npm run bench`): Portcullis against Apache + mod_auth_openidc in front of the
// same small Node upstream, both signed in through Portcullis's built-in identity provider,
// loaded by wrk in alternating rounds so machine noise hits all paths alike. Also measures
// Portcullis's start (fresh and existing data dir), sign-in round trip, memory, and whether a
// thousand WebSockets held through it leave a socket behind. Writes test/bench/results.md.
//
// Knobs (environment): BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_RSS_REQUESTS (500000),
// BENCH_STARTS (5), BENCH_WEBSOCKETS (1000), BENCH_WS_HOLD_SECONDS (30), BENCH_IDLE_SECONDS (20).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApache, type RunningApache } from './apache.ts';
import { CookieJar, navigate } from './browser-session.ts';
import { wrk, type WrkResult } from './wrk.ts';
import { freePort } from '../support/free-port.ts';
import { startProcess, type Started } from '../support/processes.ts';
import { acceptWebSockets, openFds, openWebSocket, type ClientWebSocket } from '../support/websocket.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RSS_REQUESTS = Number(process.env.BENCH_RSS_REQUESTS ?? 500_000);
const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const WEBSOCKETS = Number(process.env.BENCH_WEBSOCKETS ?? 1_000);
const WS_HOLD_SECONDS = Number(process.env.BENCH_WS_HOLD_SECONDS ?? 30);
// Idle memory is read after this long without requests: V8 gives back what a burst left behind
// (its memory reducer runs about 8 s after activity stops), which is what an idle tray app holds.
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const PERSONA = 'alice';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.md', import.meta.url));

const log = (line: string): void => console.error(`bench: ${line}`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
};

function ensureTools(): void {
  const needed = ['/usr/sbin/apache2', '/usr/lib/apache2/modules/mod_auth_openidc.so', '/usr/bin/wrk'];
  if (needed.every((f) => existsSync(f))) return;
  log('installing apache2 libapache2-mod-auth-openidc wrk with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'apache2', 'libapache2-mod-auth-openidc', 'wrk'], { stdio: 'inherit', env });
}

/** The app behind both proxies: a keep-alive Node server with a small fixed answer, and a WebSocket echo. */
async function startUpstream(): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end('hello from the upstream\n');
  });
  server.keepAliveTimeout = 60_000;
  acceptWebSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

interface Portcullis {
  started: Started;
  url: string;
  port: number;
  idpPort: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface PortcullisSetup {
  dir: string;
  configFile: string;
  dataDir: string;
  port: number;
  idpPort: number;
  consolePort: number;
}

/** A config on free ports in a temp dir; its data dir does not exist until Portcullis first starts. */
async function setUpPortcullis(upstreamPort: number): Promise<PortcullisSetup> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-bench-'));
  const [port, idpPort, consolePort] = [await freePort(), await freePort(), await freePort()];
  const config = {
    upstreams: [{
      id: 'bench', enabled: true, listen: { host: '127.0.0.1', port }, target: `http://127.0.0.1:${upstreamPort}`,
      provider: 'builtin', allowedGroups: [], allowedEmails: [], emailDomains: ['*'], skipAuthRoutes: [], apiRoutes: [],
      passUserHeaders: true, passAccessToken: false, passAuthorizationHeader: false, setXAuthRequest: true,
      websockets: true, redirectOrigins: [],
    }],
    providers: [{ id: 'builtin', type: 'builtin' }],
    builtinIdp: { port: idpPort, users: [{ username: PERSONA, email: 'alice@example.test', name: 'Alice Admin', groups: ['admins', 'devs'] }] },
  };
  const configFile = join(dir, 'portcullis.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile, dataDir: join(dir, 'data'), port, idpPort, consolePort };
}

/** `portcullis serve` on a setup; resolves at its `portcullis ready` line. */
async function startPortcullis(setup: PortcullisSetup): Promise<Portcullis> {
  const started = await startProcess(
    process.execPath,
    [join(ROOT, 'bin/portcullis.js'), 'serve', '--config', setup.configFile, '--data-dir', setup.dataDir, '--console-port', String(setup.consolePort)],
    { cwd: ROOT, readyLine: /^portcullis ready$/m, timeoutMs: 60_000 },
  );
  return {
    started, url: `http://127.0.0.1:${setup.port}`, port: setup.port, idpPort: setup.idpPort, dataDir: setup.dataDir,
    stop: async () => {
      await started.stop();
      await rm(setup.dir, { recursive: true, force: true });
    },
  };
}

/** CPU time (user + system, all threads) a process has used so far, in ms: less sensitive to a busy machine than wall time. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

interface StartTimes {
  wallMs: number[];
  cpuMs: number[];
}

/**
 * Starts Portcullis STARTS times until `portcullis ready`: each on a fresh data dir (keys and
 * secrets created), or all on one data dir that a first start has filled.
 */
async function measureStarts(upstreamPort: number, dataDir: 'fresh' | 'existing'): Promise<StartTimes> {
  const times: StartTimes = { wallMs: [], cpuMs: [] };
  let shared: PortcullisSetup | undefined;
  if (dataDir === 'existing') {
    shared = await setUpPortcullis(upstreamPort);
    const first = await startPortcullis(shared);
    await first.started.stop();
  }
  for (let i = 0; i < STARTS; i++) {
    const setup = shared ?? (await setUpPortcullis(upstreamPort));
    const [p, ms] = await timed(() => startPortcullis(setup));
    times.wallMs.push(ms);
    times.cpuMs.push(cpuMs(p.started.proc.pid!));
    if (shared) await p.started.stop();
    else await p.stop();
  }
  if (shared) await rm(shared.dir, { recursive: true, force: true });
  return times;
}

interface WebSocketHold {
  fdsBefore: number;
  fdsOpen: number;
  fdsAfter: number;
  leftBehind: string[];
  echoed: number;
}

/**
 * Opens WEBSOCKETS WebSockets through Portcullis, checks each answers, holds them
 * WS_HOLD_SECONDS, checks again, closes them (half with a FIN, half by vanishing) and counts
 * the descriptors of the Portcullis process before, while open and after.
 */
async function holdWebSockets(pid: number, url: string, cookie: string): Promise<WebSocketHold> {
  const wsUrl = `${url.replace(/\/$/, '')}/ws`;
  // The first upgrade loads the relay's code; that belongs in the baseline.
  const warm = await openWebSocket(wsUrl, cookie);
  await warm.echo('warm');
  warm.socket.destroy();
  await warm.closed;
  await new Promise((r) => setTimeout(r, 1_000));
  const before = openFds(pid);
  const sockets: ClientWebSocket[] = [];
  for (let i = 0; i < WEBSOCKETS; i += 100) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, WEBSOCKETS - i) }, () => openWebSocket(wsUrl, cookie)))));
  }
  let echoed = (await Promise.all(sockets.map((ws, i) => ws.echo(`hello ${i}`)))).filter((text, i) => text === `hello ${i}`).length;
  const fdsOpen = openFds(pid).size;
  log(`${sockets.length} WebSockets open (${fdsOpen} descriptors); holding them ${WS_HOLD_SECONDS} s`);
  await new Promise((r) => setTimeout(r, WS_HOLD_SECONDS * 1_000));
  echoed = Math.min(echoed, (await Promise.all(sockets.map((ws, i) => ws.echo(`again ${i}`)))).filter((text, i) => text === `again ${i}`).length);
  sockets.forEach((ws, i) => (i % 2 ? ws.socket.end() : ws.socket.destroy()));
  await Promise.all(sockets.map((ws) => ws.closed));
  const leftBehind = () => [...openFds(pid)].filter((fd) => !before.has(fd));
  for (let waited = 0; leftBehind().length > 0 && waited < 30_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
  return { fdsBefore: before.size, fdsOpen, fdsAfter: openFds(pid).size, leftBehind: leftBehind(), echoed };
}

/** The built-in provider's client secret, which the engine keeps in `idp-keys.json` in its data dir. */
async function builtinClientSecret(dataDir: string): Promise<string> {
  const entries = await readdir(dataDir, { recursive: true });
  const keyFile = entries.find((e) => e === 'idp-keys.json' || e.endsWith('/idp-keys.json'));
  if (!keyFile) throw new Error(`no idp-keys.json under ${dataDir}: where does the built-in provider keep its client secret now?`);
  const { clientSecret } = JSON.parse(await readFile(join(dataDir, keyFile), 'utf8')) as { clientSecret?: string };
  if (!clientSecret) throw new Error(`${keyFile} has no clientSecret`);
  return clientSecret;
}

/** Signs in by navigation from `start` and returns the named session cookie as a Cookie header. */
async function signIn(start: string, origin: string, cookieName: string): Promise<string> {
  const jar = new CookieJar();
  const landing = await navigate(start, jar);
  if (landing.status !== 200 || !landing.body.startsWith('hello from the upstream')) {
    throw new Error(`signing in from ${start} ended at ${landing.url} with ${landing.status}:\n${landing.body.slice(0, 500)}`);
  }
  const value = jar.get(new URL(origin), cookieName);
  if (!value) throw new Error(`signing in from ${start} set no ${cookieName} cookie`);
  return `${cookieName}=${value}`;
}

function rssMiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) kib += Number(m[1]);
  }
  return kib / 1024;
}

function version(cmd: string, args: string[], pattern: RegExp): string {
  const out = spawnSync(cmd, args, { encoding: 'utf8' });
  return pattern.exec(`${out.stdout}${out.stderr}`)?.[1] ?? 'unknown';
}

interface Path {
  name: string;
  url: string;
  cookie?: string;
  load: WrkResult[];
  single: WrkResult[];
}

async function main(): Promise<void> {
  ensureTools();
  const upstream = await startUpstream();
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const cleanups: Array<() => Promise<void>> = [async () => void upstream.close()];
  try {
    log(`start x${STARTS} with a fresh data dir each time, then x${STARTS} with an existing one`);
    const freshStarts = await measureStarts(upstreamPort, 'fresh');
    const existingStarts = await measureStarts(upstreamPort, 'existing');
    const pc = await startPortcullis(await setUpPortcullis(upstreamPort));
    cleanups.push(pc.stop);
    const pcPid = pc.started.proc.pid!;

    log('signing in to Portcullis as alice through the built-in provider');
    const pcSignIns: number[] = [];
    let pcCookie = '';
    for (let i = 0; i < ROUNDS; i++) {
      const [cookie, ms] = await timed(() => signIn(`${pc.url}/oauth2/start?login_hint=${PERSONA}&rd=/`, pc.url, `_portcullis_${pc.port}`));
      pcCookie = cookie;
      pcSignIns.push(ms);
    }
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1_000));
    const idleRss = rssMiB([pcPid]);

    log('starting Apache + mod_auth_openidc against the same provider');
    const apache: RunningApache = await startApache({
      issuer: `http://127.0.0.1:${pc.idpPort}`,
      clientId: 'portcullis',
      clientSecret: await builtinClientSecret(pc.dataDir),
      upstreamPort,
      loginHint: PERSONA,
    });
    cleanups.push(apache.stop);
    const apacheSignIns: number[] = [];
    let apacheCookie = '';
    for (let i = 0; i < ROUNDS; i++) {
      const [cookie, ms] = await timed(() => signIn(`${apache.url}/`, apache.url, 'mod_auth_openidc_session'));
      apacheCookie = cookie;
      apacheSignIns.push(ms);
    }

    const paths: Path[] = [
      { name: 'direct to the upstream', url: `http://127.0.0.1:${upstreamPort}/`, load: [], single: [] },
      { name: 'Portcullis', url: `${pc.url}/`, cookie: pcCookie, load: [], single: [] },
      { name: 'Apache + mod_auth_openidc', url: `${apache.url}/`, cookie: apacheCookie, load: [], single: [] },
    ];
    const headersOf = (p: Path): Record<string, string> => (p.cookie ? { Cookie: p.cookie } : {});
    let pcRequests = 0;
    const count = (p: Path, r: WrkResult): WrkResult => {
      if (p.name === 'Portcullis') pcRequests += r.requests;
      if (r.errors > 0) log(`warning: ${r.errors} errors on ${p.name} (${r.errorDetail})`);
      return r;
    };

    log('warm-up');
    for (const p of paths) count(p, await wrk(p.url, { threads: 2, connections: 50, seconds: 2, headers: headersOf(p) }));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const p of paths) {
        log(`round ${round}/${ROUNDS}: ${p.name}, -t2 -c50 -d${SECONDS}s`);
        p.load.push(count(p, await wrk(p.url, { threads: 2, connections: 50, seconds: SECONDS, headers: headersOf(p) })));
      }
      for (const p of paths) {
        log(`round ${round}/${ROUNDS}: ${p.name}, -t1 -c1 -d${Math.ceil(SECONDS / 2)}s`);
        p.single.push(count(p, await wrk(p.url, { threads: 1, connections: 1, seconds: Math.ceil(SECONDS / 2), headers: headersOf(p) })));
      }
    }
    const portcullisPath = paths[1];
    while (pcRequests < RSS_REQUESTS) {
      log(`Portcullis has served ${pcRequests} requests; loading on to ${RSS_REQUESTS}`);
      count(portcullisPath, await wrk(portcullisPath.url, { threads: 2, connections: 50, seconds: SECONDS, headers: headersOf(portcullisPath) }));
    }
    // Measured idle, as the first figure was: what stays, not what a burst of requests has in
    // flight. The figure 2 s after the load is shown too: what V8 has not yet given back.
    await new Promise((r) => setTimeout(r, 2_000));
    const justAfterLoadRss = rssMiB([pcPid]);
    await new Promise((r) => setTimeout(r, (IDLE_SECONDS - 2) * 1_000));
    const loadedRss = rssMiB([pcPid]);

    log(`holding ${WEBSOCKETS} WebSockets through Portcullis for ${WS_HOLD_SECONDS} s`);
    const ws = await holdWebSockets(pcPid, pc.url, pcCookie);

    const directP50 = median(paths[0].single.map((r) => r.p50Ms));
    const rows = paths.map((p) => ({
      name: p.name,
      rps: median(p.load.map((r) => r.reqPerSec)),
      p50: median(p.load.map((r) => r.p50Ms)),
      p99: median(p.load.map((r) => r.p99Ms)),
      addedP50: median(p.single.map((r) => r.p50Ms)) - directP50,
      errors: [...p.load, ...p.single].reduce((sum, r) => sum + r.errors, 0),
    }));
    const [, pcRow, apRow] = rows;
    const fmt = (n: number, digits = 2) => n.toFixed(digits);
    const md = [
      `# Benchmark results`,
      '',
      `${new Date().toISOString()}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average before the run ${loadAtStart}; ` +
        `Node ${process.version}, Apache ${version('/usr/sbin/apache2', ['-v'], /Apache\/(\S+)/)} with mod_auth_openidc ` +
        `${version('dpkg-query', ['-W', '-f=${Version}', 'libapache2-mod-auth-openidc'], /^(\S+)/)}, wrk ${version('wrk', ['-v'], /wrk (\S+)/)}.`,
      `wrk -t2 -c50 -d${SECONDS}s and -t1 -c1 -d${Math.ceil(SECONDS / 2)}s, ${ROUNDS} alternating rounds, medians; a signed-in session cookie on every request; ` +
        'the upstream answers 24 bytes.',
      '',
      '| path | req/s | p50 ms | p99 ms | added p50 at -c1, ms | errors |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map((r, i) => `| ${r.name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${i === 0 ? '–' : fmt(r.addedP50, 3)} | ${r.errors} |`),
      '',
      `Portcullis / Apache: **${fmt(pcRow.rps / apRow.rps)}×** the requests per second, **${fmt(pcRow.p99 / apRow.p99)}×** the p99 latency.`,
      '',
      '| Portcullis | value |',
      '|---|---:|',
      `| start to \`portcullis ready\`, existing data dir, median of ${STARTS}, ms (CPU ms) | ${fmt(median(existingStarts.wallMs), 0)} (${fmt(median(existingStarts.cpuMs), 0)}) |`,
      `| start to \`portcullis ready\`, fresh data dir, median of ${STARTS}, ms (CPU ms) | ${fmt(median(freshStarts.wallMs), 0)} (${fmt(median(freshStarts.cpuMs), 0)}) |`,
      `| sign-in round trip, /oauth2/start to the app (Apache: / to the app), ms | ${fmt(median(pcSignIns), 1)} (Apache ${fmt(median(apacheSignIns), 1)}) |`,
      `| RSS idle after sign-in (${IDLE_SECONDS} s without requests), MiB | ${fmt(idleRss, 1)} |`,
      `| RSS after ${pcRequests.toLocaleString('en')} proxied requests (${IDLE_SECONDS} s without requests), MiB (growth) | ${fmt(loadedRss, 1)} (${loadedRss >= idleRss ? '+' : ''}${fmt(loadedRss - idleRss, 1)}) |`,
      `| the same, 2 s after the load, MiB | ${fmt(justAfterLoadRss, 1)} |`,
      `| ${WEBSOCKETS.toLocaleString('en')} WebSockets held ${WS_HOLD_SECONDS} s and closed: descriptors before / open / after (left behind) | ` +
        `${ws.fdsBefore} / ${ws.fdsOpen} / ${ws.fdsAfter} (${ws.leftBehind.length}) |`,
      `| WebSockets that echoed when opened and after ${WS_HOLD_SECONDS} s | ${ws.echoed} of ${WEBSOCKETS.toLocaleString('en')} |`,
      '',
    ].join('\n');
    console.log(md);
    await writeFile(RESULTS, md);
    log(`written to ${RESULTS}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: Error) => log(`cleanup: ${err.message}`));
  }
}

const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
await main();
