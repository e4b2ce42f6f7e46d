// Is this Harbor exposed to a published Harbor advisory? One check per advisory: the version verdict,
// and a behavioural probe where one is safe (advisory-probes.ts).
import { defineCheck } from '../check.ts';
import { catalog } from './catalog.ts';
import { harborAdvisories } from './harbor-advisories.ts';
import { advisoryStatus, parseHarborVersion } from './harbor-version.ts';
import { advisoryVerdict } from './advisory-verdict.ts';
import { probeFor } from './advisory-probes.ts';

for (const advisory of harborAdvisories.filter((a) => catalog[a.ghsa] !== undefined)) {
  defineCheck(catalog[advisory.ghsa]!, async (ctx) => {
    // Read now, not from the Target: the version the running Harbor reports is the one judged (a stack
    // upgraded or re-labelled since the run began, or a release profile switched on by selftest).
    const reported = (await ctx.api.systemInfo()).harbor_version ?? ctx.target.harborVersion;
    const version = parseHarborVersion(reported);
    const status = version ? advisoryStatus(advisory, version) : undefined;
    ctx.evidence.note(
      'advisory',
      JSON.stringify({
        ghsa: advisory.ghsa,
        cve: advisory.cve,
        severity: advisory.severity,
        affected: advisory.affected,
        fixed: advisory.fixed,
        source: advisory.source,
        unconfirmed: advisory.unconfirmed ?? null,
      }),
    );
    ctx.evidence.note(
      'target version',
      `${reported} → ${version ? `${version.version} (line ${version.line})` : 'not a release version'}; status ${JSON.stringify(status ?? null)}`,
    );
    if (status?.kind === 'not-applicable')
      ctx.skip(`${advisory.ghsa} does not apply to Harbor ${reported}: ${status.why}`);

    const probe = probeFor(advisory.ghsa);
    const probeResult = probe ? await ctx.step(`probe: ${probe.title}`, () => probe.run(ctx)) : undefined;
    if (probeResult) ctx.evidence.note('probe result', JSON.stringify(probeResult));

    const verdict = advisoryVerdict(advisory, reported, status, probeResult);
    ctx.evidence.note('verdict', JSON.stringify(verdict));
    switch (verdict.verdict) {
      case 'failed':
        throw new Error(verdict.message);
      case 'warn':
        ctx.warn(verdict.fact, advisory.source);
        return;
      case 'skipped':
        ctx.skip(verdict.reason);
        return;
      case 'passed':
        return;
    }
  });
}
