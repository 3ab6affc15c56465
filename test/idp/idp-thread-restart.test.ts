// The built-in provider's thread dies (a crash, its small heap run out): it is started again on
// the same issuer with everything it had been told (token lifetimes, clock skew, faults), so the
// faults the console shows are the faults the provider applies.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltinIdp } from '../../electron/engine/idp/builtin-idp.ts';
import { NO_FAULTS } from '../../electron/engine/idp/faults.ts';
import { spawnIdpThread, startBuiltinIdpThread, type IdpThread } from '../../electron/engine/idp/idp-thread.ts';
import { discover, exchange, signIn } from './flow.ts';

const SKEW = 30;
const ACCESS_TTL = 600;

let dataDir: string;
let thread: IdpThread;
let idp: BuiltinIdp;
const reports: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'portcullis-idp-restart-'));
  thread = spawnIdpThread();
  idp = await startBuiltinIdpThread(
    { port: 0, dataDir, users: [{ username: 'alice', email: 'alice@example.test', name: 'Alice', groups: ['admins'] }], report: (_scope, message) => reports.push(message) },
    thread,
  );
});

afterAll(async () => {
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a provider thread that dies', () => {
  it('is started again at the same issuer with its token lifetimes, clock skew and faults', async () => {
    await idp.update({ accessTokenTtl: ACCESS_TTL, clockSkewSeconds: SKEW });
    await idp.setFaults({ ...NO_FAULTS, refresh: 'invalid_grant' });
    const issuer = idp.issuer;

    await thread.worker.terminate();
    // Calls made while it restarts wait for the new thread.
    const minted = await idp.mint({ persona: 'alice', expiresInSeconds: 60 });
    expect(reports.join('\n')).toContain('the built-in identity provider\'s thread stopped; starting it again with its settings and faults');
    expect(idp.issuer).toBe(issuer);

    const now = Math.floor(Date.now() / 1000);
    expect(decodeJwt(minted.accessToken).iat).toBeGreaterThanOrEqual(now + SKEW - 5);
    const config = await discover(idp);
    const tokens = await exchange(config, await signIn(config, 'alice', { hint: true }));
    const { iat, exp } = decodeJwt(tokens.access_token);
    expect(exp! - iat!).toBe(ACCESS_TTL);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    await idp.setFaults(NO_FAULTS);
    expect((await client.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeTruthy();
  });
});
