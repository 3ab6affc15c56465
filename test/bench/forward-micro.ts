// Micro-benchmark of the bare forwarder (no auth): wrk against a Node target directly, then
// through createForwarder. Run by hand: `node bin/run-ts.js test/bench/forward-micro.ts [seconds]`.
// Needs wrk (`apt-get install -y wrk`). The target runs in its own process, as an app would.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createForwarder } from '../../electron/engine/proxy/forward.ts';

const seconds = Number(process.argv[2] ?? 10);

const TARGET = `
const http = require('node:http');
const body = Buffer.from('hello from the target\\n');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

// Asynchronous on purpose: the proxy under test shares this process's event loop.
async function wrk(url: string, duration = seconds): Promise<number> {
  const { stdout: out } = await promisify(execFile)('wrk', ['-t2', '-c50', `-d${duration}s`, '--latency', url], { encoding: 'utf8' });
  const match = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!match) throw new Error(`could not read wrk output:\n${out}`);
  const p50 = /^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '?';
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: .*/.exec(out)?.[0];
  console.log(`  ${url}: ${Math.round(Number(match[1]))} req/s, p50 ${p50}${errors ? `, ${errors}` : ''}`);
  return Number(match[1]);
}

const child = spawn(process.execPath, ['-e', TARGET], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(child.stdout!, 'data')) as [Buffer];
const targetUrl = `http://127.0.0.1:${Number(line.toString().trim())}`;

const forwarder = createForwarder(targetUrl);
const proxy = createServer((req, res) => {
  void forwarder.forward(req, res, { path: req.url ?? '/' });
});
proxy.keepAliveTimeout = 65000;
proxy.listen(0, '127.0.0.1');
await once(proxy, 'listening');
const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;

try {
  console.log(`wrk -t2 -c50 -d${seconds}s`);
  await wrk(`${targetUrl}/`, 3); // warm-up of the target alone
  const direct = await wrk(`${targetUrl}/`);
  await wrk(proxyUrl, 3); // warm-up: JIT and pool connections
  const proxied = await wrk(proxyUrl);
  console.log(`direct ${Math.round(direct)} req/s, forwarder ${Math.round(proxied)} req/s (${((proxied / direct) * 100).toFixed(0)}% of direct)`);
} finally {
  proxy.close();
  await forwarder.close();
  child.kill();
}
