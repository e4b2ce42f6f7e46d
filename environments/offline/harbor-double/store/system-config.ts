// System configuration (Harbor's /api/v2.0/configurations user-scope items), kept in the `properties`
// table. Defaults are Harbor's (goharbor/harbor src/lib/config/metadata/metadatalist.go@v2.15.x); values are typed like Harbor's metadata list.
import type { Database } from '../database.ts';
import { badRequest } from '../harbor-error.ts';

type ItemType = 'string' | 'bool' | 'int';
interface Item {
  type: ItemType;
  default: string | boolean | number;
  /** Never returned by GET (Harbor's password-type items). */
  password?: boolean;
  enum?: readonly string[];
}

const MAX_DURATION = 9_999_999_999;

export const configItems: Record<string, Item> = {
  auth_mode: {
    type: 'string',
    default: 'db_auth',
    enum: ['db_auth', 'ldap_auth', 'uaa_auth', 'http_auth', 'oidc_auth'],
  },
  primary_auth_mode: { type: 'bool', default: false },
  ldap_base_dn: { type: 'string', default: '' },
  ldap_filter: { type: 'string', default: '' },
  ldap_group_base_dn: { type: 'string', default: '' },
  ldap_group_admin_dn: { type: 'string', default: '' },
  ldap_group_attribute_name: { type: 'string', default: '' },
  ldap_group_search_filter: { type: 'string', default: '' },
  ldap_group_search_scope: { type: 'int', default: 2 },
  ldap_group_attach_parallel: { type: 'bool', default: false },
  ldap_scope: { type: 'int', default: 2 },
  ldap_search_dn: { type: 'string', default: '' },
  ldap_search_password: { type: 'string', default: '', password: true },
  ldap_timeout: { type: 'int', default: 5 },
  ldap_uid: { type: 'string', default: 'cn' },
  ldap_url: { type: 'string', default: '' },
  ldap_verify_cert: { type: 'bool', default: true },
  ldap_group_membership_attribute: { type: 'string', default: 'memberof' },
  project_creation_restriction: { type: 'string', default: 'everyone', enum: ['everyone', 'adminonly'] },
  read_only: { type: 'bool', default: false },
  self_registration: { type: 'bool', default: false },
  token_expiration: { type: 'int', default: 30 },
  uaa_client_id: { type: 'string', default: '' },
  uaa_client_secret: { type: 'string', default: '' },
  uaa_endpoint: { type: 'string', default: '' },
  uaa_verify_cert: { type: 'bool', default: false },
  http_authproxy_endpoint: { type: 'string', default: '' },
  http_authproxy_tokenreview_endpoint: { type: 'string', default: '' },
  http_authproxy_admin_groups: { type: 'string', default: '' },
  http_authproxy_admin_usernames: { type: 'string', default: '' },
  http_authproxy_verify_cert: { type: 'bool', default: true },
  http_authproxy_skip_search: { type: 'bool', default: false },
  http_authproxy_server_certificate: { type: 'string', default: '' },
  oidc_name: { type: 'string', default: '' },
  oidc_endpoint: { type: 'string', default: '' },
  oidc_client_id: { type: 'string', default: '' },
  oidc_client_secret: { type: 'string', default: '', password: true },
  oidc_groups_claim: { type: 'string', default: '' },
  oidc_admin_group: { type: 'string', default: '' },
  oidc_group_filter: { type: 'string', default: '' },
  oidc_scope: { type: 'string', default: '' },
  oidc_user_claim: { type: 'string', default: '' },
  oidc_verify_cert: { type: 'bool', default: true },
  oidc_auto_onboard: { type: 'bool', default: false },
  oidc_extra_redirect_parms: { type: 'string', default: '{}' },
  oidc_logout: { type: 'bool', default: false },
  robot_token_duration: { type: 'int', default: 30 },
  robot_name_prefix: { type: 'string', default: 'robot$' },
  notification_enable: { type: 'bool', default: true },
  quota_per_project_enable: { type: 'bool', default: true },
  storage_per_project: { type: 'int', default: -1 },
  audit_log_forward_endpoint: { type: 'string', default: '' },
  skip_audit_log_database: { type: 'bool', default: false },
  session_timeout: { type: 'int', default: 60 },
  scanner_skip_update_pulltime: { type: 'bool', default: false },
  banner_message: { type: 'string', default: '' },
  disabled_audit_log_event_types: { type: 'string', default: '' },
  pull_audit_log_disable: { type: 'bool', default: false },
};

const positiveKeys = new Set(['token_expiration', 'robot_token_duration', 'session_timeout']);

export type ConfigValues = Record<string, string | boolean | number>;

export class SystemConfig {
  private readonly db: Database;
  private cache: ConfigValues | undefined;
  constructor(db: Database) {
    this.db = db;
  }

  async all(): Promise<ConfigValues> {
    if (this.cache) return this.cache;
    const values: ConfigValues = {};
    for (const [key, item] of Object.entries(configItems)) values[key] = item.default;
    const rows = await this.db.query<{ k: string; v: string | boolean | number }>('SELECT k, v FROM properties');
    for (const row of rows.rows) if (row.k in configItems) values[row.k] = row.v;
    this.cache = values;
    return values;
  }

  /** Drops the cached values (the properties table was rewritten behind this object's back). */
  forget(): void {
    this.cache = undefined;
  }

  async get<T extends string | boolean | number>(key: string): Promise<T> {
    return (await this.all())[key] as T;
  }

  /** Validates a flat PUT body the way Harbor's config controller does, then stores it. */
  async update(body: Record<string, unknown>, usersOtherThanAdmin: () => Promise<boolean>): Promise<void> {
    const current = await this.all();
    const updates: ConfigValues = {};
    for (const [key, raw] of Object.entries(body)) {
      const item = configItems[key];
      if (!item) continue; // Harbor ignores keys that are not user-scope items
      const value = coerce(key, item, raw);
      if (positiveKeys.has(key)) {
        const n = value as number;
        if (n <= 0) throw badRequest(`the ${key} value must be positive`);
        if (n > MAX_DURATION) throw badRequest(`the ${key} value is over the limit value: ${MAX_DURATION}`);
      }
      if (key === 'auth_mode' && value !== current['auth_mode'] && (await usersOtherThanAdmin())) {
        throw badRequest('the auth mode cannot be modified as new users have been inserted into database');
      }
      updates[key] = value;
    }
    for (const [key, value] of Object.entries(updates)) {
      await this.db.query(
        'INSERT INTO properties (k, v) VALUES ($1, $2::jsonb) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v',
        [key, JSON.stringify(value)],
      );
    }
    this.cache = undefined;
  }
}

function coerce(key: string, item: Item, raw: unknown): string | boolean | number {
  switch (item.type) {
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw badRequest(`the value of ${key} is not a boolean: ${JSON.stringify(raw)}`);
    case 'int': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      throw badRequest(`the value of ${key} is not an integer: ${JSON.stringify(raw)}`);
    }
    case 'string': {
      if (typeof raw !== 'string') throw badRequest(`the value of ${key} is not a string: ${JSON.stringify(raw)}`);
      if (item.enum && !item.enum.includes(raw)) throw badRequest(`invalid value of ${key}: ${raw}`);
      return raw;
    }
  }
}
