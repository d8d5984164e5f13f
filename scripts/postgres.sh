# shellcheck shell=bash
#
# Makes the local PostgreSQL server available to the database tests, sourced
# by ./dev after toolchain.sh. Database tests use Backstage's TestDatabases,
# which reads BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING.

PG_HOST="${ASTRO_TEST_PG_HOST:-127.0.0.1}"
PG_PORT="${ASTRO_TEST_PG_PORT:-5432}"
PG_USER="${ASTRO_TEST_PG_USER:-postgres}"

postgres_reachable() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
  else
    (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
  fi
}

start_local_postgres() {
  command -v pg_ctlcluster >/dev/null || return 1
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
  [ -n "$version" ] || return 1
  log "Starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || return 1
  local i
  for i in $(seq 1 30); do
    postgres_reachable && return 0
    sleep 1
  done
  return 1
}

# Exports the connection string for TestDatabases. In CI a missing server is
# fatal; locally the database tests fall back to SQLite only, loudly.
ensure_postgres() {
  if ! postgres_reachable; then
    start_local_postgres ||
      { [ "${CI:-}" = "true" ] && ensure_debian_packages postgresql && start_local_postgres; } ||
      true
  fi

  if postgres_reachable; then
    local major
    major="$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc 'show server_version_num' 2>/dev/null | cut -c1-2)"
    major="${major:-15}"
    export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://$PG_USER@$PG_HOST:$PG_PORT"
    export ASTRO_TEST_POSTGRES_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT"
    log "Database tests run on SQLite and PostgreSQL $major at $PG_HOST:$PG_PORT"
    return 0
  fi

  if [ "${CI:-}" = "true" ]; then
    die "PostgreSQL is not reachable at $PG_HOST:$PG_PORT; CI requires it."
  fi
  warn "######################################################################"
  warn "PostgreSQL is NOT reachable at $PG_HOST:$PG_PORT."
  warn "Database tests will run on SQLite ONLY. Start PostgreSQL to test both."
  warn "######################################################################"
}
