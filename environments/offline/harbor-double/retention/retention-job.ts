// Jobservice's half of a retention run (goharbor/harbor src/pkg/retention/job.go Run, dep/client.go
// GetCandidates, policy/action/performer.go@v2.15.2) for one repository: every listed artifact is a candidate
// (tagged or not, one per digest, push and pull times the newest of the artifact's and its tags'), the rules
// decide (retention-evaluation.ts), each artifact to delete is deleted by digest through the artifact
// controller (the registry manifest with it) unless it is a dry run, and the task checks in total and
// retained (total minus what was or would have been deleted) with the log table.
import type { DoubleServices } from '../double-services.ts';
import { immutableTags, requireArtifactDeletable } from '../immutable/immutable-status.ts';
import { removeArtifact } from '../api/artifact-routes.ts';
import { refreshProjectQuota } from '../quota/project-quota.ts';
import { findProject } from '../store/projects.ts';
import { findRepository, listArtifacts, tagsOf, type ArtifactRow } from '../store/artifacts.ts';
import { findTask, refreshExecutionStatus, updateTask } from '../store/retention.ts';
import {
  evaluateRetention,
  GO_ZERO_UNIX,
  RetentionJobError,
  type RetentionCandidate,
  type RetentionMark,
} from './retention-evaluation.ts';
import type { RetentionJob } from './retention-launcher.ts';
import { type LogMark, logLine, renderRetentionTable } from './retention-log.ts';
import { announceRetention } from './retention-notification.ts';

/** The user jobservice's calls to core act as (src/common/secret JobserviceUser). */
const JOBSERVICE_USER = 'harbor-jobservice';

const unix = (date: Date | null | undefined): number => (date ? Math.floor(date.getTime() / 1000) : GO_ZERO_UNIX);

async function candidatesOf(
  services: DoubleServices,
  repositoryName: string,
): Promise<Array<{ artifact: ArtifactRow; candidate: RetentionCandidate }>> {
  const repository = await findRepository(services.db, repositoryName);
  if (!repository) return [];
  const { rows } = await listArtifacts(services.db, repository.repository_id, 1, 100_000);
  return Promise.all(
    rows.map(async (artifact) => {
      const tags = await tagsOf(services.db, artifact.id);
      const pushed = Math.max(unix(artifact.push_time), ...tags.map((t) => unix(t.push_time)));
      const pulled = Math.max(unix(artifact.pull_time), ...tags.map((t) => unix(t.pull_time)));
      return {
        artifact,
        candidate: {
          digest: artifact.digest,
          tags: tags.map((t) => t.name),
          pushedTime: pushed,
          pulledTime: pulled,
          creationTime: unix(artifact.push_time),
        },
      };
    }),
  );
}

export async function runRetentionJob(services: DoubleServices, job: RetentionJob): Promise<void> {
  const task = await findTask(services.db, job.taskId);
  // A task stopped before it ran, or gone with its execution (or a restored snapshot): nothing to do.
  if (task?.status !== 'Pending') return;
  await updateTask(services.db, job.taskId, { status: 'Running' });
  let log = '';
  const info = (line: number, message: string) => {
    log += logLine(new Date(), 'INFO', line, message);
  };
  const repoPath = `${job.namespace}/${job.repository}`;
  info(
    86,
    `Run retention process.\n Repository: ${repoPath} \n Rule Algorithm: ${job.algorithm} \n Dry Run: ${job.dryRun}`,
  );
  try {
    const loaded = await candidatesOf(services, repoPath);
    info(101, `Load ${loaded.length} candidates from repository ${repoPath}`);
    const project = await findProject(services.db, job.projectId);
    const immutable = new Set<string>();
    for (const { candidate } of loaded) {
      if ((await immutableTags(services, job.projectId, repoPath, candidate.tags)).size > 0)
        immutable.add(candidate.digest);
    }
    const faults = services.faults;
    const marks: Map<string, RetentionMark> = evaluateRetention({
      candidates: loaded.map((l) => l.candidate),
      rules: job.rules,
      now: Date.now(),
      isImmutable: (c) => immutable.has(c.digest),
      defects: {
        rulesAnded: faults.has('retention-rules-anded'),
        untaggedExtrasIgnored: faults.has('retention-untagged-extras-ignored'),
        pullRulesUsePushTime: faults.has('retention-pull-rules-use-push-time'),
        immutabilityIgnored: faults.has('retention-deletes-immutable-tags'),
      },
    });
    const logged = new Map<string, LogMark>(marks);
    const errors: string[] = [];
    // retention-dry-run-deletes: the performer deletes whatever the run's flag says
    const deleting = !job.dryRun || faults.has('retention-dry-run-deletes');
    for (const { artifact } of loaded) {
      if (marks.get(artifact.digest) !== 'DEL' || !deleting) continue;
      try {
        if (!project) throw new Error(`project ${job.projectId} not found`);
        // retention-deletes-immutable-tags: the deletion also skips the artifact controller's tag check
        if (!faults.has('retention-deletes-immutable-tags')) await requireArtifactDeletable(services, artifact);
        await removeArtifact(services, JOBSERVICE_USER, project, artifact);
      } catch (error) {
        logged.set(artifact.digest, 'ERR');
        errors.push(`Retention error for artifact image:${repoPath}:${artifact.digest} : ${(error as Error).message}`);
      }
    }
    // once per job, after its deletions: Harbor's quota middleware skips retention's own delete requests
    // (src/server/middleware/quota/quota.go RefreshMiddleware, src/pkg/retention/job.go refreshQuota@v2.15.2)
    if (!job.dryRun) await refreshProjectQuota(services, job.projectId, 'delete');
    info(
      212,
      `\n${renderRetentionTable(
        loaded.map((l) => l.candidate),
        logged,
      )}`,
    );
    for (const e of errors) info(216, e);
    const deleted = loaded.filter((l) => logged.get(l.candidate.digest) === 'DEL').map((l) => l.candidate);
    await updateTask(services.db, job.taskId, {
      status: 'Success',
      total: loaded.length,
      retained: loaded.length - deleted.length,
      log,
      final: true,
    });
    await announceRetention(services, {
      executionId: job.executionId,
      projectId: job.projectId,
      namespace: job.namespace,
      repository: job.repository,
      total: loaded.length,
      retained: loaded.length - deleted.length,
      deleted,
    });
  } catch (error) {
    const message = error instanceof RetentionJobError ? error.message : (error as Error).message;
    log += logLine(new Date(), 'ERROR', 244, `retention job: ${message}`);
    await updateTask(services.db, job.taskId, { status: 'Error', log, final: true });
  }
  await refreshExecutionStatus(services.db, job.executionId);
}
