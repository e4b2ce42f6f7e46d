import { describe, expect, it } from 'vitest';
import { deliveryTargetRefusal, isPublicAddress, literalTargetRefusal } from './public-address.ts';

describe('the v2.15.3 webhook target guard (GHSA-2phj-cp9f-qq6w, goharbor/harbor PR #23568)', () => {
  it('blocks loopback, link-local, private, CGNAT and ULA addresses, also inside IPv6', () => {
    for (const ip of [
      '127.0.0.1',
      '169.254.169.254',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a9fe:a9fe',
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
    for (const ip of ['8.8.8.8', '140.82.112.3', '2606:4700::1111', '64:ff9b::808:808'])
      expect(isPublicAddress(ip), ip).toBe(true);
  });
  it('refuses literal non-public hosts and local names at policy time, with Harbor message', () => {
    expect(literalTargetRefusal('http://169.254.169.254/latest/meta-data')).toBe(
      'blocked non-public host: 169.254.169.254',
    );
    expect(literalTargetRefusal('http://[::1]:8080/x')).toBe('blocked non-public host: ::1');
    expect(literalTargetRefusal('http://metadata.google.internal/x')).toBe(
      'blocked non-public host: metadata.google.internal',
    );
    expect(literalTargetRefusal('http://LocalHost./x')).toBe('blocked non-public host: localhost');
    expect(literalTargetRefusal('https://hooks.example.com/x')).toBeUndefined();
  });
  it('resolves names before a delivery', async () => {
    expect(await deliveryTargetRefusal('http://localhost:1/x')).toBe('blocked non-public host: localhost');
    expect(await deliveryTargetRefusal('http://8.8.8.8/x')).toBeUndefined();
  });
});
