// The data dir holds the key to the secret store and the sessions, the identity provider's keys
// and its tokens: `portcullis serve` creates it readable by its owner only, and one found open
// to other users at start is closed again, with a warning that says so.
import { chmod, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { test } from '../support/fixture.ts';
import type { Portcullis } from '../support/serve.ts';

const mode = async (path: string) => (await stat(path)).mode & 0o777;

let pc: Portcullis;

test.beforeAll(({ portcullis }) => {
  pc = portcullis;
});

describe.skipIf(process.platform === 'win32')('the data dir', () => {
  it('is created 0700, with every file in it 0600', async () => {
    expect(await mode(pc.dataDir)).toBe(0o700);
    const files = await readdir(pc.dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect([file, await mode(join(pc.dataDir, file))]).toEqual([file, 0o600]);
    expect(pc.stderr()).not.toContain('data dir');
  });

  it('found open to other users at start is made 0700 again, with a warning', async () => {
    await pc.stop();
    await chmod(pc.dataDir, 0o755);
    pc = await pc.restart();
    expect(await mode(pc.dataDir)).toBe(0o700);
    expect(pc.stderr()).toContain(`warning: the data dir ${pc.dataDir} was open to other users (mode 0755); it is now 0700`);
  });
});
