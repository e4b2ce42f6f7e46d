import { expect, test } from 'vitest';
import { buildSummary } from '../summary.ts';
import { buildControlMatrix } from './control-matrix.ts';
import { buildOscalAssessmentResults, controlToken } from './oscal-assessment-results.ts';
import { oscalProblems } from './oscal-assessment-results-schema.ts';

const summary = buildSummary({
  target: { kind: 'offline', url: 'http://127.0.0.1:1', harborVersion: 'v2.15.3-double' },
  runId: 'hc-oscal',
  started: new Date('2026-12-01T09:00:00Z'),
  finished: new Date('2026-12-01T09:01:00Z'),
  harnessVersion: '0.1.0',
  environment: 'offline',
  checks: [
    {
      id: 'SIGN-004',
      title: 'content trust',
      suite: 'signing',
      status: 'passed',
      reason: null,
      controls: ['NIST SP 800-53 SI-7(15)', 'NIST SP 800-190 4.1.5'],
      duration_ms: 1,
    },
    {
      id: 'SEC-001',
      title: 'default password',
      suite: 'security-defaults',
      status: 'failed',
      reason: 'Harbor12345',
      controls: ['NIST SP 800-53 IA-5(1)'],
      duration_ms: 1,
    },
  ],
});

test('controls become OSCAL tokens: 800-53 as in the NIST catalog, others slugged', () => {
  expect(controlToken('NIST SP 800-53 SI-7(15)')).toBe('si-7.15');
  expect(controlToken('NIST SP 800-53 AC-6')).toBe('ac-6');
  expect(controlToken('NIST SP 800-190 4.1.5')).toBe('nist-sp-800-190-4.1.5');
  expect(controlToken('SLSA v1.0 verifying artifacts')).toBe('slsa-v1.0-verifying-artifacts');
});

test('the document conforms: one observation per check, one finding per control (satisfied when a check passed)', () => {
  const matrix = buildControlMatrix(summary.checks, new Set(['evidence/SIGN-004.json']));
  const doc = buildOscalAssessmentResults(summary, matrix, new Set(['evidence/SIGN-004.json']));
  expect(oscalProblems(doc)).toEqual([]);
  const result = doc['assessment-results'].results[0]!;
  expect(result.observations?.map((o) => o['relevant-evidence']?.[0]?.href ?? null)).toEqual([
    'evidence/SIGN-004.json',
    null,
  ]);
  expect(result.findings?.map((f) => [f.target['target-id'], f.target.status.state])).toEqual([
    ['nist-sp-800-190-4.1.5', 'satisfied'],
    ['ia-5.1', 'not-satisfied'],
    ['si-7.15', 'satisfied'],
  ]);
});

test('the schema rejects what the model requires: a missing import-ap, an empty results list, a bad method, a field typo', () => {
  const matrix = buildControlMatrix(summary.checks, new Set());
  const doc = buildOscalAssessmentResults(summary, matrix, new Set()) as unknown as {
    'assessment-results': Record<string, unknown>;
  };
  const ar = doc['assessment-results'];
  expect(oscalProblems({ 'assessment-results': { ...ar, 'import-ap': undefined } })).toEqual([
    expect.stringContaining('assessment-results.import-ap'),
  ]);
  expect(oscalProblems({ 'assessment-results': { ...ar, results: [] } })).toEqual([
    expect.stringContaining('assessment-results.results'),
  ]);
  const results = structuredClone(ar['results']) as Array<{ observations: Array<{ methods: string[] }> }>;
  results[0]!.observations[0]!.methods = ['GUESS'];
  expect(oscalProblems({ 'assessment-results': { ...ar, results } })[0]).toContain('methods');
  expect(oscalProblems({ 'assessment-results': { ...ar, metdata: {} } }).join('\n')).toContain('metdata');
});
