// The Allure HTML report, generated from the run's allure-results with the npm `allure` (Allure 3) CLI.
// One self-contained index.html (the awesome plugin's singleFile mode), so it opens from file:// and
// from a CI artifact without a web server; the default multi-file report needs HTTP (fetch of JSON).
// Checks are grouped by target (epic) and suite (feature). Failure to generate it never fails the run.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { markWarnResults } from './allure-warn-status.ts';

const allureBin = fileURLToPath(new URL('../node_modules/allure/cli.js', import.meta.url));

export async function generateAllureReport(
  runDir: string,
  reportName: string,
): Promise<{ ok: true; dir: string } | { ok: false; why: string }> {
  const results = join(runDir, 'allure-results');
  const output = join(runDir, 'allure-report');
  if (!existsSync(results)) return { ok: false, why: 'no allure-results were written' };
  await markWarnResults(results);
  const configDir = await mkdtemp(join(tmpdir(), 'hc-allurerc-'));
  const config = {
    name: reportName,
    output,
    plugins: { awesome: { options: { singleFile: true, reportName, groupBy: ['epic', 'feature'] } } },
  };
  const configFile = join(configDir, 'allurerc.mjs');
  await writeFile(configFile, `export default ${JSON.stringify(config, null, 2)};\n`);
  try {
    await execa(process.execPath, [allureBin, 'generate', results, '--config', configFile], {
      cwd: runDir,
      timeout: 180_000,
      env: { CI: 'true', NO_COLOR: '1' },
    });
  } catch (error) {
    const err = error as { shortMessage?: string; stderr?: string; message?: string };
    const detail = (err.stderr || err.shortMessage || err.message || String(error))
      .split('\n')
      .filter(Boolean)
      .slice(-1)[0];
    return { ok: false, why: `allure generate failed: ${detail}` };
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
  return existsSync(join(output, 'index.html'))
    ? { ok: true, dir: output }
    : { ok: false, why: 'allure generate wrote no index.html' };
}
