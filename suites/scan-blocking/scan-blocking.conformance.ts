// Scan blocking, as Harbor v2.15 behaves (facts: shared/harbor/policy-facts.md §4.2-§4.4 scanning,
// §5.1 the vulnerability pull blocker, §5.2 CVE allowlists, §5.4 exemptions). Every check works in its
// own run-id project and pushes an image of its own digest; pulls are made as the admin (sysadmins are
// not exempt from the blocker) with a bearer token, as docker does.
import { describe, expect } from 'vitest';
import type { HarborApiClient } from '../../lib/harbor-api.ts';
import type { NativeReportSummary, ProjectMetadata } from '../../lib/harbor-api-types.ts';
import type { RegistryClient } from '../../lib/oci/registry-client.ts';
import { pollUntil, PollTimeoutError } from '../../lib/poll.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { defineCheck, type CheckContext } from '../check.ts';
import { harborApi, registryClient } from '../support/harbor-clients.ts';
import { createProject, deleteProjectWithRepositories } from '../support/harbor-projects.ts';
import { catalog } from './catalog.ts';
import {
  allowlistOf,
  defaultScanner,
  getSystemAllowlist,
  reportItems,
  scannerHealth,
  scanOverview,
  setProjectAllowlist,
  setSystemAllowlist,
  triggerScan,
  waitForScanSuccess,
  type ReportItem,
} from './harbor-scanning.ts';
import { pullEveryWay, pullManifest, showPulls, type PullOutcome } from './manifest-pulls.ts';
import { dockerPull, privateAuthDir, skopeoInspect, toolAvailable } from './pull-clients.ts';
import {
  BLOCKED_MARKER,
  countBySeverity,
  expectedFindings,
  highestSeverity,
  severityCode,
  showsVulnerableMessage,
  thresholdAbove,
  thresholdAt,
  thresholdName,
  unscannedMessage,
  vulnerableMessagePattern,
} from './scan-expectations.ts';
import { scanImage, type ScanImageName } from './scan-images.ts';
import { fixtureAdvisoriesUrl, readAdvisories, replaceAdvisories, scannerContainer, startScanner, stopScanner } from './scanner-control.ts';

const TAG = 'v1';
const CHECK_TIMEOUT_MS = 420_000;

/** Offline scans take seconds; real Trivy may first fetch its database (Harbor's own tests wait 150 s). */
const scanDeadline = (ctx: CheckContext) => (ctx.target.kind === 'offline' ? 60_000 : 180_000);

interface Workspace {
  api: HarborApiClient;
  registry: RegistryClient;
  project: string;
}

/**
 * A run-id project with the given metadata, deleted afterwards. Unless the check is about the system
 * allowlist, the project keeps its own (empty) allowlist, so the team's system list cannot change verdicts.
 */
async function policyProject(ctx: CheckContext, metadata: ProjectMetadata, suffix?: string): Promise<Workspace> {
  const api = harborApi(ctx);
  const project = ctx.resourceName(suffix);
  await ctx.step(`create project ${project} ${JSON.stringify(metadata)}`, () =>
    createProject(api, project, { public: 'false', reuse_sys_cve_allowlist: 'false', ...metadata }),
  );
  ctx.cleanup(() => ctx.step(`delete project ${project}`, () => deleteProjectWithRepositories(api, project)));
  return { api, registry: registryClient(ctx), project };
}

async function push(ctx: CheckContext, ws: Workspace, repository: string, image: ScanImageName): Promise<string> {
  const built = scanImage(image, `${ws.project}/${repository}`);
  const pushed = await ctx.step(`push ${image} as ${ws.project}/${repository}:${TAG}`, () => pushImage(ws.registry, `${ws.project}/${repository}`, TAG, built));
  ctx.evidence.digest(`${repository} (${image})`, pushed.digest);
  return pushed.digest;
}

