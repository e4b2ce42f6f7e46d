// A run-id project for one retention check: seeded repositories (images of their own digests, tags as asked,
// untagged ones pushed by digest), their push and pull times set through the target's test clock, the team's
// immutable rules, one retention policy (POST /retentions, the project's retention_id) and its runs, read back
// as Harbor reports them: the execution, one task per repository with total/retained, and each task's log
// table. Deleting the project afterwards removes its policy, rules and repositories (immutable rules first).
import { buildImage } from '../../fixtures/images/image-builder.ts';
import { pushImage } from '../../fixtures/images/push-image.ts';
import { encodeRepositoryName } from '../../lib/harbor-api.ts';
import type { CheckContext } from '../check.ts';
import { mapLimited } from '../support/raw-http-probe.ts';
import { CheckProject } from '../support/check-project.ts';
import {
  createRetentionPolicy,
  type RetentionRun,
  type RetentionTask,
  retentionPolicyBody,
  runRetention,
} from '../support/retention-runs.ts';
import type { ImmutableRuleSpec, RetentionRuleBody, SeededArtifact } from './expected-retention.ts';
import { type LoggedCandidate, parseTaskLogTable } from './task-log-table.ts';

export interface PushedArtifact extends SeededArtifact {
  repository: string;
  digest: string;
}

export interface RetentionTaskReport extends Omit<RetentionTask, 'log'> {
  rows: LoggedCandidate[];
}

export interface RetentionRunReport extends Omit<RetentionRun, 'tasks'> {
  tasks: RetentionTaskReport[];
}

export class RetentionWorkspace extends CheckProject {
  /**
   * Pushes the artifacts of one repository: one layer and one config for all of them (uploaded once), each
   * artifact a manifest of its own (its annotation makes the digest), pushed by its first tag (or by digest
   * when untagged), further tags through the tag API. Manifests go up in parallel after the blobs.
   */
  async pushAll(repository: string, seeded: readonly SeededArtifact[]): Promise<PushedArtifact[]> {
    const full = this.project.repository(repository);
    const image = (index: number) =>
      buildImage({
        layers: [{ 'etc/harbor-conformance': `retention ${this.name}\n` }],
        annotations: { 'org.opencontainers.image.description': `${this.name} ${repository} #${index}` },
      });
    const images = seeded.map((_, index) => image(index));
    const [first, ...rest] = seeded;
    if (!first) return [];
    await pushImage(this.ctx.registry, full, first.tags[0], images[0]!);
    await mapLimited(rest, 4, (a) =>
      this.ctx.registry.putManifest(
        full,
        a.tags[0] ?? images[seeded.indexOf(a)]!.manifest.digest,
        images[seeded.indexOf(a)]!.manifest,
      ),
    );
    const pushed = seeded.map((a, index) => ({ ...a, repository, digest: images[index]!.manifest.digest }));
    const moreTags = pushed.flatMap((a) => a.tags.slice(1).map((tag) => ({ digest: a.digest, tag })));
    await mapLimited(moreTags, 4, ({ digest, tag }) => this.ctx.api.createTag(this.name, repository, digest, tag));
    for (const a of pushed) this.ctx.evidence.digest(`${full} ${a.label}`, a.digest);
    return pushed;
  }

  /** Sets when the artifact was last pushed and pulled (the target's test clock). */
  async setTimes(artifact: PushedArtifact): Promise<void> {
    const clock = this.ctx.target.testClock;
    if (!clock) throw new Error('the target has no test clock: seeded times cannot be set');
    const response = await fetch(`${clock.url}/_double/clock/artifacts`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${clock.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        repository: this.project.repository(artifact.repository),
        digest: artifact.digest,
        push_time: new Date(artifact.pushedAt).toISOString(),
        pull_time: artifact.pulledAt === undefined ? null : new Date(artifact.pulledAt).toISOString(),
      }),
      signal: this.ctx.signal,
    });
    if (response.status !== 200)
      throw new Error(
        `test clock PUT for ${artifact.label}: ${response.status} ${(await response.text()).slice(0, 200)}`,
      );
  }

  async createImmutableRule(rule: ImmutableRuleSpec): Promise<void> {
    const selector = (decoration: string) => (pattern: string) => ({ kind: 'doublestar', decoration, pattern });
    await this.ctx.api.request('POST', `/projects/${encodeURIComponent(this.name)}/immutabletagrules`, {
      body: {
        action: 'immutable',
        template: 'immutable_template',
        priority: 0,
        disabled: false,
        scope_selectors: { repository: rule.repositories.map(selector('repoMatches')) },
        tag_selectors: rule.tags.map(selector('matches')),
      },
      expect: [201],
    });
  }

  /** The policy body as tests/apitests/python/library/retention.py sends it. */
  policyBody(rules: readonly RetentionRuleBody[], cron = ''): Record<string, unknown> {
    return retentionPolicyBody(this.project.id, rules, cron);
  }

  /** POST /retentions; the id from Location. */
  createPolicy(rules: readonly RetentionRuleBody[], cron = ''): Promise<number> {
    return createRetentionPolicy(this.ctx, this.project, rules, cron);
  }

  /** Runs the policy (runRetention) and reads each task's log table. */
  async run(policyId: number, dryRun: boolean, expectedTasks: number): Promise<RetentionRunReport> {
    const run = await runRetention(this.ctx, policyId, dryRun, expectedTasks);
    return {
      ...run,
      tasks: run.tasks.map(({ log, ...task }): RetentionTaskReport => ({ ...task, rows: parseTaskLogTable(log) })),
    };
  }

  /** Digests of the repository's artifacts as Harbor lists them now. */
  async digests(repository: string): Promise<Set<string>> {
    const listed = await this.ctx.api.listAll<{ digest: string }>(
      `/projects/${encodeURIComponent(this.name)}/repositories/${encodeRepositoryName(repository)}/artifacts`,
      { with_tag: false },
    );
    return new Set(listed.map((a) => a.digest));
  }
}

export async function retentionProject(ctx: CheckContext): Promise<RetentionWorkspace> {
  if (ctx.target.testClock) ctx.secret(ctx.target.testClock.token);
  return new RetentionWorkspace(ctx, await ctx.project());
}
