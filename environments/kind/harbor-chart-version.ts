// Which goharbor/harbor Helm chart ships which Harbor release. Read from goharbor/harbor-helm: each
// release's Chart.yaml (`version` / `appVersion`) at its tag, or at the release branch's "Bump version"
// commit where the snapshot had no tag yet. A Harbor release missing here has no chart to map to.
import { EnvironmentError } from '../environment.ts';
import { harborRelease, type HarborRelease } from '../official/harbor-release.ts';

export interface HarborChart {
  /** Chart version as `helm install --version` takes it, e.g. 1.19.2 */
  version: string;
  /** Harbor release the chart's appVersion names. */
  harborVersion: string;
  /** Where in goharbor/harbor-helm the pair was read. */
  source: string;
}

/** `chart minor line → Harbor minor`, with the highest patch of each line and its source. */
const CHART_LINES: Array<{
  harborMinor: string;
  chartMinor: string;
  lastPatch: number;
  untagged?: Record<number, string>;
}> = [
  {
    harborMinor: '2.13',
    chartMinor: '1.17',
    lastPatch: 5,
    untagged: { 5: 'branch 1.17.0 @5c824b5 "Bump version to 1.17.5, appVersion to 2.13.5"' },
  },
  { harborMinor: '2.14', chartMinor: '1.18', lastPatch: 4 },
  {
    harborMinor: '2.15',
    chartMinor: '1.19',
    lastPatch: 2,
    untagged: { 2: 'branch 1.19.0 @d84cec3 "Bump version to 1.19.2, appVersion to 2.15.2"' },
  },
];

/** Every Harbor release with a chart, oldest first. */
export const MAPPED_CHARTS: HarborChart[] = CHART_LINES.flatMap((line) =>
  Array.from({ length: line.lastPatch + 1 }, (_, patch) => ({
    version: `${line.chartMinor}.${patch}`,
    harborVersion: `v${line.harborMinor}.${patch}`,
    source: line.untagged?.[patch] ?? `tag v${line.chartMinor}.${patch}`,
  })),
);

export function harborChartFor(release: HarborRelease): HarborChart {
  const chart = MAPPED_CHARTS.find((c) => c.harborVersion === release.version);
  if (!chart) {
    const known = `${MAPPED_CHARTS[0]?.harborVersion} … ${MAPPED_CHARTS.at(-1)?.harborVersion}`;
    throw new EnvironmentError(
      `no goharbor/harbor chart is known for Harbor ${release.version} (the kind environment maps ${known}): choose one of those with HC_HARBOR_VERSION`,
    );
  }
  return chart;
}

/** The chart line (e.g. 1.19) whose values keys a chart version has. */
export function chartLine(chartVersion: string): string {
  return chartVersion.split('.').slice(0, 2).join('.');
}

export function harborChartForVersion(version: string): { release: HarborRelease; chart: HarborChart } {
  const release = harborRelease(version);
  return { release, chart: harborChartFor(release) };
}
