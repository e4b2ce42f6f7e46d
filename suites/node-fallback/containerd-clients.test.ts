import { describe, expect, it } from 'vitest';
import { containerdAddress, missingCtrReason } from './containerd-clients.ts';

describe('containerd clients', () => {
  it('a missing ctr names the Debian package, in the shape the selftest counts as a missing real tool', () => {
    expect(missingCtrReason()).toMatch(/ is not installed: /);
    expect(missingCtrReason()).toContain('apt-get install containerd');
  });
  it('HC_CONTAINERD_ADDRESS wins when the socket exists; none found is null', () => {
    expect(containerdAddress({ HC_CONTAINERD_ADDRESS: '/' })).toBe('/');
    const found = containerdAddress({ HC_CONTAINERD_ADDRESS: '/nonexistent/containerd.sock' });
    expect(found === null || found.endsWith('containerd.sock')).toBe(true);
  });
});
