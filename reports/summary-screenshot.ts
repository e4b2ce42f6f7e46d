// Opens summary.html in headless Chromium (Debian's `chromium`, driven by playwright-core), reads the
// verdicts it rendered and keeps a screenshot (summary.png) in the run directory.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  const fromEnv = process.env.HC_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return chromiumCandidates.find((path) => existsSync(path));
}

export interface RenderedSummary {
  screenshot: string;
  /** Check id → verdict as the page shows them. */
  verdicts: Record<string, string>;
  targetLine: string;
}

export async function screenshotSummary(runDir: string, executablePath = findChromium()): Promise<RenderedSummary> {
  if (!executablePath) throw new Error('no Chromium found (install the Debian package `chromium`, or set HC_CHROMIUM)');
  const userDataDir = await mkdtemp(join(tmpdir(), 'hc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    offline: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(runDir, 'summary.html')).href);
    const rows = await page
      .locator('#checks tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('td.id')?.textContent ?? '',
          tr.querySelector('[data-verdict]')?.getAttribute('data-verdict') ?? '',
        ]),
      );
    const targetLine = (await page.locator('#target').textContent()) ?? '';
    const screenshot = join(runDir, 'summary.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    return { screenshot, verdicts: Object.fromEntries(rows), targetLine };
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}
