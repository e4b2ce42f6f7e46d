// GET /api/v2.0/projects/{p}/repositories/{r}/artifacts/{ref}/accessories (accessory:list) and the
// swagger Accessory model, also used for `accessories` of an artifact with with_accessory=true.
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../database.ts';
import type { DoubleServices } from '../double-services.ts';
import { badRequest, notFound } from '../harbor-error.ts';
import { accessoriesOfArtifact, type AccessoryRow } from '../store/accessories.ts';
import { findArtifact } from '../store/artifacts.ts';
import { isoTime, paging, parseQ, projectForAccess, setListHeaders } from './api-support.ts';

/** Harbor's preset icons of the accessory types (src/lib/icon/const.go); other types have none. */
const ICONS: Record<string, string> = {
  'signature.cosign': 'sha256:20401d5b3a0f6dbc607c8d732eb08471af4ae6b19811a4efce8c6a724aed2882',
  'signature.notation': 'sha256:3ac706e102bbe9362b400aa162df58135d35e66b9c3bee2165de92022d25fe34',
  'accelerator.nydus': 'sha256:dfcb6617cd9c144358dc1b305b87bbe34f0b619f1e329116e6aee2e41f2e34cf',
  'sbom.harbor': 'sha256:c19f80c357cd7e90d2a01b9ae3e2eb62ce447a2662bb590a19177d72d550bdae',
};

export function accessoryModel(row: AccessoryRow): Record<string, unknown> {
  return {
    artifact_id: row.artifact_id,
    creation_time: isoTime(row.creation_time),
    digest: row.digest,
    icon: ICONS[row.type] ?? '',
    id: row.id,
    size: row.size,
    subject_artifact_digest: row.subject_artifact_digest,
    subject_artifact_id: row.subject_artifact_id,
    subject_artifact_repo: row.subject_artifact_repo,
    type: row.type,
  };
}

/** `accessories` of an artifact model: null when there are none, as Harbor renders it. */
export async function accessoriesField(db: Queryable, artifactId: number): Promise<Record<string, unknown>[] | null> {
  const rows = await accessoriesOfArtifact(db, artifactId);
  return rows.length > 0 ? rows.map(accessoryModel) : null;
}

export function registerAccessoryRoutes(app: FastifyInstance, services: DoubleServices): void {
  app.get(
    '/api/v2.0/projects/:project/repositories/:repository/artifacts/:reference/accessories',
    async (request, reply) => {
      const params = request.params as { project: string; repository: string; reference: string };
      const project = await projectForAccess(services, request.security, params.project, 'accessory', 'list', true);
      const query = request.query as Record<string, string | undefined>;
      const page = paging(query);
      const name = `${project.name}/${decodeURIComponent(params.repository)}`;
      const artifact = await findArtifact(services.db, name, params.reference);
      if (!artifact) throw notFound(`artifact ${name}:${params.reference} not found`);
      let rows = await accessoriesOfArtifact(services.db, artifact.id);
      for (const [key, { value, fuzzy }] of parseQ(query['q'])) {
        if (!['type', 'digest'].includes(key)) throw badRequest(`invalid query key: ${key}`);
        rows = rows.filter((row) => {
          const field = key === 'type' ? row.type : row.digest;
          return fuzzy ? field.includes(value) : field === value;
        });
      }
      setListHeaders(request, reply, rows.length, page);
      return rows.slice((page.page - 1) * page.pageSize, page.page * page.pageSize).map(accessoryModel);
    },
  );
}

/** Fills `accessories` of an artifact model when with_accessory=true (it stays null otherwise). */
export async function withAccessories(
  db: Queryable,
  model: Record<string, unknown>,
  artifactId: number,
  wanted: boolean,
): Promise<Record<string, unknown>> {
  if (wanted) model['accessories'] = await accessoriesField(db, artifactId);
  return model;
}
