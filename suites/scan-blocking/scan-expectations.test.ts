import { describe, expect, it } from 'vitest';
import {
  countBySeverity,
  expectedFindings,
  highestSeverity,
  showsVulnerableMessage,
  thresholdAbove,
  thresholdAt,
  thresholdName,
  unscannedMessage,
  vulnerableMessagePattern,
} from './scan-expectations.ts';

const blocked = (n: number, threshold: string) =>
  `current image with ${n} ${n > 1 ? 'vulnerabilities' : 'vulnerability'} cannot be pulled due to configured policy in 'Prevent images with vulnerability severity of "${threshold}" or higher from running.' To continue with pull, please contact your project administrator to exempt matched vulnerabilities through configuring the CVE allowlist.`;

describe('scan expectations', () => {
  it('names the threshold as Harbor does (unset → Unknown, negligible → None)', () => {
    expect(thresholdName('high')).toBe('High');
    expect(thresholdName(undefined)).toBe('Unknown');
    expect(thresholdName('')).toBe('Unknown');
    expect(thresholdName('negligible')).toBe('None');
    expect(thresholdName('bogus')).toBe('Unknown');
  });

  it('picks thresholds at and above a severity', () => {
    expect(thresholdAbove('High')).toBe('critical');
    expect(thresholdAbove('Critical')).toBeUndefined();
    expect(thresholdAbove('None')).toBe('low');
    expect(thresholdAbove('Negligible')).toBe('low');
    expect(thresholdAt('Medium')).toBe('medium');
    expect(thresholdAt('Unknown')).toBe('none');
  });

  it('matches the vulnerable message with N, singular and plural, and nothing else', () => {
    expect(vulnerableMessagePattern('High').exec(blocked(8, 'High'))?.[1]).toBe('8');
    expect(vulnerableMessagePattern('High').test(blocked(1, 'High'))).toBe(true);
    expect(vulnerableMessagePattern('Critical').test(blocked(8, 'High'))).toBe(false);
    expect(vulnerableMessagePattern('High').test(unscannedMessage('High'))).toBe(false);
  });

  it('finds the message in docker and skopeo output', () => {
    expect(showsVulnerableMessage(`Error response from daemon: unknown: ${blocked(8, 'High')}`, 'High')).toBe(true);
    const skopeo = `time="x" level=fatal msg="reading manifest v1: unknown: ${blocked(8, 'High').replace(/"/g, '\\"')}"`;
    expect(showsVulnerableMessage(skopeo, 'High')).toBe(true);
    expect(showsVulnerableMessage('Error response from daemon: manifest unknown', 'High')).toBe(false);
  });

  it('counts the fixture findings per binary package, as scan_overview does', () => {
    const debian = expectedFindings('debian');
    expect(debian.map((f) => f.id).sort()).toEqual([
      'CVE-2023-38545',
      'CVE-2023-38546',
      'CVE-2023-4527',
      'CVE-2023-4911',
    ]);
    const items = debian.flatMap((f) => f.packages.map(() => ({ severity: f.severity })));
    expect(countBySeverity(items)).toEqual({ Critical: 2, High: 2, Medium: 2, Low: 2 });
    expect(highestSeverity(items)).toBe('Critical');
    expect(highestSeverity([])).toBe('None');
  });
});
