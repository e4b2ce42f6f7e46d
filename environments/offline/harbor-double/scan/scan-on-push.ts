// Scan on push (goharbor/harbor src/controller/event/handler/internal/artifact.go@v2.15.x): after a manifest PUT, a project with auto_scan="true" scans the
// artifact in the background; unscannable artifacts (signatures, charts) and a scan already under way
// are skipped silently, as Harbor's event handler does.
import type { DoubleServices } from '../double-services.ts';
import { findArtifactByDigest } from '../store/artifacts.ts';
import { isTrue, type ProjectRow } from '../store/projects.ts';
import { triggerScan } from './scan-controller.ts';

export function scanOnPush(
  services: DoubleServices,
  project: ProjectRow,
  repository: string,
  digest: string,
  tag: string | undefined,
  operator: string,
): void {
  if (!isTrue(project.metadata['auto_scan']) || services.faults.has('scan-on-push-skipped')) return;
  void (async () => {
    const artifact = await findArtifactByDigest(services.db, repository, digest);
    if (!artifact || artifact.type !== 'IMAGE') return;
    await triggerScan(services, project, artifact, { ...(tag ? { tag } : {}), operator });
  })().catch(() => undefined);
}
