// The fewest harbor-core variables loadConfig accepts, for unit tests of the double's configuration.
export const MINIMAL_CONFIG_ENV = {
  EXT_ENDPOINT: 'http://127.0.0.1:1',
  POSTGRESQL_HOST: '127.0.0.1',
  POSTGRESQL_USERNAME: 'postgres',
  _REDIS_URL_CORE: 'redis://127.0.0.1:1',
  REGISTRY_URL: 'http://127.0.0.1:1',
  REGISTRY_CREDENTIAL_USERNAME: 'harbor_registry_user',
  REGISTRY_CREDENTIAL_PASSWORD: 'x',
  HARBOR_ADMIN_PASSWORD: 'x',
  TOKEN_PRIVATE_KEY_PATH: '/nonexistent/key.pem',
} as const;
