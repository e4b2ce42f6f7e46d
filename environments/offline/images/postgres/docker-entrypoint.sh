#!/bin/bash
# Like the official postgres image's entrypoint, reduced to what the harness uses:
# first start runs initdb with POSTGRES_USER / POSTGRES_PASSWORD, creates POSTGRES_DB, accepts
# password (scram-sha-256) connections from anywhere; then `postgres [args]` runs as user postgres.
set -Eeuo pipefail
if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo "Error: POSTGRES_PASSWORD is not set: set it (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  initdb --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
    --auth-local=trust --auth-host="$auth" --encoding=UTF8 --locale=C.UTF-8 --no-sync \
    -D "$PGDATA" >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    # single-user mode: no temporary server to start and stop
    printf 'CREATE DATABASE "%s";\n' "${db//\"/\"\"}" | postgres --single -j -D "$PGDATA" postgres >/dev/null
  fi
  echo "PostgreSQL init process complete; ready for start up."
fi
exec "$@"
