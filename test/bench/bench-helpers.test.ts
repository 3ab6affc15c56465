// The benchmark's own parts that can be wrong silently: reading wrk's summary and the cookie
// jar used to sign in (real wrk and real sign-ins run in `npm run bench`, not here).
import { describe, expect, it } from 'vitest';
import { CookieJar } from './browser-session.ts';
import { parseWrk } from './wrk.ts';

const summary = (p50: string, p99: string, extra = ''): string => `Running 2s test @ http://127.0.0.1:8080/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.70ms    8.00ms  89.14ms   90.00%
    Req/Sec     5.07k   500.00     6.00k    70.00%
  Latency Distribution
     50%    ${p50}
     75%    5.00ms
     90%    6.00ms
     99%    ${p99}
  20186 requests in 2.00s, 2.50MB read
${extra}Requests/sec:  10093.25
Transfer/sec:      1.25MB
`;

describe('parseWrk', () => {
  it.each([
    ['us and ms', '870.00us', '12.50ms', 0.87, 12.5],
    ['ms and s', '4.70ms', '1.07s', 4.7, 1070],
    ['minutes', '1.00m', '2.00m', 60_000, 120_000],
  ])('reads latencies in %s', (_name, p50, p99, p50Ms, p99Ms) => {
    const r = parseWrk(summary(p50, p99));
    expect(r).toMatchObject({ requests: 20186, reqPerSec: 10093.25, errors: 0 });
    expect(r.p50Ms).toBeCloseTo(p50Ms);
    expect(r.p99Ms).toBeCloseTo(p99Ms);
  });

  it('counts socket errors and non-2xx/3xx answers as errors', () => {
    const r = parseWrk(summary('1ms', '2ms', '  Socket errors: connect 0, read 2, write 1, timeout 4\n  Non-2xx or 3xx responses: 3\n'));
    expect(r.errors).toBe(10);
    expect(r.errorDetail).toMatch(/read 2.*Non-2xx or 3xx responses: 3/);
  });

  it.each([
    ['no summary at all', 'unable to connect to 127.0.0.1:1 Connection refused\n', /could not read wrk's output/],
    ['no latency distribution (run without --latency)', '  5 requests in 1.00s, 1KB read\nRequests/sec: 5.00\n', /no 50% latency/],
  ])('refuses output with %s', (_name, text, message) => {
    expect(() => parseWrk(text)).toThrow(message);
  });
});

describe('CookieJar', () => {
  const a = new URL('http://127.0.0.1:4180/x');
  const b = new URL('http://127.0.0.1:4190/');

  it('shares cookies between ports of one host, as browsers do', () => {
    const jar = new CookieJar();
    jar.store(a, ['_portcullis_4180=abc; Path=/; HttpOnly; SameSite=Lax']);
    expect(jar.header(b)).toBe('_portcullis_4180=abc');
    expect(jar.get(b, '_portcullis_4180')).toBe('abc');
    expect(jar.header(new URL('http://localhost:4180/'))).toBe('');
  });

  it.each([
    ['Max-Age=0', 'k=; Max-Age=0'],
    ['a past Expires', 'k=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
    ['an empty value', 'k='],
  ])('deletes a cookie set with %s', (_name, line) => {
    const jar = new CookieJar();
    jar.store(a, ['k=v', 'other=1']);
    jar.store(a, [line]);
    expect(jar.header(a)).toBe('other=1');
  });

  it('ignores malformed Set-Cookie lines', () => {
    const jar = new CookieJar();
    jar.store(a, ['=novalue', 'noequals', 'ok=1']);
    expect(jar.header(a)).toBe('ok=1');
  });
});
