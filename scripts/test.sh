#!/usr/bin/env bash
#
# The whole test suite, run by `./dev test` (which prepares the toolchain,
# dependencies and PostgreSQL first) and by `.ci/run`. Any failure fails it.
# Jest runs last so that the output ends with its summary lines.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/toolchain.sh
. "$ROOT/scripts/toolchain.sh"
cd "$ROOT"

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*" >&2; }

step "Type check (tsc)"
yarn tsc

step "Lint"
yarn lint:all

step "Formatting (prettier)"
yarn prettier:check

if [ "${ASTRO_SKIP_E2E:-}" = "1" ]; then
  warn "ASTRO_SKIP_E2E=1: browser end-to-end tests skipped"
else
  step "Browser end-to-end tests (Playwright + Chromium)"
  CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$CHROMIUM_PATH" ]; then
    ensure_debian_packages chromium ||
      die "Chromium is needed for the e2e tests; install Debian's chromium package."
  fi
  export CHROMIUM_PATH
  yarn playwright test
fi

step "Unit and integration tests (Jest; database tests on SQLite and PostgreSQL)"
# The Airflow sign-in code shipped to Deployments (assets/airflow_portal_auth)
# is tested with Debian's python3 and its PyJWT; the simulator with the
# official Python Kubernetes client.
ensure_debian_packages python3 python3-jwt python3-kubernetes ||
  warn "python3-jwt or python3-kubernetes is missing: the tests of assets/airflow_portal_auth and the simulator's Python client tests will be skipped"
export BACKSTAGE_TEST_DISABLE_DOCKER=1
# @kubernetes/client-node is ESM and loaded with a dynamic import().
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings=ExperimentalWarning"
yarn test --watchAll=false "$@"
