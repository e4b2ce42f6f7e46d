import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PullPlan } from '../engine/pull-plan.ts';
import { loadScenario, shippedScenarioNames } from '../scenarios/load-scenario.ts';
import { k6Options, renderK6Script } from './k6-script.ts';
import { typecheckK6Scripts } from './k6-typecheck.ts';

const plan: PullPlan = {
  kind: 'pull',
  endpoint: {
    baseUrl: 'http://127.0.0.1:8080',
    auth: {
      kind: 'token',
      realm: 'http://127.0.0.1:8080/service/token',
      service: 'harbor-registry',
      username: 'robot$p+puller',
      password: 'not-in-the-script-42',
    },
  },
  artifacts: [
    {
      repository: 'p/app',
      reference: 'a0',
      manifest: { digest: `sha256:${'a'.repeat(64)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json' },
      config: { digest: `sha256:${'b'.repeat(64)}`, size: 300 },
      layers: [{ digest: `sha256:${'c'.repeat(64)}`, size: 1048576 }],
    },
  ],
  connection: 'keep-alive',
  redirects: 'follow',
  requestTimeoutMs: 30_000,
};
const dir = mkdtempSync(join(tmpdir(), 'hc-k6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('k6 script', () => {
  it('every shipped scenario renders a script that typechecks against @types/k6', () => {
    const files = shippedScenarioNames().map((name) => {
      const file = join(dir, `${name}.k6.ts`);
      writeFileSync(file, renderK6Script(loadScenario(name), plan));
      return file;
    });
    expect(typecheckK6Scripts(files)).toEqual([]);
  }, 60_000);

  it('a type error in a script is reported (the check can fail)', () => {
    const file = join(dir, 'broken.k6.ts');
    writeFileSync(file, `import http from 'k6/http';\nexport default function () { http.get(42); }\n`);
    expect(typecheckK6Scripts([file]).join('\n')).toMatch(/broken\.k6\.ts:2: .*number/);
  }, 60_000);

  it('keeps credentials out of the script', () => {
    const script = renderK6Script(loadScenario('smoke-pull'), plan);
    expect(script).not.toContain('not-in-the-script-42');
    expect(script).not.toContain('robot$p+puller');
    expect(script).toContain('__ENV.HC_PASSWORD');
  });

  it('renders one k6 scenario per concurrency level, one after the other, with per-level sub-metrics', () => {
    const o = k6Options(loadScenario('smoke-pull'));
    expect(Object.keys(o.scenarios)).toEqual(['c1', 'c4']);
    expect(o.scenarios['c1']).toMatchObject({ executor: 'constant-vus', vus: 1, duration: '3s', startTime: '0s' });
    expect(o.scenarios['c4']).toMatchObject({ vus: 4, startTime: '4s' });
    expect(o.thresholds['hc_blob_total{level:4}']).toEqual(['max>=0']);
    const cold = k6Options(loadScenario('multi-arch-cold'));
    expect(cold.scenarios['c8']).toMatchObject({ executor: 'shared-iterations', vus: 8, iterations: 20 });
    expect(cold.noConnectionReuse).toBe(true);
  });
});
