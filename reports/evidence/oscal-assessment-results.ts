// The run's results as an OSCAL assessment-results document (OSCAL 1.1.3): one result for the run, one
// observation per check (method TEST, its evidence file as relevant-evidence) and one finding per control,
// satisfied when the control matrix says a check passed. Controls become OSCAL tokens (800-53 "SI-7(15)"
// is the catalog's "si-7.15"; other frameworks keep their name, slugged) with the original in a prop.
import { randomUUID } from 'node:crypto';
import type { Summary } from '../summary.ts';
import type { ControlMatrix } from './control-matrix.ts';
import type { OscalAssessmentResults } from './oscal-assessment-results-schema.ts';

export const OSCAL_VERSION = '1.1.3';
const NS = 'https://github.com/harbor-conformance/ns/oscal';

export function controlToken(control: string): string {
  const nist53 = control.match(/^NIST SP 800-53 ([A-Z]{2})-(\d+)(?:\((\d+)\))?$/);
  if (nist53) return `${nist53[1]!.toLowerCase()}-${nist53[2]}${nist53[3] ? `.${nist53[3]}` : ''}`;
  const slug = control
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z_]/.test(slug) ? slug : `_${slug}`;
}

export function buildOscalAssessmentResults(
  summary: Summary,
  matrix: ControlMatrix,
  evidenceFiles: ReadonlySet<string>,
): OscalAssessmentResults {
  const observationIds = new Map<string, string>();
  const observations = summary.checks.map((check) => {
    const id = randomUUID();
    observationIds.set(check.id, id);
    const file = `evidence/${check.id}.json`;
    return {
      uuid: id,
      title: `${check.id} ${check.title}`.slice(0, 500),
      description: `Verdict ${check.status}${check.reason ? `: ${check.reason}` : ''}`,
      props: [
        { name: 'check-id', value: check.id, ns: NS },
        { name: 'verdict', value: check.status, ns: NS },
        { name: 'suite', value: check.suite, ns: NS },
      ],
      methods: ['TEST' as const],
      types: ['finding'],
      ...(evidenceFiles.has(file)
        ? {
            'relevant-evidence': [
              { href: file, description: `Redacted HTTP exchanges, digests, timings and notes of ${check.id}` },
            ],
          }
        : {}),
      collected: summary.run.finished,
    };
  });
  const findings = matrix.controls.map((row) => {
    const related = row.checks.map((c) => observationIds.get(c.id)).filter((id): id is string => id !== undefined);
    return {
      uuid: randomUUID(),
      title: row.control,
      description: `${row.control}: ${row.status} (${row.checks.map((c) => `${c.id} ${c.verdict}`).join(', ')})`,
      props: [
        { name: 'control', value: row.control, ns: NS },
        { name: 'framework', value: row.framework, ns: NS },
      ],
      target: {
        type: 'objective-id' as const,
        'target-id': controlToken(row.control),
        status: {
          state: row.status === 'passed' ? ('satisfied' as const) : ('not-satisfied' as const),
          reason: row.status === 'passed' ? 'pass' : row.status === 'failed' ? 'fail' : 'other',
        },
      },
      ...(related.length > 0 ? { 'related-observations': related.map((id) => ({ 'observation-uuid': id })) } : {}),
    };
  });
  const controlIds = [...new Set(matrix.controls.map((c) => controlToken(c.control)))];
  return {
    'assessment-results': {
      uuid: randomUUID(),
      metadata: {
        title: `Harbor conformance ${summary.run.id}: ${summary.target.kind} Harbor ${summary.target.harbor_version}`,
        'last-modified': summary.run.finished,
        version: summary.run.harness_version,
        'oscal-version': OSCAL_VERSION,
        props: [{ name: 'target-url', value: summary.target.url, ns: NS }],
      },
      'import-ap': {
        href: `urn:harbor-conformance:assessment-plan:${summary.run.harness_version}`,
        remarks: 'The plan is the harness check catalog (`harbor-conformance list --json`).',
      },
      results: [
        {
          uuid: randomUUID(),
          title: `Run ${summary.run.id}`,
          description: `harbor-conformance ${summary.run.harness_version} against ${summary.target.kind} Harbor ${summary.target.harbor_version} at ${summary.target.url}: ${summary.totals.passed} passed, ${summary.totals.warn} warn, ${summary.totals.failed} failed, ${summary.totals.skipped} skipped.`,
          start: summary.run.started,
          end: summary.run.finished,
          'reviewed-controls': {
            'control-selections': [
              controlIds.length > 0
                ? { 'include-controls': controlIds.map((id) => ({ 'control-id': id })) }
                : { 'include-all': {} },
            ],
          },
          ...(observations.length > 0 ? { observations } : {}),
          ...(findings.length > 0 ? { findings } : {}),
        },
      ],
    },
  };
}
