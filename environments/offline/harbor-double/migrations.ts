// Schema of the double, as ordered migrations. Never edit an applied migration: append a new one.
export interface Migration {
  version: number;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE harbor_user (
  user_id serial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  email text,
  realname text NOT NULL DEFAULT '',
  comment text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  salt text NOT NULL,
  sysadmin_flag boolean NOT NULL DEFAULT false,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE project (
  project_id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  owner_id integer NOT NULL REFERENCES harbor_user(user_id),
  registry_id integer NOT NULL DEFAULT 0,
  creation_time timestamptz NOT NULL DEFAULT clock_timestamp(),
  update_time timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE project_metadata (
  project_id integer NOT NULL REFERENCES project(project_id) ON DELETE CASCADE,
  name text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (project_id, name)
);
CREATE TABLE project_member (
  project_id integer NOT NULL REFERENCES project(project_id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES harbor_user(user_id) ON DELETE CASCADE,
  role integer NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE TABLE robot (
  id serial PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  project_id integer NOT NULL DEFAULT 0,
  level text NOT NULL,
  secret_hash text NOT NULL,
  salt text NOT NULL,
  duration bigint NOT NULL,
  expires_at bigint NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  visible boolean NOT NULL DEFAULT true,
  creator_type text NOT NULL DEFAULT 'local',
  creator_ref integer NOT NULL DEFAULT 0,
  permissions jsonb NOT NULL DEFAULT '[]',
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, project_id)
);
CREATE TABLE repository (
  repository_id serial PRIMARY KEY,
  project_id integer NOT NULL REFERENCES project(project_id) ON DELETE CASCADE,
  name text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  pull_count integer NOT NULL DEFAULT 0,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE artifact (
  id serial PRIMARY KEY,
  project_id integer NOT NULL,
  repository_id integer NOT NULL REFERENCES repository(repository_id) ON DELETE CASCADE,
  repository_name text NOT NULL,
  digest text NOT NULL,
  type text NOT NULL,
  media_type text NOT NULL,
  manifest_media_type text NOT NULL,
  artifact_type text NOT NULL DEFAULT '',
  size bigint NOT NULL,
  extra_attrs jsonb NOT NULL DEFAULT '{}',
  annotations jsonb,
  push_time timestamptz NOT NULL DEFAULT now(),
  pull_time timestamptz,
  UNIQUE (repository_id, digest)
);
CREATE TABLE artifact_reference (
  parent_id integer NOT NULL REFERENCES artifact(id) ON DELETE CASCADE,
  child_digest text NOT NULL,
  platform jsonb,
  PRIMARY KEY (parent_id, child_digest)
);
CREATE TABLE tag (
  id serial PRIMARY KEY,
  repository_id integer NOT NULL REFERENCES repository(repository_id) ON DELETE CASCADE,
  artifact_id integer NOT NULL REFERENCES artifact(id) ON DELETE CASCADE,
  name text NOT NULL,
  push_time timestamptz NOT NULL DEFAULT now(),
  pull_time timestamptz,
  UNIQUE (repository_id, name)
);
CREATE TABLE audit_log_ext (
  id serial PRIMARY KEY,
  project_id integer NOT NULL DEFAULT 0,
  username text NOT NULL,
  resource text NOT NULL DEFAULT '',
  resource_type text NOT NULL DEFAULT '',
  operation text NOT NULL,
  operation_description text NOT NULL DEFAULT '',
  operation_result boolean NOT NULL DEFAULT true,
  op_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_ext_op_time ON audit_log_ext (op_time DESC);
-- The legacy table: nothing in v2.15.2 writes it, so GET /audit-logs lists only pre-upgrade rows.
CREATE TABLE audit_log (
  log_id serial PRIMARY KEY,
  project_id integer NOT NULL DEFAULT 0,
  repo_name text NOT NULL DEFAULT '',
  repo_tag text NOT NULL DEFAULT '',
  operation text NOT NULL,
  username text NOT NULL,
  op_time timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE properties (
  k text PRIMARY KEY,
  v jsonb NOT NULL
);
`,
  },
  {
    version: 2,
    // Scanning (goharbor/harbor src/controller/scan/base_controller.go@v2.15.x): scanner registrations, the project's scanner, one report per
    // artifact digest × registration × report type, and the CVE allowlists (project_id 0 = system).
    sql: `
CREATE TABLE scanner_registration (
  id serial PRIMARY KEY,
  uuid text NOT NULL UNIQUE,
  name text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  url text NOT NULL,
  auth text NOT NULL DEFAULT '',
  access_credential text NOT NULL DEFAULT '',
  skip_cert_verify boolean NOT NULL DEFAULT false,
  use_internal_addr boolean NOT NULL DEFAULT false,
  immutable boolean NOT NULL DEFAULT false,
  disabled boolean NOT NULL DEFAULT false,
  is_default boolean NOT NULL DEFAULT false,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE project_scanner (
  project_id integer PRIMARY KEY REFERENCES project(project_id) ON DELETE CASCADE,
  registration_uuid text NOT NULL
);
CREATE TABLE scan_report (
  uuid text PRIMARY KEY,
  digest text NOT NULL,
  registration_uuid text NOT NULL,
  mime_type text NOT NULL,
  repository_name text NOT NULL,
  status text NOT NULL,
  scanner jsonb,
  report jsonb,
  error text NOT NULL DEFAULT '',
  robot_id integer,
  start_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz,
  UNIQUE (digest, registration_uuid, mime_type)
);
CREATE TABLE cve_allowlist (
  project_id integer PRIMARY KEY,
  items jsonb NOT NULL DEFAULT '[]',
  expires_at bigint,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 3,
    // Accessories (goharbor/harbor src/server/middleware/subject/subject.go@v2.15.x): Harbor's artifact_accessory. subject_artifact_id is 0 while the
    // subject has not been pushed (dangling); the row goes with its accessory artifact.
    sql: `
CREATE TABLE artifact_accessory (
  id serial PRIMARY KEY,
  artifact_id integer NOT NULL REFERENCES artifact(id) ON DELETE CASCADE,
  subject_artifact_id integer NOT NULL DEFAULT 0,
  subject_artifact_repo text NOT NULL,
  subject_artifact_digest text NOT NULL,
  type text NOT NULL,
  size bigint NOT NULL,
  digest text NOT NULL,
  creation_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (artifact_id, subject_artifact_digest)
);
CREATE INDEX artifact_accessory_subject_id ON artifact_accessory (subject_artifact_id);
CREATE INDEX artifact_accessory_subject_digest ON artifact_accessory (subject_artifact_repo, subject_artifact_digest);
`,
  },
  {
    // Project members get ids of their own (GET/PUT/DELETE /projects/{p}/members/{mid}), like Harbor's project_member.id.
    version: 4,
    sql: `
ALTER TABLE project_member ADD COLUMN id serial UNIQUE;
ALTER TABLE project_member ADD COLUMN creation_time timestamptz NOT NULL DEFAULT now();
ALTER TABLE project_member ADD COLUMN update_time timestamptz NOT NULL DEFAULT now();
`,
  },
  {
    // Immutable tag rules as Harbor stores them (goharbor/harbor make/migrations/postgresql/0015_1.10.0_schema.up.sql,
    // src/pkg/immutable/dao/model/rule.go@v2.15.x): the whole rule as JSON in tag_filter, unique per project, and the
    // enable flag in a column of its own (the only thing a PUT that changes `disabled` writes).
    version: 5,
    sql: `
CREATE TABLE immutable_tag_rule (
  id serial PRIMARY KEY,
  project_id integer NOT NULL REFERENCES project(project_id) ON DELETE CASCADE,
  tag_filter text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  creation_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, tag_filter)
);
`,
  },
  {
    // Registry endpoints as Harbor stores them (goharbor/harbor make/migrations/postgresql/0004_1.8.0_schema.up.sql
    // `registry`, src/pkg/reg/dao/model.go@v2.15.2): access_secret encrypted (replication/registry-secret.ts), status
    // "healthy"/"unhealthy" written by create/update and the periodic health checker.
    version: 20,
    sql: `
CREATE TABLE registry (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  url text NOT NULL,
  credential_type text NOT NULL DEFAULT '',
  access_key text NOT NULL DEFAULT '',
  access_secret text NOT NULL DEFAULT '',
  type text NOT NULL,
  insecure boolean NOT NULL DEFAULT false,
  ca_certificate text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT '',
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    // Replication (goharbor/harbor src/pkg/replication/dao/model/policy.go and src/pkg/task/dao/{execution,task}.go@v2.15.2):
    // policies; executions and tasks in tables of their own (Harbor shares `execution`/`task` between vendors) so
    // other jobs of the double can add theirs without a clash; the task log kept on the task.
    version: 21,
    sql: `
CREATE TABLE replication_policy (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  creator text NOT NULL DEFAULT '',
  src_registry_id integer NOT NULL DEFAULT 0,
  dest_registry_id integer NOT NULL DEFAULT 0,
  dest_namespace text NOT NULL DEFAULT '',
  dest_namespace_replace_count integer NOT NULL DEFAULT -1,
  filters jsonb NOT NULL DEFAULT '[]',
  trigger jsonb,
  replicate_deletion boolean NOT NULL DEFAULT false,
  override boolean NOT NULL DEFAULT false,
  enabled boolean NOT NULL DEFAULT false,
  speed_kb integer NOT NULL DEFAULT 0,
  copy_by_chunk boolean NOT NULL DEFAULT false,
  single_active_replication boolean NOT NULL DEFAULT false,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE replication_execution (
  id serial PRIMARY KEY,
  policy_id integer NOT NULL,
  status text NOT NULL,
  status_message text NOT NULL DEFAULT '',
  trigger text NOT NULL,
  extra_attrs jsonb NOT NULL DEFAULT '{}',
  start_time timestamptz NOT NULL DEFAULT clock_timestamp(),
  end_time timestamptz
);
CREATE INDEX replication_execution_policy ON replication_execution (policy_id, start_time DESC);
CREATE TABLE replication_task (
  id serial PRIMARY KEY,
  execution_id integer NOT NULL REFERENCES replication_execution(id) ON DELETE CASCADE,
  job_id text NOT NULL DEFAULT '',
  status text NOT NULL,
  run_count integer NOT NULL DEFAULT 0,
  operation text NOT NULL,
  resource_type text NOT NULL,
  src_resource text NOT NULL,
  dst_resource text NOT NULL,
  job jsonb NOT NULL,
  log text NOT NULL DEFAULT '',
  start_time timestamptz NOT NULL DEFAULT clock_timestamp(),
  end_time timestamptz,
  update_time timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX replication_task_execution ON replication_task (execution_id);
`,
  },
  {
    // Tag retention (goharbor/harbor make/migrations/postgresql/0010_1.9.0_schema.up.sql retention_policy,
    // src/pkg/task execution/task@v2.15.x): the policy as its JSON in data, one execution per run and one task
    // per repository with the job's check-in (total, retained) and its log. A project's policies go with it
    // (DeleteRetentionByProject).
    version: 30,
    sql: `
CREATE TABLE retention_policy (
  id serial PRIMARY KEY,
  scope_level text NOT NULL,
  scope_reference integer NOT NULL REFERENCES project(project_id) ON DELETE CASCADE,
  trigger_kind text NOT NULL DEFAULT '',
  data jsonb NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE retention_execution (
  id serial PRIMARY KEY,
  policy_id integer NOT NULL REFERENCES retention_policy(id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'Running',
  status_message text NOT NULL DEFAULT '',
  trigger text NOT NULL,
  dry_run boolean NOT NULL,
  operator text NOT NULL DEFAULT '',
  start_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz
);
CREATE TABLE retention_task (
  id serial PRIMARY KEY,
  execution_id integer NOT NULL REFERENCES retention_execution(id) ON DELETE CASCADE,
  repository text NOT NULL,
  job_id text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'Pending',
  status_revision bigint NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  retained integer NOT NULL DEFAULT 0,
  log text NOT NULL DEFAULT '',
  start_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz
);
`,
  },
  {
    // Blobs, their projects and artifacts, the artifact trash and project quotas as Harbor stores them
    // (goharbor/harbor make/migrations/postgresql/0030_2.0.0_schema.up.sql, src/pkg/blob/dao/dao.go,
    // src/pkg/artifactrash, src/pkg/quota@v2.15.2), and the garbage-collection executions with their logs.
    version: 40,
    sql: `
CREATE TABLE blob (
  id serial PRIMARY KEY,
  digest text NOT NULL UNIQUE,
  content_type text NOT NULL DEFAULT '',
  size bigint NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'none',
  version bigint NOT NULL DEFAULT 0,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE project_blob (
  id serial PRIMARY KEY,
  project_id integer NOT NULL REFERENCES project(project_id) ON DELETE CASCADE,
  blob_id integer NOT NULL REFERENCES blob(id) ON DELETE CASCADE,
  creation_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, blob_id)
);
CREATE TABLE artifact_blob (
  id serial PRIMARY KEY,
  digest_af text NOT NULL,
  digest_blob text NOT NULL,
  creation_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (digest_af, digest_blob)
);
CREATE INDEX artifact_blob_digest_blob ON artifact_blob (digest_blob);
CREATE TABLE artifact_trash (
  id serial PRIMARY KEY,
  media_type text NOT NULL,
  manifest_media_type text NOT NULL,
  repository_name text NOT NULL,
  digest text NOT NULL,
  creation_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (repository_name, digest)
);
CREATE TABLE quota (
  id serial PRIMARY KEY,
  project_id integer NOT NULL UNIQUE REFERENCES project(project_id) ON DELETE CASCADE,
  hard bigint NOT NULL DEFAULT -1,
  used bigint NOT NULL DEFAULT 0,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
INSERT INTO quota (project_id) SELECT project_id FROM project;
CREATE TABLE gc_execution (
  id serial PRIMARY KEY,
  job_kind text NOT NULL,
  job_status text NOT NULL,
  parameters jsonb NOT NULL,
  results jsonb,
  log text NOT NULL DEFAULT '',
  stop_requested boolean NOT NULL DEFAULT false,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    // Webhooks (goharbor/harbor src/pkg/notification/policy/model/model.go, src/pkg/task/dao@v2.15.x): the project's
    // notification policies (targets and event types as JSON, as Harbor stores them), and the executions and tasks of
    // their deliveries (Harbor's generic execution/task tables with vendor_type WEBHOOK; kept apart here).
    version: 50,
    sql: `
CREATE TABLE notification_policy (
  id serial PRIMARY KEY,
  name text NOT NULL,
  project_id integer NOT NULL REFERENCES project(project_id) ON DELETE CASCADE,
  description text NOT NULL DEFAULT '',
  targets jsonb NOT NULL DEFAULT '[]',
  event_types jsonb NOT NULL DEFAULT '[]',
  creator text NOT NULL DEFAULT '',
  enabled boolean NOT NULL DEFAULT false,
  creation_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, project_id)
);
CREATE TABLE webhook_execution (
  id serial PRIMARY KEY,
  policy_id integer NOT NULL REFERENCES notification_policy(id) ON DELETE CASCADE,
  vendor_type text NOT NULL DEFAULT 'WEBHOOK',
  status text NOT NULL DEFAULT 'Running',
  status_message text NOT NULL DEFAULT '',
  trigger text NOT NULL DEFAULT 'EVENT',
  extra_attrs jsonb NOT NULL DEFAULT '{}',
  start_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz
);
CREATE TABLE webhook_task (
  id serial PRIMARY KEY,
  execution_id integer NOT NULL REFERENCES webhook_execution(id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'Pending',
  status_message text NOT NULL DEFAULT '',
  run_count integer NOT NULL DEFAULT 0,
  extra_attrs jsonb NOT NULL DEFAULT '{}',
  log text NOT NULL DEFAULT '',
  creation_time timestamptz NOT NULL DEFAULT now(),
  start_time timestamptz,
  update_time timestamptz NOT NULL DEFAULT now(),
  end_time timestamptz
);
CREATE INDEX webhook_task_execution ON webhook_task (execution_id);
`,
  },
  {
    // Harbor's own indexes on the tables the double shares with it (goharbor/harbor
    // make/migrations/postgresql/0060_2.3.0_schema.up.sql, 0090_2.6.0, 0160_2.13.0@v2.15.2). Without
    // idx_tag_artifact_id every tag lookup and every artifact delete's cascade scans the whole tag table, so a
    // retention run over n artifacts cost O(n²) in the double where it does not in Harbor.
    version: 55,
    sql: `
CREATE INDEX IF NOT EXISTS idx_tag_artifact_id ON tag (artifact_id);
CREATE INDEX IF NOT EXISTS idx_tag_push_time ON tag (push_time);
CREATE INDEX IF NOT EXISTS idx_artifact_push_time ON artifact (push_time);
CREATE INDEX IF NOT EXISTS idx_artifact_repository_name ON artifact (repository_name);
CREATE INDEX IF NOT EXISTS idx_artifact_digest_project_id ON artifact (digest, project_id);
CREATE INDEX IF NOT EXISTS idx_audit_log_project_id_optime ON audit_log (project_id, op_time);
CREATE INDEX IF NOT EXISTS idx_audit_log_ext_project_id_optime ON audit_log_ext (project_id, op_time);
CREATE INDEX IF NOT EXISTS idx_audit_log_ext_project_id_resource_type ON audit_log_ext (project_id, resource_type);
CREATE INDEX IF NOT EXISTS idx_audit_log_ext_project_id_operation ON audit_log_ext (project_id, operation);
-- The double's own foreign key (Harbor's project_blob has none, 0010_1.9.0_schema.up.sql): without an index on
-- blob_id every blob row GC deletes scans project_blob for the cascade, O(n²) over a collection.
CREATE INDEX IF NOT EXISTS project_blob_blob_id ON project_blob (blob_id);
`,
  },
  {
    // The v2.15.0 schema step (upgrade/emulated-versions.ts): Harbor adds registry.ca_certificate as a nullable
    // TEXT, NULL meaning "no CA of its own" (goharbor/harbor make/migrations/postgresql/0180_2.15.0_schema.up.sql
    // @v2.15.2). The double kept the column since migration 20 as NOT NULL DEFAULT ''; this brings it to Harbor's
    // shape and turns the v2.14 "no CA" rows into NULL.
    version: 60,
    sql: `
ALTER TABLE registry ADD COLUMN IF NOT EXISTS ca_certificate text;
ALTER TABLE registry ALTER COLUMN ca_certificate DROP NOT NULL;
ALTER TABLE registry ALTER COLUMN ca_certificate DROP DEFAULT;
UPDATE registry SET ca_certificate = NULL WHERE ca_certificate = '';
`,
  },
];
