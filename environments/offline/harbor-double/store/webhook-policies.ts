// Webhook (notification) policies of a project (goharbor/harbor src/pkg/notification/policy/dao/dao.go@v2.15.x).
import type { Queryable } from '../database.ts';

export interface WebhookTarget {
  type: string;
  address: string;
  auth_header?: string;
  skip_cert_verify: boolean;
  payload_format?: string;
}

export interface WebhookPolicyRow {
  id: number;
  name: string;
  project_id: number;
  description: string;
  targets: WebhookTarget[];
  event_types: string[];
  creator: string;
  enabled: boolean;
  creation_time: Date;
  update_time: Date;
}

export interface WebhookPolicyFields {
  name: string;
  description: string;
  targets: WebhookTarget[];
  event_types: string[];
  creator: string;
  enabled: boolean;
}

export async function insertWebhookPolicy(
  db: Queryable,
  projectId: number,
  fields: WebhookPolicyFields,
): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO notification_policy (name, project_id, description, targets, event_types, creator, enabled)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7) RETURNING id`,
    [
      fields.name,
      projectId,
      fields.description,
      JSON.stringify(fields.targets),
      JSON.stringify(fields.event_types),
      fields.creator,
      fields.enabled,
    ],
  );
  return result.rows[0]!.id;
}

export async function updateWebhookPolicy(db: Queryable, id: number, fields: WebhookPolicyFields): Promise<void> {
  await db.query(
    `UPDATE notification_policy SET name = $2, description = $3, targets = $4::jsonb, event_types = $5::jsonb,
       creator = $6, enabled = $7, update_time = now() WHERE id = $1`,
    [
      id,
      fields.name,
      fields.description,
      JSON.stringify(fields.targets),
      JSON.stringify(fields.event_types),
      fields.creator,
      fields.enabled,
    ],
  );
}

export async function findWebhookPolicy(db: Queryable, id: number): Promise<WebhookPolicyRow | undefined> {
  return (await db.query<WebhookPolicyRow>('SELECT * FROM notification_policy WHERE id = $1', [id])).rows[0];
}

export async function webhookPolicyNamed(
  db: Queryable,
  projectId: number,
  name: string,
): Promise<WebhookPolicyRow | undefined> {
  return (
    await db.query<WebhookPolicyRow>('SELECT * FROM notification_policy WHERE project_id = $1 AND name = $2', [
      projectId,
      name,
    ])
  ).rows[0];
}

/** The project's policies, newest first (creation_time is the model's default sort). */
export async function listWebhookPolicies(db: Queryable, projectId: number): Promise<WebhookPolicyRow[]> {
  return (
    await db.query<WebhookPolicyRow>(
      'SELECT * FROM notification_policy WHERE project_id = $1 ORDER BY creation_time DESC, id DESC',
      [projectId],
    )
  ).rows;
}

export async function deleteWebhookPolicy(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM notification_policy WHERE id = $1', [id]);
}
