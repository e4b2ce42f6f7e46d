// Finds and validates a scenario: a shipped one by name (load/scenarios/<name>.json) or a file path.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioSchema, type Scenario } from './scenario-schema.ts';

export const shippedScenariosDir = dirname(fileURLToPath(import.meta.url));

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: ${problems.join('; ')}`);
    this.problems = problems.map((p) => `${source}: ${p}`);
  }
}

export function shippedScenarioNames(): string[] {
  return readdirSync(shippedScenariosDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Validates parsed JSON; each problem is one line with its JSON path. */
export function parseScenario(raw: unknown, source: string): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ScenarioError(
    source,
    parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
      return path ? `${path}: ${message}` : message;
    }),
  );
}

/** A shipped scenario by name, or a JSON file by path. */
export function loadScenario(nameOrPath: string): Scenario {
  const shipped = join(shippedScenariosDir, `${nameOrPath}.json`);
  const file = /^[a-z0-9-]+$/.test(nameOrPath) && existsSync(shipped) ? shipped : nameOrPath;
  if (!existsSync(file)) {
    throw new ScenarioError(nameOrPath, [
      `no such scenario file; shipped scenarios: ${shippedScenarioNames().join(', ')}`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(nameOrPath, [`not valid JSON (${(error as Error).message})`]);
  }
  return parseScenario(raw, file === shipped ? `scenario ${nameOrPath}` : nameOrPath);
}
