import { describe, expect, it } from 'vitest';
import { breakagesFor, KNOWN_BREAKAGES } from './known-breakages.ts';
import { crosses } from './release-range.ts';

describe('known upgrade breakages', () => {
  it('apply to the jumps that cross their release, and only those', () => {
    expect(crosses('v2.15.1', 'v2.15.2', '2.15.2')).toBe(true);
    expect(crosses('v2.15.2', 'v2.15.3', '2.15.2')).toBe(false);
    expect(breakagesFor('v2.15.1', 'v2.15.2').map((b) => b.id)).toEqual(['GATE-BRK-001', 'GATE-BRK-002']);
    expect(breakagesFor('v2.7.0', 'v2.8.4').map((b) => b.id)).toEqual(['GATE-BRK-007']);
    expect(breakagesFor('v2.15.3', 'v2.15.3-double')).toEqual([]);
  });

  it('each names its sources in goharbor/harbor and what to do before upgrading', () => {
    for (const b of KNOWN_BREAKAGES) {
      expect(
        b.sources.every((s) => s.startsWith('goharbor/harbor')),
        b.id,
      ).toBe(true);
      expect(b.before.length, b.id).toBeGreaterThan(30);
    }
  });
});
