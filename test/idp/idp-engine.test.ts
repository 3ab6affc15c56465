// The engine hands the built-in provider its settings: service clients with their secrets
// resolved, token lifetimes, and persona claims (also when the personas are saved later).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { createBrowser } from '../support/browser.ts';
import { signInWithHint } from '../support/signin.ts';

const SECRET_ENV = 'PORTCULLIS_TEST_REPORTS_JOB_SECRET';
const secret = 'reports-job-secret-from-the-environment';

let t: TestEngine;
const notices: string[] = [];

beforeAll(async () => {
  process.env[SECRET_ENV] = secret;
  t = await startTestEngine({
    log: (line) => notices.push(line),
    builtinIdp: {
      accessTokenTtl: 120,
      clients: [
        { clientId: 'reports-job', clientSecret: { env: SECRET_ENV }, claims: { roles: ['reporter'] } },
        { clientId: 'orphan-job', clientSecret: { env: 'PORTCULLIS_TEST_UNSET_SECRET' } },
      ],
    },
  });
});

afterAll(async () => {
  await t?.close();
  delete process.env[SECRET_ENV];
});

async function clientCredentials(clientId: string, clientSecret: string) {
  const res = await fetch(`http://127.0.0.1:${t.idpPort}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the engine passes builtinIdp settings to the provider', () => {
  it('runs the service clients of the settings, their secret read from the environment', async () => {
    const { status, body } = await clientCredentials('reports-job', secret);
    expect(status).toBe(200);
    expect(body.expires_in).toBe(120);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ sub: 'reports-job', roles: ['reporter'], aud: 'portcullis' });
  });

  it('leaves out a client whose secret cannot be read, and says why', async () => {
    expect((await clientCredentials('orphan-job', 'any-guess')).status).toBe(401);
    expect(notices.join('\n')).toMatch(/\$\.builtinIdp\.clients\[1\]\.clientSecret: environment variable PORTCULLIS_TEST_UNSET_SECRET is not set: service client "orphan-job" cannot get tokens/);
    expect(notices.join('\n')).not.toContain(secret);
  });

  it('gives personas saved later their claims', async () => {
    const users = (await t.engine.getState()).personas;
    await t.engine.savePersonas(users.map((u) => (u.username === 'alice' ? { ...u, claims: { plan: 'pro', realm_access: { roles: ['admin'] } } } : u)));
    await signInWithHint(createBrowser(), `http://localhost:${t.appPort}`, 'alice');
    const [session] = await t.engine.listSessions();
    expect(session.idToken?.jwt?.claims).toMatchObject({ sub: 'alice', plan: 'pro', realm_access: { roles: ['admin'] } });
    expect(session.accessToken?.jwt?.claims).toMatchObject({ plan: 'pro', aud: 'portcullis' });
    const { exp, iat } = session.accessToken!.jwt!.claims as { exp: number; iat: number };
    expect(exp - iat).toBe(120);
  });
});
