import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExchangeRecorder } from './http-exchange.ts';
import { REDACTED, SecretRegistry, redactBody, redactHeader, redactText, redactUrl } from './redact.ts';

const ADMIN_PASSWORD = 'Harbor12345';
const ROBOT_SECRET = 'xK9#mQ2$vL7pR4wN8zT1&yB6/cF3+hJ5';
const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQ0QifQ.eyJpc3MiOiJoYXJib3ItdG9rZW4taXNzdWVyIiwic3ViIjoiYWRtaW4ifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const OPAQUE_TOKEN = 'djE6ZGVtby10b2tlbi13aXRoLW5vLWRvdHM0NTY3ODkw';

function registry(): SecretRegistry {
  return new SecretRegistry().add(ADMIN_PASSWORD).add(ROBOT_SECRET).add(OPAQUE_TOKEN);
}

/** Every way a leaked secret could still be read back out of redacted text. */
function expectNoTrace(text: string, secret: string): void {
  expect(text).not.toContain(secret);
  expect(text).not.toContain(encodeURIComponent(secret));
  expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
  // Any base64 run left in the text must not decode to something containing the secret.
  for (const run of text.match(/[A-Za-z0-9+/_-]{6,}={0,2}/g) ?? []) {
    for (let shift = 0; shift < 4; shift++) {
      const decoded = Buffer.from(run.slice(shift).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
      expect(decoded).not.toContain(secret);
    }
  }
}

describe('redaction', () => {
  it('removes Authorization values but keeps the scheme', () => {
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    expect(redactHeader('Authorization', basic)).toBe(`Basic ${REDACTED}`);
    expect(redactHeader('authorization', `Bearer ${JWT}`)).toBe(`Bearer ${REDACTED}`);
    expect(redactHeader('Proxy-Authorization', 'opaque')).toBe(REDACTED);
    expect(redactHeader('Cookie', 'sid=abc; _gorilla_csrf=def')).toBe(REDACTED);
  });

  it('keeps WWW-Authenticate challenges readable', () => {
    const challenge = 'Bearer realm="http://h/service/token",service="harbor-registry",scope="repository:p/r:pull"';
    expect(redactHeader('www-authenticate', challenge)).toBe(challenge);
    expect(redactHeader('www-authenticate', 'Basic realm="harbor"')).toBe('Basic realm="harbor"');
  });

  it('removes bearer tokens, basic credentials and JWTs from free text', () => {
    const basic = Buffer.from(`robot$p+ci:${ROBOT_SECRET}`).toString('base64');
    const text = `curl -H "Authorization: Bearer ${OPAQUE_TOKEN}" -H 'authorization: basic ${basic}' token=${JWT}`;
    const out = redactText(text);
    expect(out).not.toContain(OPAQUE_TOKEN);
    expect(out).not.toContain(basic);
    expect(out).not.toContain(JWT.split('.')[1]);
    expectNoTrace(out, ROBOT_SECRET);
  });

  it('removes secret and password JSON fields at any depth', () => {
    const body = JSON.stringify({
      id: 7,
      name: 'robot$p1+ci',
      secret: 'whatever-secret-value',
      creation_time: '2026-01-01T00:00:00Z',
      nested: [{ ldap_search_password: 'pw-in-ldap', uaa_client_secret: { value: 'uaa-secret', editable: true } }],
      token: JWT,
      access_token: 'at-value',
      empty_secret: { secret: '' },
    });
    const out = redactBody(body);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed.name).toBe('robot$p1+ci');
    expect(parsed.id).toBe(7);
    expect(parsed.secret).toBe(REDACTED);
    expect(out).not.toMatch(/whatever-secret-value|pw-in-ldap|uaa-secret|at-value/);
    expect(out).not.toContain(JWT);
    // An empty secret is not a secret: Harbor's `{"secret":""}` answer stays visible.
    expect(parsed.empty_secret).toEqual({ secret: '' });
  });

  it('removes PEM private keys (also encrypted, also cut off) but keeps certificates', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const plain = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const encrypted = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass-phrase' })
      .toString();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const cosign = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${randomBytes(90).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`;
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHHIG\n-----END CERTIFICATE-----';
    for (const pem of [plain, encrypted, rsa, cosign]) {
      const body = `key:\n${pem}\n${cert}`;
      const out = redactText(body);
      const inner = pem.split('\n')[1]!;
      expect(out).not.toContain(inner);
      expect(out).toContain(cert);
      // In a JSON field too (here the key name is harmless, the PEM pattern does the work).
      expect(redactBody(JSON.stringify({ key_pem: pem }))).not.toContain(inner);
      // And when a truncated body ends inside the key.
      expect(redactText(pem.slice(0, pem.length / 2))).not.toContain(inner.slice(0, 20));
    }
  });

  it('removes registered secrets raw, URL-encoded, JSON-escaped and in base64 at any alignment', () => {
    const secrets = registry();
    for (const secret of [ADMIN_PASSWORD, ROBOT_SECRET]) {
      for (let prefixLength = 0; prefixLength < 6; prefixLength++) {
        const prefix = 'u'.repeat(prefixLength) + ':';
        const b64 = Buffer.from(`${prefix}${secret}:tail`).toString('base64');
        const b64url = Buffer.from(`${prefix}${secret}`).toString('base64url');
        const text = [
          `password is ${secret}.`,
          `?p=${encodeURIComponent(secret)}`,
          `form=${new URLSearchParams({ s: secret }).toString()}`,
          `json ${JSON.stringify({ note: `said ${secret}` })}`,
          `raw base64 ${b64} and url-safe ${b64url}`,
        ].join('\n');
        const out = redactText(text, secrets);
        expectNoTrace(out, secret);
      }
    }
  });

  it('survives random secrets (property check)', () => {
    for (let i = 0; i < 200; i++) {
      const secret =
        randomBytes(6 + (i % 30))
          .toString('base64')
          .replace(/=+$/, '') + '!$&';
      const secrets = new SecretRegistry().add(secret);
      const wrapped = Buffer.from(
        `${randomBytes(i % 7).toString('hex')}${secret}${randomBytes(3).toString('hex')}`,
      ).toString('base64');
      const out = redactText(`a ${secret} b ${encodeURIComponent(secret)} c ${wrapped}`, secrets);
      expectNoTrace(out, secret);
    }
  });

  it('removes credentials from URLs', () => {
    const secrets = registry();
    const out = redactUrl(
      `https://admin:${ADMIN_PASSWORD}@h/api?x=1&password=p4ss&client_secret=cs&q=${ROBOT_SECRET}`,
      secrets,
    );
    expect(out).not.toMatch(/p4ss|=cs\b/);
    expectNoTrace(out, ADMIN_PASSWORD);
    expectNoTrace(out, ROBOT_SECRET);
    expect(out).toContain('x=1');
  });

  it('refuses secrets too short to redact safely', () => {
    expect(() => new SecretRegistry().add('abc')).toThrow(/shorter than 4/);
  });
});

