import { describe, expect, it } from 'vitest';
import { harborRelease } from '../official/harbor-release.ts';
import { EnvironmentError } from '../environment.ts';
import { MAPPED_CHARTS, chartLine, harborChartFor } from './harbor-chart-version.ts';

describe("Harbor's chart version for a Harbor release", () => {
  it.each([
    ['v2.15.2', '1.19.2'],
    ['v2.15.0', '1.19.0'],
    ['v2.14.4', '1.18.4'],
    ['v2.13.0', '1.17.0'],
    ['v2.13.5', '1.17.5'],
  ])('Harbor %s ships in chart %s', (harbor, chart) => {
    expect(harborChartFor(harborRelease(harbor)).version).toBe(chart);
  });

  it('names where each pair was read in goharbor/harbor-helm', () => {
    expect(harborChartFor(harborRelease('v2.14.4')).source).toBe('tag v1.18.4');
    expect(harborChartFor(harborRelease('v2.15.2')).source).toMatch(/^branch 1\.19\.0 @d84cec3/);
    expect(MAPPED_CHARTS).toHaveLength(6 + 5 + 3);
  });

  it('refuses a release without a known chart in one line', () => {
    const error = (() => {
      try {
        harborChartFor(harborRelease('v2.15.3'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe(
      'no goharbor/harbor chart is known for Harbor v2.15.3 (the kind environment maps v2.13.0 … v2.15.2): choose one of those with HC_HARBOR_VERSION',
    );
  });

  it('the chart line of a version', () => {
    expect(chartLine('1.19.2')).toBe('1.19');
  });
});
