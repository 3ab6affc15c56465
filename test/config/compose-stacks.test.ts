// docker-compose files shaped like the stacks Portcullis replaces: oauth2-proxy beside a front
// proxy (nginx auth_request, HAProxy) that routes to the app, so oauth2-proxy itself has no app
// upstream. The import finds the app service, targets the port it publishes, and says so.
import { describe, expect, it } from 'vitest';
import { importConfig } from '../../electron/engine/config/import.ts';

const oauth2Proxy = (upstream: string | null) => `
  oauth2-proxy:
    image: quay.io/oauth2-proxy/oauth2-proxy:v7.6.0
    environment:
      OAUTH2_PROXY_PROVIDER: oidc
      OAUTH2_PROXY_OIDC_ISSUER_URL: https://tenant.eu.auth0.com/
      OAUTH2_PROXY_CLIENT_ID: flask-app
      OAUTH2_PROXY_CLIENT_SECRET: do-not-copy-me
      OAUTH2_PROXY_COOKIE_SECRET: do-not-copy-either
      OAUTH2_PROXY_HTTP_ADDRESS: 0.0.0.0:4180
      OAUTH2_PROXY_REVERSE_PROXY: "true"${upstream ? `\n      OAUTH2_PROXY_UPSTREAMS: ${upstream}` : ''}`;

const stacks: Array<[string, string, string, RegExp]> = [
  ['Flask behind HAProxy, oauth2-proxy answering auth only (static://202)', `services:
  haproxy:
    image: haproxy:2.8
    ports: ["8080:80"]
    volumes: ["./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"]
  web:
    build: .
    ports:
      - "127.0.0.1:5000:5000"
${oauth2Proxy('static://202')}
  redis:
    image: redis:7
    ports: ["6379:6379"]
`, 'http://127.0.0.1:5000', /compose service "web" \("haproxy" routes to it in the stack\) at http:\/\/127\.0\.0\.1:5000/],
  ['an app behind nginx auth_request, oauth2-proxy with no upstream at all', `services:
  proxy:
    image: nginx:1.27
    ports: ["80:80"]
  app:
    image: ghcr.io/acme/dashboard:latest
    ports:
      - published: 8501
        target: 8501
${oauth2Proxy(null)}
`, 'http://127.0.0.1:8501', /compose service "app" \("proxy" routes to it in the stack\) at http:\/\/127\.0\.0\.1:8501/],
];

describe('compose stacks with a front proxy', () => {
  it.each(stacks)('%s', (_name, text, target, warning) => {
    const { config, warnings } = importConfig(text, 'docker-compose.yml');
    expect(config.upstreams[0].target).toBe(target);
    expect(warnings).toContainEqual(expect.stringMatching(warning));
    expect(config.providers[0]).toMatchObject({ type: 'oidc', issuer: 'https://tenant.eu.auth0.com/', clientSecret: { env: 'OAUTH2_PROXY_CLIENT_SECRET' } });
    expect(JSON.stringify({ config, warnings })).not.toMatch(/do-not-copy/);
  });

  it('says which services could be the app when more than one publishes a port, and keeps the default target', () => {
    const text = `services:\n  api:\n    image: acme/api\n    ports: ["5000:5000"]\n  ui:\n    image: acme/ui\n    ports: ["3000:3000"]\n${oauth2Proxy('static://202')}\n`;
    const { config, warnings } = importConfig(text, 'compose.yaml');
    expect(warnings).toContainEqual(expect.stringMatching(/several compose services could be the app \("api", "ui"\)/));
    expect(config.upstreams[0].target).not.toMatch(/static:/);
  });

  it('asks for a published port when the app service has none', () => {
    const text = `services:\n  app:\n    image: acme/app\n    expose: ["5000"]\n${oauth2Proxy('static://202')}\n`;
    const { warnings } = importConfig(text, 'compose.yaml');
    expect(warnings).toContainEqual(expect.stringMatching(/"app" publishes no port/));
  });
});
