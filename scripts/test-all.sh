#!/usr/bin/env bash
# The one test command (README, .ci/run): sets up what the tests need, then runs every suite.
#   1. Debian chromium for the browser tests (installed with apt when missing)
#   2. PostgreSQL: TEST_DATABASE_URL if set; otherwise the local PostgreSQL 15 cluster is started
#      (and a test database made) when installed; otherwise the PostgreSQL pass is skipped, loudly
#   3. type-check, lint, migration drift, unit + integration on PGlite, integration on PostgreSQL,
#      browser end-to-end with axe, dependency audit
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

if [ ! -d node_modules ]; then step "installing npm packages"; npm ci; fi

step "browser"
if [ -z "${CHROMIUM_PATH:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is missing: installing Debian's chromium package"
    if ! (as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null); then
      echo "ERROR: could not install chromium. Run 'sudo apt-get install chromium' (or set CHROMIUM_PATH to a Chromium binary) and try again." >&2
      exit 1
    fi
  fi
  export CHROMIUM_PATH="$(command -v chromium)"
fi
echo "using $CHROMIUM_PATH"
# Certificates embed DejaVu Sans for Polish letters (src/modules/accreditation/certificate.ts).
if [ -z "${CERTIFICATE_FONT_DIR:-}" ] && [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "DejaVu fonts are missing: installing Debian's fonts-dejavu-core package"
  (as_root apt-get install -y -qq fonts-dejavu-core >/dev/null) || echo "WARNING: could not install fonts-dejavu-core; set CERTIFICATE_FONT_DIR to a folder with DejaVuSans.ttf" >&2
fi

step "PostgreSQL"
if [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_lsclusters >/dev/null 2>&1; then
  cluster=$(pg_lsclusters --no-header | awk '$1=="15"{print $1" "$2; exit}')
  [ -n "$cluster" ] || cluster=$(pg_lsclusters --no-header | awk '{print $1" "$2; exit}')
  if [ -n "$cluster" ]; then
    set -- $cluster
    ver=$1 name=$2
    if ! pg_lsclusters --no-header | awk -v v="$ver" -v n="$name" '$1==v && $2==n' | grep -q online; then
      echo "starting PostgreSQL cluster $ver/$name"
      as_root pg_ctlcluster "$ver" "$name" start || { echo "ERROR: could not start PostgreSQL $ver/$name: run 'sudo pg_ctlcluster $ver $name start' or set TEST_DATABASE_URL" >&2; exit 1; }
    fi
    port=$(pg_lsclusters --no-header | awk -v v="$ver" -v n="$name" '$1==v && $2==n {print $3}')
    psql_admin() { if [ "$(id -u)" = 0 ]; then su postgres -c "psql -p $port -qAtX $*"; else sudo -n -u postgres psql -p "$port" -qAtX "$@"; fi; }
    fail_db() { echo "ERROR: could not create the test database on PostgreSQL $ver/$name (needs root or the postgres user). Set TEST_DATABASE_URL to a database you own and run again." >&2; exit 1; }
    psql_admin "-c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='pm_test') THEN CREATE ROLE pm_test LOGIN PASSWORD 'pm_test'; END IF; END\\\$\\\$\"" >/dev/null || fail_db
    psql_admin "-c \"DROP DATABASE IF EXISTS pm_test WITH (FORCE)\"" >/dev/null || fail_db
    psql_admin "-c \"CREATE DATABASE pm_test OWNER pm_test\"" >/dev/null || fail_db
    export TEST_DATABASE_URL="postgres://pm_test:pm_test@127.0.0.1:$port/pm_test"
  fi
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "integration suite will also run on PostgreSQL"; else
  echo "WARNING: no PostgreSQL (install postgresql-15 or set TEST_DATABASE_URL): integration runs on PGlite only"; fi

step "type-check"
npx tsc --noEmit -p .
step "lint"
npx eslint .
step "unit and integration tests (PGlite)"
env -u TEST_DATABASE_URL npx vitest run
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "integration tests (PostgreSQL)"
  # The pure vote-counting engine does not touch the database: it ran above.
  npx vitest run --exclude 'src/modules/voting/**' --exclude 'src/lib/**'
fi
step "end-to-end tests (Chromium + axe)"
npx vitest run --config vitest.e2e.config.ts
step "dependency audit"
if out=$(npm audit --audit-level=high --omit=dev 2>&1); then
  echo "$out" | tail -1
elif grep -qiE "audit endpoint|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT" <<<"$out"; then
  echo "npm audit could not reach the registry's audit service here: skipped (it runs wherever the registry answers)"
else
  echo "$out"; echo "ERROR: npm audit found high-severity vulnerabilities" >&2; exit 1
fi
step "all suites passed"
