// Allure has no `warn` status: a check that passed with a known weakness would count as passed there
// (43 passed for 37 passed + 6 warn). Before the report is generated, every result labelled verdict=warn
// (suites/check.ts) gets Allure's `unknown` status, a "WARN" name prefix and the weakness as its status
// message, so Allure's totals and tree keep warn apart from passed.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface AllureResult {
  name?: string;
  status?: string;
  statusDetails?: { message?: string };
  labels?: Array<{ name: string; value: string }>;
}

/** Rewrites the warn results in `resultsDir`; returns how many. */
export async function markWarnResults(resultsDir: string): Promise<number> {
  let marked = 0;
  for (const file of (await readdir(resultsDir)).filter((f) => f.endsWith('-result.json'))) {
    const path = join(resultsDir, file);
    const result = JSON.parse(await readFile(path, 'utf8')) as AllureResult;
    if (!result.labels?.some((l) => l.name === 'verdict' && l.value === 'warn') || result.status !== 'passed') continue;
    result.status = 'unknown';
    result.name = `WARN · ${result.name ?? ''}`;
    result.statusDetails = {
      ...result.statusDetails,
      message: 'warn: passed with a known Harbor weakness (see warnings.txt and the remediation)',
    };
    await writeFile(path, JSON.stringify(result));
    marked += 1;
  }
  return marked;
}