/** Manual scan to Success (not scan on push: SCAN-001 alone depends on auto_scan). */
async function scanToSuccess(ctx: CheckContext, ws: Workspace, repository: string, notReportId?: string): Promise<NativeReportSummary> {
  return ctx.step(`scan ${ws.project}/${repository}:${TAG}`, async () => {
    await triggerScan(ws.api, ws.project, repository, TAG);
    const overview = await waitForScanSuccess(ws.api, ws.project, repository, TAG, {
      timeoutMs: scanDeadline(ctx),
      signal: ctx.signal,
      ...(notReportId ? { notReportId } : {}),
    });
    ctx.evidence.note(`scan_overview ${repository}`, JSON.stringify(overview));
    return overview;
  });
}

async function pushAndScan(ctx: CheckContext, ws: Workspace, repository: string, image: ScanImageName): Promise<{ digest: string; overview: NativeReportSummary; items: ReportItem[] }> {
  const digest = await push(ctx, ws, repository, image);
  const overview = await scanToSuccess(ctx, ws, repository);
  const items = await reportItems(ws.api, ws.project, repository, TAG);
  return { digest, overview, items };
}

const setMetadata = (ctx: CheckContext, ws: Workspace, metadata: ProjectMetadata) =>
  ctx.step(`set ${ws.project} metadata ${JSON.stringify(metadata)}`, () => ws.api.updateProjectMetadata(ws.project, metadata));

/** Every outcome is a 412 PROJECTPOLICYVIOLATION; GETs carry a message matching `message`. */
function expectRefused(outcomes: readonly PullOutcome[], message: RegExp | string, what: string): void {
  const wrong = outcomes.filter((o) => {
    if (o.status !== 412) return true;
    if (o.method === 'HEAD') return false; // HEAD answers carry no body
    if (o.code !== 'PROJECTPOLICYVIOLATION') return true;
    return typeof message === 'string' ? o.message !== message : !message.test(o.message);
  });
  if (wrong.length > 0) {
    throw new Error(`${what}: expected 412 PROJECTPOLICYVIOLATION (${String(message)}) on every pull, got:\n${showPulls(outcomes)}`);
  }
}

function expectAllowed(outcomes: readonly PullOutcome[], digest: string, what: string): void {
  const wrong = outcomes.filter((o) => o.status !== 200 || o.digest !== digest);
  if (wrong.length > 0) throw new Error(`${what}: expected 200 with digest ${digest} on every pull, got:\n${showPulls(outcomes)}`);
}

const uniqueIds = (items: readonly ReportItem[]) => [...new Set(items.map((i) => i.id))];

