import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { probeTarget } from '../../electron/engine/http/target-probe.ts';
import { closeServer, freePort, listen } from '../proxy/harness.ts';

describe('probeTarget', () => {
  it('reports a listening target as reachable', async () => {
    const server = createServer();
    const port = await listen(server);
    try {
      expect(await probeTarget(`http://127.0.0.1:${port}`)).toEqual({
        reachable: true,
        message: `something is listening on 127.0.0.1:${port}`,
      });
    } finally {
      await closeServer(server);
    }
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    expect(await probeTarget(`http://127.0.0.1:${port}/app`)).toEqual({
      reachable: false,
      message: `nothing is listening on 127.0.0.1:${port} (connection refused)`,
    });
  });

  it.each([
    ['not a URL', '127.0.0.1:8501', /is not a URL/],
    ['another scheme', 'ftp://127.0.0.1:21', /not an http:\/\/ or https:\/\/ URL/],
    ['an unresolvable host', 'http://no-such-host.invalid:8501', /could not be resolved/],
  ])('rejects %s with a clear message', async (_label, target, message) => {
    const result = await probeTarget(target);
    expect(result.reachable).toBe(false);
    expect(result.message).toMatch(message);
  });
});
