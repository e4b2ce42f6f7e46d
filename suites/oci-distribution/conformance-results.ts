// The OCI distribution-spec conformance program's junit.xml, read back: one entry per test of the program
// (`OCI Conformance Test/<data set>/<step>/<api>`), sorted into the spec's four workflow categories
// (pull, push, content discovery, content management: distribution-spec conformance/README and spec.md
// "Workflow Categories"), so each category becomes one check of this harness.
import { XMLParser } from 'fast-xml-parser';

export type SpecCategory = 'pull' | 'push' | 'discovery' | 'management';
export type ProgramStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface ProgramTest {
  /** The program's test name without the `OCI Conformance Test/` root, e.g. `image/push/manifest-by-tag`. */
  name: string;
  status: ProgramStatus;
  /** The errors the program reported (its system-out). */
  errors: string;
  /** The requests and responses it logged (its system-err; credentials already masked by the program). */
  log: string;
  seconds: number;
}

const ROOT = 'OCI Conformance Test/';

export function parseJunit(xml: string): ProgramTest[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testcase' || name === 'testsuite',
  });
  const doc = parser.parse(xml) as { testsuites?: { testsuite?: Array<{ testcase?: JunitCase[] }> } };
  const cases = (doc.testsuites?.testsuite ?? []).flatMap((suite) => suite.testcase ?? []);
  return cases.map((c) => ({
    name: c.name.startsWith(ROOT) ? c.name.slice(ROOT.length) : c.name,
    status: statusOf(c),
    errors: text(c['system-out']) || text(c.failure?.message) || text(c.error?.message),
    log: text(c['system-err']),
    seconds: Number(c.time ?? 0),
  }));
}

interface JunitCase {
  name: string;
  status?: string;
  time?: string;
  failure?: { message?: string };
  error?: { message?: string };
  skipped?: unknown;
  'system-out'?: unknown;
  'system-err'?: unknown;
}

function statusOf(c: JunitCase): ProgramStatus {
  switch (c.status) {
    case 'passed':
      return 'passed';
    case 'failure':
      return 'failed';
    case 'skipped':
      return 'skipped';
    default:
      return c.failure ? 'failed' : c.skipped !== undefined ? 'skipped' : 'error';
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return decodeCharacterReferences(value);
  if (value && typeof value === 'object' && '#text' in value)
    return decodeCharacterReferences(String((value as { '#text': unknown })['#text']));
  return '';
}

/** Go's encoding/xml writes `&#34;` and `&#xA;`; the parser leaves numeric references alone. */
function decodeCharacterReferences(value: string): string {
  return value.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (_, code: string) =>
    String.fromCodePoint(code.startsWith('x') ? Number.parseInt(code.slice(1), 16) : Number(code)),
  );
}

const DISCOVERY = new Set(['tag-list', 'tag list', 'referrers']);
const MANAGEMENT = new Set(['delete', 'tag-delete', 'manifest-delete', 'blob-delete']);

/**
 * The spec category of one program test, by its steps: listing tags and referrers is discovery, deleting is
 * management, uploading blobs and putting manifests is push, everything else (ping, GET/HEAD of blobs and
 * manifests, range requests, missing content) is pull.
 */
export function categoryOf(name: string): SpecCategory {
  const steps = name.split('/');
  if (steps.some((s) => DISCOVERY.has(s))) return 'discovery';
  if (steps.some((s) => MANAGEMENT.has(s))) return 'management';
  const last = steps[steps.length - 1] ?? '';
  if (steps.includes('push') || /^blob-(post|patch|put|mount)/.test(last) || last === 'manifest-put') return 'push';
  return 'pull';
}

/** A limitation of the registry Harbor embeds, recognised by the failing test and its error. */
export interface KnownLimitation {
  test: RegExp;
  error: RegExp;
  fact: string;
  source: string;
}

export interface CategoryVerdict {
  tests: ProgramTest[];
  failed: ProgramTest[];
  /** Failed tests explained by a known limitation (the check warns with it instead of failing). */
  limited: Array<{ test: ProgramTest; limitation: KnownLimitation }>;
  /** Failed tests no limitation explains: the check fails with them. */
  unexplained: ProgramTest[];
}

export function judgeCategory(
  all: readonly ProgramTest[],
  category: SpecCategory,
  limitations: readonly KnownLimitation[],
): CategoryVerdict {
  const tests = all.filter((t) => categoryOf(t.name) === category);
  const failed = tests.filter((t) => t.status === 'failed' || t.status === 'error');
  const limited: CategoryVerdict['limited'] = [];
  const unexplained: ProgramTest[] = [];
  for (const test of failed) {
    const limitation = limitations.find((l) => l.test.test(test.name) && l.error.test(test.errors));
    if (limitation) limited.push({ test, limitation });
    else unexplained.push(test);
  }
  return { tests, failed, limited, unexplained };
}