describe('scan-blocking', () => {
  defineCheck(
    catalog.scanOnPush,
    async (ctx) => {
      const ws = await policyProject(ctx, { auto_scan: 'true' });
      const pushedAt = Date.now();
      const digest = await push(ctx, ws, 'alpine', 'alpine-vulnerable');
      const overview = await ctx.step('wait for the scan on push to finish', async () => {
        try {
          return await waitForScanSuccess(ws.api, ws.project, 'alpine', TAG, { timeoutMs: scanDeadline(ctx), signal: ctx.signal });
        } catch (error) {
          if (error instanceof PollTimeoutError) {
            throw new Error(`no scan completed within ${scanDeadline(ctx) / 1000} s of pushing ${digest} into an auto_scan project (scan on push did not happen): ${error.message}`);
          }
          throw error;
        }
      });
      ctx.evidence.timing('push to scan Success', Date.now() - pushedAt);
      ctx.evidence.note('scan_overview', JSON.stringify(overview));
      expect(overview.scan_status).toBe('Success');
      expect(overview.complete_percent, 'complete_percent of a finished scan').toBe(100);
      expect(overview.scanner?.name, 'the scanner that produced the report').toMatch(/\S/);
      expect(overview.severity, 'the alpine fixture carries a Critical CVE').toBe('Critical');
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.overviewBySeverity,
    async (ctx) => {
      const ws = await policyProject(ctx, {});
      // Exact where the scanner's advisory data is the fixture set (offline: either engine); a lower bound elsewhere.
      const exact = ctx.target.scanner?.exactAdvisorySet === true;
      const scanner = ctx.target.scanner;
      ctx.evidence.note('scanner', scanner ? `${scanner.name} ${scanner.version}, DB ${scanner.databaseUpdatedAt ?? 'unknown'}, fixture set ${exact ? 'exact' : 'lower bound'}` : 'not known');
      const problems: string[] = [];
      for (const [repository, image, distro] of [
        ['alpine', 'alpine-vulnerable', 'alpine'],
        ['debian', 'debian-vulnerable', 'debian'],
      ] as const) {
        const { overview, items } = await pushAndScan(ctx, ws, repository, image);
        const summary = overview.summary;
        // scan_overview agrees with the report it summarises: total, per-severity counts, highest severity.
        if (summary?.total !== items.length) problems.push(`${repository}: summary.total ${summary?.total} but the report has ${items.length} items`);
        const counted = countBySeverity(items);
        if (JSON.stringify(Object.entries(summary?.summary ?? {}).sort()) !== JSON.stringify(Object.entries(counted).sort())) {
          problems.push(`${repository}: summary by severity ${JSON.stringify(summary?.summary)} but the report counts ${JSON.stringify(counted)}`);
        }
        if (overview.severity !== highestSeverity(items)) problems.push(`${repository}: severity ${overview.severity}, highest item severity ${highestSeverity(items)}`);
        if (overview.severity !== 'Critical') problems.push(`${repository}: severity ${overview.severity}, the fixture's highest is Critical`);
        // The fixture's CVEs: exactly these on the offline stack, at least these with real Trivy.
        const expected = expectedFindings(distro);
        for (const finding of expected) {
          for (const pkg of finding.packages) {
            const item = items.find((i) => i.id === finding.id && i.package === pkg);
            if (!item) {
              problems.push(`${repository}: ${finding.id} on ${pkg} ${finding.version} not reported`);
              continue;
            }
            if (item.version !== finding.version) problems.push(`${repository}: ${finding.id} on ${pkg}: version ${item.version}, installed ${finding.version}`);
            const detail = `${repository}: ${finding.id} on ${pkg}: severity ${item.severity} / fix ${item.fix_version}, fixture ${finding.severity} / ${finding.fixVersion}`;
            if (item.severity !== finding.severity || item.fix_version !== finding.fixVersion) {
              // Real Trivy may rate from another source (fixtures/advisories/README.md): exact offline only.
              if (exact) problems.push(detail);
              else ctx.evidence.note('differs from the fixture advisory set', detail);
            }
          }
        }
        const expectedIds = new Set(expected.map((f) => f.id));
        const extra = uniqueIds(items).filter((id) => !expectedIds.has(id));
        if (exact && extra.length > 0) problems.push(`${repository}: CVEs outside the fixture set: ${extra.join(', ')}`);
        if (!exact && extra.length > 0) ctx.evidence.note(`${repository}: CVEs beyond the fixture set (expected with real Trivy)`, extra.join(', '));
        if (exact) {
          const expectedCounts = countBySeverity(expected.flatMap((f) => f.packages.map(() => ({ severity: f.severity }))));
          expect(summary?.summary, `${repository}: summary by severity`).toEqual(expectedCounts);
        }
      }
      if (problems.length > 0) throw new Error(`scan_overview does not report the fixture's CVEs:\n${problems.join('\n')}`);
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.blockedAtOrAboveThreshold,
    async (ctx) => {
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'high' });
      const { digest, overview } = await pushAndScan(ctx, ws, 'debian', 'debian-vulnerable');
      expect(overview.severity, 'the debian fixture is Critical').toBe('Critical');
      const total = overview.summary?.total ?? -1;

      const above = await ctx.step('pull under threshold high (image above it)', () => pullEveryWay(ws.registry, `${ws.project}/debian`, TAG, digest));
      expectRefused(above, vulnerableMessagePattern('High'), 'threshold high, Critical image');
      for (const o of above.filter((p) => p.method === 'GET')) {
        expect(Number(vulnerableMessagePattern('High').exec(o.message)?.[1]), `${o.reference}: N in the message counts every finding`).toBe(total);
      }

      await setMetadata(ctx, ws, { severity: thresholdAt(overview.severity ?? 'Critical') });
      const at = await ctx.step('pull under threshold critical (image at it)', () => pullEveryWay(ws.registry, `${ws.project}/debian`, TAG, digest));
      expectRefused(at, vulnerableMessagePattern('Critical'), 'threshold critical, Critical image');
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.allowedBelowThreshold,
    async (ctx) => {
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'critical' });
      const { digest, overview } = await pushAndScan(ctx, ws, 'debian', 'debian-high-only');
      const severity = overview.severity ?? 'None';
      if (ctx.target.kind === 'offline') expect(severity, 'the fixture scanner rates debian-high-only High').toBe('High');
      const above = thresholdAbove(severity);
      if (!above) return ctx.skip(`the scanner rates debian-high-only ${severity}: no threshold lies above it`);
      await setMetadata(ctx, ws, { severity: above });
      const below = await ctx.step(`pull under threshold ${above} (image ${severity}, below it)`, () => pullEveryWay(ws.registry, `${ws.project}/debian`, TAG, digest));
      expectAllowed(below, digest, `threshold ${above}, ${severity} image`);

      if (severityCode(severity) > 0) {
        const at = thresholdAt(severity);
        await setMetadata(ctx, ws, { severity: at });
        const refused = await ctx.step(`pull under threshold ${at} (image at it)`, () => pullEveryWay(ws.registry, `${ws.project}/debian`, TAG, digest));
        expectRefused(refused, vulnerableMessagePattern(thresholdName(at)), `threshold ${at}, ${severity} image`);
      }
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.unscannedRefused,
    async (ctx) => {
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'low' });
      const digest = await push(ctx, ws, 'debian', 'debian-fixed');
      expect(await scanOverview(ws.api, ws.project, 'debian', TAG), 'no scan_overview: the image was never scanned').toBeUndefined();
      const outcomes = await ctx.step('pull the unscanned image', () => pullEveryWay(ws.registry, `${ws.project}/debian`, TAG, digest));
      expectRefused(outcomes, unscannedMessage('Low'), 'unscanned image under prevent_vul');
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.projectAllowlist,
    async (ctx) => {
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'high' });
      const { digest, overview, items } = await pushAndScan(ctx, ws, 'debian', 'debian-vulnerable');
      const repository = `${ws.project}/debian`;
      const ids = uniqueIds(items);
      const worst = items.find((i) => i.severity === overview.severity)?.id;
      expect(worst, 'a finding of the image\'s highest severity').toBeDefined();

      await ctx.step('allowlist every CVE but the worst', () => setProjectAllowlist(ws.api, ws.project, allowlistOf(ids.filter((id) => id !== worst))));
      const partial = await pullManifest(ws.registry, repository, TAG, 'GET');
      expectRefused([partial], vulnerableMessagePattern('High'), `allowlist without ${worst}`);
      const remaining = items.filter((i) => i.id === worst).length;
      expect(Number(vulnerableMessagePattern('High').exec(partial.message)?.[1]), 'N counts only the findings not allowlisted').toBe(remaining);

      // Every CVE listed, expiring shortly: the pull goes through, then is refused once the list expires.
      // 20 s: the four pulls must finish before expiry also on a loaded 2-core machine (8 s did not).
      const expiresAt = Math.floor(Date.now() / 1000) + 20;
      await ctx.step(`allowlist every CVE, expiring at ${new Date(expiresAt * 1000).toISOString()}`, () =>
        setProjectAllowlist(ws.api, ws.project, allowlistOf(ids, expiresAt)),
      );
      const allowed = await ctx.step('pull while the allowlist holds', () => pullEveryWay(ws.registry, repository, TAG, digest));
      expect(Date.now() / 1000, 'the pulls ran before the allowlist expired').toBeLessThan(expiresAt);
      expectAllowed(allowed, digest, 'every CVE allowlisted (not expired)');

      const refused = await ctx.step('pull after the allowlist expired', () =>
        pollUntil(() => pullManifest(ws.registry, repository, TAG, 'GET'), {
          timeoutMs: (expiresAt + 30) * 1000 - Date.now(),
          intervalMs: 1000,
          describe: `the pull of ${repository}:${TAG} to be refused after the allowlist expired at ${new Date(expiresAt * 1000).toISOString()}`,
          accept: (o) => o.status === 412 && Date.now() / 1000 >= expiresAt,
          signal: ctx.signal,
        }),
      );
      ctx.evidence.timing('allowlist expiry to refusal', Date.now() - expiresAt * 1000);
      expectRefused([refused], vulnerableMessagePattern('High'), 'expired allowlist');
      const afterExpiry = await pullEveryWay(ws.registry, repository, TAG, digest);
      expectRefused(afterExpiry, vulnerableMessagePattern('High'), 'expired allowlist, tag and digest');
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.systemAllowlist,
    async (ctx) => {
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'high', reuse_sys_cve_allowlist: 'true' });
      const previous = await getSystemAllowlist(ws.api);
      ctx.evidence.note('system allowlist before the check', JSON.stringify(previous));
      ctx.cleanup(() => ctx.step('restore the system allowlist', () => setSystemAllowlist(ws.api, previous)));
      const { digest, items } = await pushAndScan(ctx, ws, 'debian', 'debian-vulnerable');
      const repository = `${ws.project}/debian`;
      const everyId = [...previous.items.map((i) => i.cve_id), ...uniqueIds(items)];

      await ctx.step('system allowlist: every CVE of the image, no expiry', () => setSystemAllowlist(ws.api, allowlistOf(everyId)));
      expectAllowed(await pullEveryWay(ws.registry, repository, TAG, digest), digest, 'reuse_sys_cve_allowlist=true, system list covers every CVE');

      await setMetadata(ctx, ws, { reuse_sys_cve_allowlist: 'false' });
      expectRefused([await pullManifest(ws.registry, repository, TAG, 'GET')], vulnerableMessagePattern('High'), 'reuse_sys_cve_allowlist=false (own empty list)');

      await setMetadata(ctx, ws, { reuse_sys_cve_allowlist: 'true' });
      const expired = Math.floor(Date.now() / 1000) - 60;
      await ctx.step('system allowlist: the same CVEs, expired a minute ago', () => setSystemAllowlist(ws.api, allowlistOf(everyId, expired)));
      expectRefused([await pullManifest(ws.registry, repository, TAG, 'GET')], vulnerableMessagePattern('High'), 'expired system allowlist');
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.rescanAfterAdvisoryChange,
    async (ctx) => {
      const advisories = await fixtureAdvisoriesUrl(ctx.target);
      if ('reason' in advisories) return ctx.skip(`${advisories.reason}; a rescan cannot be made to change its verdict here`);
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'high' });
      const { digest, overview: first } = await pushAndScan(ctx, ws, 'debian', 'debian-fixed');
      const repository = `${ws.project}/debian`;
      expect(first.severity, 'debian-fixed carries the fixed versions').toBe('None');
      expectAllowed([await pullManifest(ws.registry, repository, TAG, 'GET')], digest, 'fixed image, original advisories');

      // The distro reissues CVE-2023-38545 for Debian curl with a later fixed version (as a regression
      // update does): the installed 7.88.1-10+deb12u4 becomes affected again.
      const original = await readAdvisories(advisories.url);
      ctx.cleanup(() => ctx.step('restore the fixture scanner advisories', () => replaceAdvisories(advisories.url, original)));
      const reissued = original.map((a) => {
        const entry = a as { id?: string; distro?: string; fixedVersion?: string };
        return entry.id === 'CVE-2023-38545' && entry.distro === 'debian' ? { ...entry, fixedVersion: '7.88.1-10+deb12u5' } : entry;
      });
      await ctx.step('reissue CVE-2023-38545 for Debian curl, fixed in 7.88.1-10+deb12u5', () => replaceAdvisories(advisories.url, reissued));
      ctx.evidence.note('advisory change', 'CVE-2023-38545 (Critical), Debian curl: fixedVersion 7.88.1-10+deb12u4 → 7.88.1-10+deb12u5 (test-only, on the fixture scanner)');

      // Harbor keeps the stored report: no new verdict until a rescan.
      expectAllowed([await pullManifest(ws.registry, repository, TAG, 'GET')], digest, 'advisory changed, not rescanned yet');
      const second = await scanToSuccess(ctx, ws, 'debian', first.report_id);
      expect(second.severity, 'rescan against the reissued advisory').toBe('Critical');
      expectRefused(await pullEveryWay(ws.registry, repository, TAG, digest), vulnerableMessagePattern('High'), 'rescanned after the advisory change');

      await ctx.step('restore the original advisories', () => replaceAdvisories(advisories.url, original));
      const third = await scanToSuccess(ctx, ws, 'debian', second.report_id);
      expect(third.severity, 'rescan against the original advisories').toBe('None');
      expectAllowed(await pullEveryWay(ws.registry, repository, TAG, digest), digest, 'rescanned after the advisory was restored');
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.clientsShowMessage,
    async (ctx) => {
      const tools = (await Promise.all((['skopeo', 'docker'] as const).map(async (t) => ((await toolAvailable(t)) ? t : undefined)))).filter((t) => t !== undefined);
      if (tools.length === 0) return ctx.skip('neither skopeo nor the docker CLI is installed');
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'high' });
      const { digest } = await pushAndScan(ctx, ws, 'debian', 'debian-vulnerable');
      const auth = await privateAuthDir(ctx.target.registryHost, ctx.target.admin);
      ctx.cleanup(auth.remove);
      const problems: string[] = [];
      for (const reference of [`${ctx.target.registryHost}/${ws.project}/debian:${TAG}`, `${ctx.target.registryHost}/${ws.project}/debian@${digest}`]) {
        for (const tool of tools) {
          const result = await ctx.step(`${tool} pull ${reference}`, () => (tool === 'skopeo' ? skopeoInspect(auth.dir, reference) : dockerPull(auth.dir, reference)));
          ctx.evidence.note(`${tool} ${reference} (exit ${result.exitCode})`, result.output);
          if (result.exitCode === 0) problems.push(`${tool} pulled ${reference}`);
          else if (!showsVulnerableMessage(result.output, 'High')) {
            problems.push(`${tool} failed on ${reference} without Harbor's message (${BLOCKED_MARKER}): ${result.output.split('\n')[0]}`);
          }
        }
      }
      if (problems.length > 0) throw new Error(problems.join('\n'));
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  defineCheck(
    catalog.noSeverityWeakness,
    async (ctx) => {
      const ws = await policyProject(ctx, { prevent_vul: 'true' });
      const { digest, items } = await pushAndScan(ctx, ws, 'debian', 'debian-vulnerable');
      const repository = `${ws.project}/debian`;
      // Leave only the lowest-severity CVE: allowlist every other one.
      const lowest = [...items].sort((a, b) => severityCode(a.severity) - severityCode(b.severity))[0];
      if (!lowest) throw new Error('the debian fixture reported no finding');
      await ctx.step(`allowlist every CVE but ${lowest.id} (${lowest.severity})`, () =>
        setProjectAllowlist(ws.api, ws.project, allowlistOf(uniqueIds(items).filter((id) => id !== lowest.id))),
      );
      const unset = await pullManifest(ws.registry, repository, TAG, 'GET');
      expectRefused([unset], vulnerableMessagePattern('Unknown'), `prevent_vul without severity, only ${lowest.id} (${lowest.severity}) left`);
      await setMetadata(ctx, ws, { severity: 'critical' });
      expectAllowed([await pullManifest(ws.registry, repository, TAG, 'GET')], digest, `the same image under threshold critical`);
      ctx.warn(
        `a project with prevent_vul="true" and no severity refuses any finding: ${repository}@${digest} with only ${lowest.id} (${lowest.severity}) left was refused ` +
          `(threshold "Unknown" in Harbor's message), and pulled once severity was set to critical. Set a severity on every project that prevents vulnerable pulls.`,
        'goharbor/harbor src/server/middleware/vulnerable/vulnerable.go, src/pkg/scan/vuln/severity.go (unset severity parses to Unknown, code 0); policy-facts.md §2.2, §5.1',
      );
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );

  // Last: it stops the scanner, and Harbor caches the scanner's metadata (errors too) for 30 s.
  defineCheck(
    catalog.scannerUnreachableWeakness,
    async (ctx) => {
      ctx.skipUnless(scannerContainer(ctx.target) !== undefined, `the ${ctx.target.kind} target names no scanner container to stop`);
      const ws = await policyProject(ctx, { prevent_vul: 'true', severity: 'low' });
      const scanner = await defaultScanner(ws.api);
      if (!scanner) return ctx.skip('no default scanner is registered');
      const digest = await push(ctx, ws, 'debian', 'debian-fixed');
      const repository = `${ws.project}/debian`;
      expectRefused([await pullManifest(ws.registry, repository, TAG, 'GET')], unscannedMessage('Low'), 'unscanned image, scanner reachable');

      ctx.cleanup(() =>
        ctx.step('start the scanner and wait until Harbor reports it healthy', async () => {
          await startScanner(ctx.target);
          await pollUntil(() => scannerHealth(ws.api, scanner.uuid), {
            timeoutMs: 90_000,
            intervalMs: 2000,
            describe: `scanner ${scanner.name} to be healthy again`,
            accept: (h) => h === 'healthy',
          });
        }),
      );
      await ctx.step('stop the scanner container', () => stopScanner(ctx.target));
      const stoppedAt = Date.now();
      let pulled: PullOutcome | undefined;
      try {
        // Harbor caches the adapter's metadata for 30 s: the blocker notices the outage within that.
        pulled = await ctx.step('pull while the scanner is down', () =>
          pollUntil(() => pullManifest(ws.registry, repository, TAG, 'GET'), {
            timeoutMs: 60_000,
            intervalMs: 2000,
            describe: `the pull of unscanned ${repository}:${TAG} with the scanner stopped`,
            accept: (o) => o.status === 200,
            signal: ctx.signal,
          }),
        );
      } catch (error) {
        if (!(error instanceof PollTimeoutError)) throw error;
        ctx.evidence.note('scanner down', `Harbor kept refusing the unscanned image for 60 s: ${error.message}`);
      }
      if (pulled) {
        ctx.evidence.timing('scanner stop to unscanned pull allowed', Date.now() - stoppedAt);
        expect(pulled.digest).toBe(digest);
        ctx.warn(
          `with the scanner unreachable, Harbor lets unscanned images through prevent_vul: ${repository}@${digest} was refused while the scanner ran and pulled after it stopped. ` +
            'Monitor the scanner\'s health (GET /api/v2.0/scanners/{uuid}) and alert on it; the blocker fails open.',
          'goharbor/harbor src/controller/scan/base_controller.go (GetVulnerable: no report and scanner unreachable → allow), src/controller/scan/checker.go (Ping); policy-facts.md §5.1 step 4',
        );
      }
    },
    { timeoutMs: CHECK_TIMEOUT_MS },
  );
});
