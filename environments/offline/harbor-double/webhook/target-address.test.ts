import { describe, expect, it } from 'vitest';
import { normaliseTargetAddress } from './target-address.ts';

describe('normaliseTargetAddress', () => {
  it('keeps scheme, host and path only (goharbor/harbor#3755)', () => {
    expect(normaliseTargetAddress(' http://user:pw@hooks.example.com:8080/a/b/?token=x#f ')).toEqual({
      ok: true,
      address: 'http://hooks.example.com:8080/a/b/',
    });
    expect(normaliseTargetAddress('hooks.example.com/x')).toEqual({ ok: true, address: 'http://hooks.example.com/x' });
    expect(normaliseTargetAddress('https://h')).toEqual({ ok: true, address: 'https://h' });
  });
  it('refuses other schemes and empty addresses with ParseEndpoint messages', () => {
    expect(normaliseTargetAddress('gopher://h:70/_x')).toEqual({ ok: false, message: 'invalid scheme: gopher' });
    expect(normaliseTargetAddress('file:///etc/passwd')).toEqual({ ok: false, message: 'invalid scheme: file' });
    expect(normaliseTargetAddress('  / ')).toEqual({ ok: false, message: 'empty URL' });
  });
  it('accepts loopback, link-local and private addresses, as v2.15 does', () => {
    for (const address of ['http://127.0.0.1/h', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/h'])
      expect(normaliseTargetAddress(address)).toEqual({ ok: true, address });
  });
});
