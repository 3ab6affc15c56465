// One wording for a refused port, wherever it is refused (listener, built-in IdP, port check,
// `portcullis check`), and the probe behind the checks.
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bindErrorMessage } from '../../electron/engine/http/bind-error.ts';
import { probePort } from '../../electron/engine/http/port-probe.ts';

const error = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('bindErrorMessage', () => {
  it.each([
    ['EADDRINUSE', 'port 4180 on 127.0.0.1 is in use by another program'],
    ['EACCES', 'not allowed to listen on 127.0.0.1:4180'],
    ['EADDRNOTAVAIL', '127.0.0.1 is not an address of this machine'],
    ['EINVAL', 'cannot listen on 127.0.0.1:4180: EINVAL'],
  ])('says %s as "%s"', (code, message) => {
    expect(bindErrorMessage(error(code), '127.0.0.1', 4180)).toBe(message);
  });
});

describe('probePort', () => {
  it('answers undefined for a free port and the shared wording for a taken one', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      expect(await probePort('127.0.0.1', port)).toBe(`port ${port} on 127.0.0.1 is in use by another program`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    expect(await probePort('127.0.0.1', port)).toBeUndefined();
  });

  it('names an address that is not this machine\'s', async () => {
    expect(await probePort('192.0.2.1', 4180)).toBe('192.0.2.1 is not an address of this machine');
  });
});
