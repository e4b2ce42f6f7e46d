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
];