describe('ExchangeRecorder', () => {
  it('records exchanges with no secret left in any form', () => {
    const secrets = registry();
    const recorder = new ExchangeRecorder({ secrets });
    const basic = Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    recorder.record({
      startedAt: new Date(),
      durationMs: 12.345,
      method: 'POST',
      url: `http://admin:${ADMIN_PASSWORD}@127.0.0.1:8080/api/v2.0/robots?token=${OPAQUE_TOKEN}`,
      requestHeaders: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/json',
        'X-Ignored': ROBOT_SECRET,
      },
      requestBody: {
        kind: 'bytes',
        bytes: Buffer.from(
          JSON.stringify({ name: 'ci', secret: ROBOT_SECRET, note: `pw ${ADMIN_PASSWORD}`, key: pem }),
        ),
      },
      status: 201,
      responseHeaders: {
        location: '/api/v2.0/robots/7',
        'content-type': 'application/json',
        'set-cookie': `sid=${OPAQUE_TOKEN}`,
      },
      responseBody: {
        kind: 'bytes',
        bytes: Buffer.from(JSON.stringify({ id: 7, name: 'robot$p+ci', secret: ROBOT_SECRET })),
      },
    });
    recorder.record({
      startedAt: new Date(),
      durationMs: 1,
      method: 'GET',
      url: 'http://127.0.0.1:8080/service/token?service=harbor-registry&scope=repository:p/r:pull',
      requestHeaders: { authorization: `Basic ${Buffer.from(`robot$p+ci:${ROBOT_SECRET}`).toString('base64')}` },
      requestBody: { kind: 'none' },
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: { kind: 'bytes', bytes: Buffer.from(JSON.stringify({ token: JWT, expires_in: 1800 })) },
    });
    recorder.record({
      startedAt: new Date(),
      durationMs: 1,
      method: 'GET',
      url: 'http://127.0.0.1:8080/v2/p/r/blobs/sha256:00',
      requestHeaders: { authorization: `Bearer ${JWT}` },
      requestBody: { kind: 'none' },
      error: new Error(`socket hang up while sending Bearer ${OPAQUE_TOKEN}`),
    });
    const evidence = JSON.stringify(recorder.exchanges);
    for (const secret of [ADMIN_PASSWORD, ROBOT_SECRET, OPAQUE_TOKEN]) expectNoTrace(evidence, secret);
    expect(evidence).not.toContain(JWT.split('.')[1]);
    expect(evidence).not.toContain(pem.split('\n')[1]);
    expect(evidence).not.toContain(basic);
    const first = recorder.exchanges[0]!;
    expect(first.request.headers.authorization).toBe(`Basic ${REDACTED}`);
    expect(first.request.headers['x-ignored']).toBeUndefined();
    expect(first.response?.status).toBe(201);
    expect(first.response?.headers.location).toBe('/api/v2.0/robots/7');
    expect(first.response?.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(first.response?.body ?? '{}')).toMatchObject({ id: 7, name: 'robot$p+ci', secret: REDACTED });
  });

  it('truncates long bodies, describes binary and streamed ones, and slices by mark', () => {
    const recorder = new ExchangeRecorder({ maxBodyChars: 100 });
    const base = {
      startedAt: new Date(),
      durationMs: 1,
      method: 'GET',
      url: 'http://h/x',
      requestHeaders: {},
      requestBody: { kind: 'none' } as const,
    };
    recorder.record({
      ...base,
      status: 200,
      responseHeaders: { 'content-type': 'text/plain' },
      responseBody: { kind: 'bytes', bytes: Buffer.alloc(5000, 'a') },
    });
    const mark = recorder.mark();
    recorder.record({
      ...base,
      status: 200,
      responseHeaders: { 'content-type': 'application/octet-stream' },
      responseBody: { kind: 'bytes', bytes: randomBytes(64) },
    });
    recorder.record({ ...base, status: 200, responseHeaders: {}, responseBody: { kind: 'stream' } });
    expect(recorder.exchanges[0]!.response!.body).toMatch(/^a{100}… \[truncated, 5000 chars\]$/);
    const later = recorder.since(mark);
    expect(later).toHaveLength(2);
    expect(later[0]!.response!.body).toBe('[application/octet-stream body of 64 bytes, not recorded]');
    expect(later[1]!.response!.body).toBe('[stream, not recorded]');
  });
});
