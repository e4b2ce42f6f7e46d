import { describe, expect, it } from 'vitest';
import { defaultNodeFallbackPolicy, nodeFallbackPolicySchema } from '../../policies/node-fallback-policy.ts';
import { renderFallbackTable } from './fallback-table.ts';
import { judgeRow, judgeRuns, rowFacts, type PullRun, type RecordedRequest } from './fallback-verdict.ts';

const req = (side: RecordedRequest['side'], method: string, url: string, status: number | null): RecordedRequest => ({
  side,
  method,
  url,
  status,
  ms: 1,
});
const H = '/v2/p/r/app';
const U = '/v2/r/app';
const D = 'sha256:0e5da84c60f575e90c6642ebd5ed93ec0cc661eb49811e2322a9a2aa2566794b';

/** What containerd 1.6.20 sent when Harbor refused the manifest with `status` (measured, see README). */
const fellBack = (scenario: PullRun['scenario'], status: number, blobStatus = 200): PullRun => ({
  scenario,
  containerd: 'containerd 1.6.20',
  pulled: true,
  timedOut: false,
  ms: 200,
  requests: [
    req('harbor', 'HEAD', `${H}/manifests/v1?ns=up`, 401),
    req('harbor', 'HEAD', `${H}/manifests/v1?ns=up`, status),
    req('upstream', 'HEAD', `${U}/manifests/v1`, 200),
    req('harbor', 'GET', `${H}/manifests/${D}?ns=up`, status),
    req('upstream', 'GET', `${U}/manifests/${D}`, 200),
    req('harbor', 'GET', `${H}/blobs/sha256:aa?ns=up`, blobStatus),
    ...(blobStatus === 200 ? [] : [req('upstream', 'GET', `${U}/blobs/sha256:aa`, 200)]),
  ],
});

