#!/usr/bin/env bash
# The whole test suite: set up .venv with the test dependencies, then lint, type-check and test.
# The storage and service tests also run against PostgreSQL (ARMSGATE_TEST_POSTGRES_URL,
# default postgresql+psycopg://postgres@127.0.0.1:5432/postgres). Where it cannot be reached
# they are skipped and this script says so; with CI=true an unreachable PostgreSQL fails the run.
# The browser tests drive Debian's Chromium, which this script installs (apt-get) if missing.
set -euo pipefail
. "$(dirname "$0")/setup-venv.sh" test

export ARMSGATE_TEST_POSTGRES_URL="${ARMSGATE_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
if .venv/bin/python -m armsgate.store.probe "$ARMSGATE_TEST_POSTGRES_URL"; then
  echo "PostgreSQL reachable: storage and service tests run on SQLite and PostgreSQL"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $ARMSGATE_TEST_POSTGRES_URL and CI=true: failing" >&2
  exit 1
else
  echo "PostgreSQL is NOT reachable at $ARMSGATE_TEST_POSTGRES_URL:"
  echo "  its storage and service tests will be SKIPPED (SQLite ones still run)"
fi

. "$(dirname "$0")/install-chromium.sh"

echo "== ruff"; .venv/bin/ruff check src tests benchmarks
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest -n 2 "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$status"
