import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeOrigins, validateRedirect } from '../../electron/engine/auth/redirect.ts';

interface PayloadFile {
  origins: string[];
  reject: string[];
  keep: string[];
}

function loadPayloads(): PayloadFile {
  const text = readFileSync(new URL('../fixtures/open-redirect-payloads.txt', import.meta.url), 'utf8');
  const file: PayloadFile = { origins: [], reject: [], keep: [] };
  let section: keyof PayloadFile | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(origins|reject|keep)\]$/.exec(line);
    if (header) {
      section = header[1] as keyof PayloadFile;
      continue;
    }
    if (!section) throw new Error(`payload outside a section: ${line}`);
    file[section].push(line.startsWith('json:') ? (JSON.parse(line.slice(5)) as string) : line);
  }
  return file;
}

const payloads = loadPayloads();

describe('validateRedirect against the payload file', () => {
  it('has several hundred hostile payloads and a keep table', () => {
    expect(payloads.origins.length).toBeGreaterThan(0);
    expect(payloads.reject.length).toBeGreaterThan(500);
    expect(payloads.keep.length).toBeGreaterThan(10);
  });

  it('turns every hostile payload into "/"', () => {
    const escaped = payloads.reject.filter((p) => validateRedirect(p, payloads.origins) !== '/');
    expect(escaped).toEqual([]);
  });

  it.each(payloads.keep)('keeps %j', (p) => {
    expect(validateRedirect(p, payloads.origins)).toBe(p);
  });
});

describe('validateRedirect rules', () => {
  const origins = ['http://localhost:8080', 'https://app.example.test/'];

  it.each([
    [undefined, '/'],
    [null, '/'],
    ['', '/'],
    ['/dashboard?x=1', '/dashboard?x=1'],
    ['/dashboard', '/dashboard'],
    ['//evil.test', '/'],
    ['/\\evil.test', '/'],
    ['\\/evil.test', '/'],
    ['/\t/evil.test', '/'],
    ['/%2f%2fevil.test', '/'],
    ['/%252f%252fevil.test', '/'],
    ['/../..//evil.test', '/'],
    ['http://localhost:8080@evil.test', '/'],
    ['http://evil.test\\@localhost:8080', '/'],
    ['javascript:alert(1)', '/'],
    ['JaVaScRiPt:alert(1)', '/'],
    ['data:text/html,x', '/'],
    ['https:evil.test', '/'],
    ['http:/evil.test', '/'],
    ['http://loc\u0430lhost:8080/', '/'],
    ['http://localhost:8081/', '/'],
    ['http://localhost:8080/ok', 'http://localhost:8080/ok'],
    ['https://app.example.test/ok', 'https://app.example.test/ok'],
  ] as const)('%j -> %j', (candidate, expected) => {
    expect(validateRedirect(candidate, origins)).toBe(expected);
  });

  it('refuses absolute URLs when no origin is listed', () => {
    expect(validateRedirect('http://localhost:8080/ok', [])).toBe('/');
  });

  it('refuses a redirect too long to travel in the CSRF cookie', () => {
    expect(validateRedirect('/' + 'a'.repeat(2048), [])).toBe('/');
    expect(validateRedirect('/' + 'a'.repeat(2000), [])).toBe('/' + 'a'.repeat(2000));
  });

  it('refuses the default port spelled out: only the host as the URL parser writes it is compared', () => {
    expect(validateRedirect('https://app.example.test:443/x', origins)).toBe('/');
  });

  it.each([
    [['http://localhost:8080/'], ['http://localhost:8080']],
    [['http://localhost:8080/some/path'], ['http://localhost:8080']],
    [['HTTP://LOCALHOST:8080'], ['http://localhost:8080']],
    [['not a url', 'ftp://x.test', 'http://u:p@x.test'], []],
  ])('normalizeOrigins(%j) -> %j', (input, expected) => {
    expect([...normalizeOrigins(input)]).toEqual(expected);
  });
});
