import { describe, expect, it } from 'vitest';
import { MiB } from './byte-size.ts';
import { loadScenario, parseScenario, ScenarioError, shippedScenarioNames } from './load-scenario.ts';

describe('scenarios', () => {
  it('every shipped scenario validates', () => {
    expect(shippedScenarioNames()).toEqual(
      expect.arrayContaining(['smoke-pull', 'blob-throughput', 'registry-direct', 'multi-arch-cold', 'large-blob']),
    );
    for (const name of shippedScenarioNames()) expect(loadScenario(name).name).toBe(name);
  });

  it('normalises sizes, durations and concurrency', () => {
    const s = parseScenario(
      { name: 'x', artifacts: { count: 1, layers: ['10MiB', 2048] }, concurrency: 4, duration: '1.5s' },
      'x',
    );
    expect(s.artifacts.layers).toEqual([10 * MiB, 2048]);
    expect(s.concurrency).toEqual([4]);
    expect(s.duration).toBe(1500);
    expect(s).toMatchObject({
      source: 'harbor-project',
      auth: 'robot',
      cache: 'warm',
      connection: 'keep-alive',
      redirects: 'follow',
      repeats: 3,
    });
  });

  it('reports every problem on its own line with its path', () => {
    let error: unknown;
    try {
      parseScenario(
        { name: 'Bad Name', artifacts: { count: 0, layers: ['2GiB', 'ten'] }, concurrency: [0], colour: 'red' },
        'team.json',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const problems = (error as ScenarioError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^team\.json: name: /),
        expect.stringMatching(/^team\.json: artifacts\.count: /),
        expect.stringMatching(/^team\.json: artifacts\.layers\.0: layer sizes go from 1KiB to 1GiB/),
        expect.stringMatching(/^team\.json: artifacts\.layers\.1: "ten" is not a size/),
        expect.stringMatching(/^team\.json: concurrency/),
        expect.stringMatching(/unknown key\(s\) colour/),
      ]),
    );
    expect(problems.every((p) => !p.includes('\n'))).toBe(true);
  });

  it('refuses unbounded load', () => {
    expect(() => parseScenario({ name: 'x', artifacts: { count: 1, layers: ['1KiB'] }, concurrency: 1 }, 'x')).toThrow(
      /duration: give a duration/,
    );
  });

  it('names the shipped scenarios when a file is missing', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(/shipped scenarios: .*smoke-pull/);
  });
});