describe('node fallback verdicts', () => {
  it('the claim is the default expectation', () => {
    expect(defaultNodeFallbackPolicy.expect.vulnerable).toBe('none');
    expect(defaultNodeFallbackPolicy.expect.stopped).toBe('upstream');
    expect(defaultNodeFallbackPolicy.resolverDeviation).toBe('warn');
  });

  it('a healthy pull served by Harbor is as expected', () => {
    const run: PullRun = {
      scenario: 'healthy',
      containerd: 'c',
      pulled: true,
      timedOut: false,
      ms: 100,
      requests: [
        req('harbor', 'HEAD', `${H}/manifests/v1`, 401),
        req('harbor', 'HEAD', `${H}/manifests/v1`, 200),
        req('harbor', 'GET', `${H}/manifests/${D}`, 200),
        req('harbor', 'GET', `${H}/blobs/sha256:aa`, 200),
      ],
    };
    const row = judgeRow(run, defaultNodeFallbackPolicy);
    expect(row.facts).toMatchObject({ manifestFrom: 'harbor', blobsFrom: ['harbor'], source: 'harbor' });
    expect(row.verdict).toBe('as expected');
  });

  it('Harbor refusing with 412 and the resolver falling back is a resolver deviation and a bypass, not a Harbor defect', () => {
    const row = judgeRow(fellBack('vulnerable', 412), defaultNodeFallbackPolicy);
    expect(row.facts.manifestFrom).toBe('upstream');
    expect(row.facts.blobsFrom).toEqual(['harbor']);
    expect(row.bypass).toBe(true);
    expect(row.verdict).toBe('resolver deviation');
    expect(row.facts.harborAnswers).toEqual(['HEAD …/manifests/v1 412', 'GET …/manifests/sha256:0e5da84c… 412']);
  });

  it.each([404, 500, 502, 503, 200])('Harbor answering a policy refusal with %i is a Harbor defect', (status) => {
    const row = judgeRow(fellBack('unsigned', status), defaultNodeFallbackPolicy);
    expect(row.verdict).toBe('Harbor defect');
  });

  it('a blob served to refused credentials is a Harbor defect; to a policy refusal it is not', () => {
    expect(judgeRow(fellBack('bad-credentials', 401, 200), defaultNodeFallbackPolicy).verdict).toBe('Harbor defect');
    expect(judgeRow(fellBack('bad-credentials', 401, 401), defaultNodeFallbackPolicy).verdict).toBe(
      'resolver deviation',
    );
  });

  it('a missing image must be 404 from Harbor; a 500 there is a Harbor defect', () => {
    expect(judgeRow(fellBack('not-found', 404), defaultNodeFallbackPolicy).verdict).toBe('resolver deviation');
    expect(judgeRow(fellBack('not-found', 500), defaultNodeFallbackPolicy).verdict).toBe('Harbor defect');
  });

  it('a pull that never answered counts as no image, and says it was stopped at the bound', () => {
    const run: PullRun = {
      scenario: 'black-holed',
      containerd: 'c',
      pulled: false,
      timedOut: true,
      ms: 8000,
      requests: [req('harbor', 'HEAD', `${H}/manifests/v1`, null)],
    };
    const row = judgeRow(run, defaultNodeFallbackPolicy);
    expect(rowFacts(run).source).toBe('none');
    expect(row.verdict).toBe('resolver deviation');
    expect(row.reasons.join()).toContain('stopped at the bound');
  });

  it('a pull stopped at the bound after the upstream served the manifest still brought the image', () => {
    const run = { ...fellBack('bad-credentials', 401, 401), pulled: false, timedOut: true };
    const row = judgeRow(run, defaultNodeFallbackPolicy);
    expect(row.facts.source).toBe('upstream');
    expect(row.bypass).toBe(true);
  });

  it('a pull stopped at the bound after the upstream resolved the refused tag was taking it from the upstream', () => {
    const run: PullRun = {
      ...fellBack('bad-credentials', 401, 401),
      pulled: false,
      timedOut: true,
      requests: [req('harbor', 'HEAD', `${H}/manifests/v1`, 401), req('upstream', 'HEAD', `${U}/manifests/v1`, 200)],
    };
    expect(judgeRow(run, defaultNodeFallbackPolicy)).toMatchObject({ bypass: true, verdict: 'resolver deviation' });
    const noUpstream = { ...run, requests: [req('harbor', 'HEAD', `${H}/manifests/v1`, 401)] };
    expect(judgeRow(noUpstream, defaultNodeFallbackPolicy).facts.source).toBe('none');
  });

  it('with Harbor as the only mirror the expectation is Harbor or nothing, whatever the policy says', () => {
    const lenient = nodeFallbackPolicySchema.parse({ expect: { vulnerable: 'upstream' } });
    const refused: PullRun = {
      ...fellBack('vulnerable', 412),
      mirrors: 'harbor-only',
      pulled: false,
      requests: [req('harbor', 'HEAD', `${H}/manifests/v1`, 412)],
    };
    expect(judgeRow(refused, lenient)).toMatchObject({ expected: 'none', verdict: 'as expected', bypass: false });
  });

  it('the outcome: any Harbor defect fails; deviations follow the policy; else pass', () => {
    const strict = nodeFallbackPolicySchema.parse({ resolverDeviation: 'fail' });
    expect(judgeRuns([fellBack('vulnerable', 412)], defaultNodeFallbackPolicy).outcome).toBe('warn');
    expect(judgeRuns([fellBack('vulnerable', 412)], strict).outcome).toBe('fail');
    expect(judgeRuns([fellBack('vulnerable', 404)], defaultNodeFallbackPolicy).outcome).toBe('fail');
    const lenient = nodeFallbackPolicySchema.parse({ expect: { vulnerable: 'upstream' } });
    expect(judgeRuns([fellBack('vulnerable', 412)], lenient).outcome).toBe('pass');
  });

  it('renders one readable row per pull', () => {
    const table = renderFallbackTable(judgeRuns([fellBack('vulnerable', 412)], defaultNodeFallbackPolicy).rows);
    expect(table).toContain('| containerd 1.6.20 | Harbor, upstream | 412: vulnerable image, prevent_vul |');
    expect(table).toContain('resolver deviation (refused image pulled from upstream)');
  });
});
