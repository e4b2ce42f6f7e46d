// Shapes of the Harbor API v2.0 bodies the harness uses (swagger definitions, v2.15.2; fields optional
// where Harbor omits them). Index signatures keep fields this file does not list reachable.

export interface HarborErrorBody {
  errors?: { code?: string; message?: string }[];
}

export interface SystemInfo {
  banner_message?: string;
  current_time?: string;
  registry_url?: string;
  external_url?: string;
  auth_mode?: string;
  primary_auth_mode?: boolean;
  project_creation_restriction?: string;
  self_registration?: boolean;
  has_ca_root?: boolean;
  /** Only when authenticated, e.g. "v2.15.2-080b0220". */
  harbor_version?: string;
  registry_storage_provider_name?: string;
  read_only?: boolean;
  notification_enable?: boolean;
  oidc_provider_name?: string;
  [key: string]: unknown;
}

export interface ComponentHealth {
  name: string;
  status: string;
  error?: string;
}

export interface OverallHealth {
  status: string;
  components: ComponentHealth[];
}

/** GET /configurations: every item is {value, editable}. */
export type ConfigurationsResponse = Record<string, { value: unknown; editable: boolean } | unknown>;

/** PUT /configurations: a flat subset, e.g. {"robot_token_duration": 30}. */
export type ConfigurationsUpdate = Record<string, string | number | boolean | Record<string, unknown>>;

/** Project metadata values are strings ("true"/"false", severity names…). */
export interface ProjectMetadata {
  public?: string;
  enable_content_trust?: string;
  enable_content_trust_cosign?: string;
  prevent_vul?: string;
  severity?: string;
  auto_scan?: string;
  auto_sbom_generation?: string;
  reuse_sys_cve_allowlist?: string;
  retention_id?: string;
  proxy_speed_kb?: string;
  max_upstream_conn?: string;
  proxy_cache_local_on_not_found?: string;
  [key: string]: string | undefined;
}

export interface CveAllowlist {
  id?: number;
  project_id?: number;
  expires_at?: number | null;
  items?: { cve_id: string }[];
  creation_time?: string;
  update_time?: string;
}

export interface ProjectReq {
  project_name?: string;
  public?: boolean;
  metadata?: ProjectMetadata;
  cve_allowlist?: CveAllowlist;
  storage_limit?: number;
  registry_id?: number | null;
}

export interface Project {
  project_id: number;
  owner_id?: number;
  name: string;
  registry_id?: number;
  creation_time?: string;
  update_time?: string;
  deleted?: boolean;
  owner_name?: string;
  togglable?: boolean;
  current_user_role_id?: number;
  current_user_role_ids?: number[];
  repo_count?: number;
  metadata?: ProjectMetadata;
  cve_allowlist?: CveAllowlist;
  [key: string]: unknown;
}

export interface RobotAccess {
  resource: string;
  action: string;
  effect?: string;
}

export interface RobotPermission {
  kind: 'project' | 'system' | string;
  namespace: string;
  access: RobotAccess[];
}

export interface RobotCreate {
  name: string;
  description?: string;
  level: 'project' | 'system';
  /** Days; -1 never expires (0/omitted is refused by Harbor). */
  duration: number;
  disable?: boolean;
  permissions: RobotPermission[];
  secret?: string;
}

export interface RobotCreated {
  id: number;
  /** Full name with prefix, e.g. "robot$p1+ci". */
  name: string;
  secret: string;
  creation_time?: string;
  expires_at?: number;
}

export interface Robot {
  id: number;
  name: string;
  description?: string;
  secret?: string;
  level: string;
  duration: number;
  editable?: boolean;
  disable?: boolean;
  expires_at?: number;
  permissions: RobotPermission[];
  creator_type?: string;
  creator_ref?: number;
  creation_time?: string;
  update_time?: string;
  [key: string]: unknown;
}

export interface Repository {
  id: number;
  project_id: number;
  /** Full name, e.g. "p1/app". */
  name: string;
  description?: string;
  artifact_count?: number;
  pull_count?: number;
  creation_time?: string;
  update_time?: string;
}

export interface Tag {
  id: number;
  repository_id: number;
  artifact_id: number;
  name: string;
  push_time?: string;
  pull_time?: string;
  immutable?: boolean;
}

export interface VulnerabilitySummary {
  total?: number;
  fixable?: number;
  summary?: Record<string, number>;
}

export interface NativeReportSummary {
  report_id?: string;
  scan_status?: string;
  severity?: string;
  duration?: number;
  summary?: VulnerabilitySummary;
  start_time?: string;
  end_time?: string;
  complete_percent?: number;
  scanner?: { name?: string; vendor?: string; version?: string };
}

export interface Accessory {
  id: number;
  artifact_id: number;
  subject_artifact_id?: number;
  subject_artifact_digest?: string;
  subject_artifact_repo?: string;
  size: number;
  digest: string;
  /** e.g. "signature.cosign", "signature.notation", "sbom.harbor". */
  type: string;
  icon?: string;
  creation_time?: string;
}

export interface Artifact {
  id: number;
  type: string;
  media_type: string;
  manifest_media_type: string;
  artifact_type?: string;
  project_id: number;
  repository_id: number;
  repository_name?: string;
  digest: string;
  size: number;
  icon?: string;
  push_time?: string;
  pull_time?: string;
  extra_attrs?: Record<string, unknown>;
  annotations?: Record<string, string>;
  references?: {
    parent_id: number;
    child_id: number;
    child_digest: string;
    platform?: Record<string, unknown>;
    annotations?: Record<string, string>;
    urls?: string[];
  }[];
  tags?: Tag[] | null;
  labels?: unknown[] | null;
  /** Keyed by report MIME type, e.g. "application/vnd.security.vulnerability.report; version=1.1". */
  scan_overview?: Record<string, NativeReportSummary>;
  sbom_overview?: Record<string, unknown>;
  accessories?: Accessory[] | null;
  [key: string]: unknown;
}

export interface AuditLog {
  id: number;
  username: string;
  resource: string;
  resource_type: string;
  operation: string;
  op_time: string;
}

export interface AuditLogExt extends AuditLog {
  operation_description?: string;
  operation_result?: boolean;
}
