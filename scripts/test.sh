#!/usr/bin/env bash
# make test: system packages, venv, translations, a throwaway PostgreSQL, Ruff and the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-packages.sh postgresql gettext chromium fonts-dejavu-core poppler-utils \
  libpango-1.0-0 libpangoft2-1.0-0
scripts/venv.sh
DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv -v 0

echo ">> Ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --diff . | head -50; echo "Run: make format" >&2; exit 1; }

cluster=$(mktemp -d /tmp/samverkan-pg.XXXXXX)
cleanup() { scripts/pg-cluster.sh stop "$cluster"; }
trap cleanup EXIT INT TERM
DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
export DATABASE_URL
export DJANGO_ALLOW_ASYNC_UNSAFE=true
echo ">> Tests run on PostgreSQL: $(.venv/bin/python -c 'import psycopg2, os; c = psycopg2.connect(os.environ["DATABASE_URL"]); cur = c.cursor(); cur.execute("select version()"); print(cur.fetchone()[0].split(",")[0]); cur.execute("select datlocprovider, daticulocale from pg_database where datname = current_database()"); print("collation provider/locale:", cur.fetchone())') at ${DATABASE_URL}"
# The whole suite runs in one process per core (pytest-xdist; each has its own test database,
# live server and browser); a chosen subset runs in one process unless PYTEST_WORKERS is set.
if [[ $# -eq 0 ]]; then workers=${PYTEST_WORKERS:-auto}; else workers=${PYTEST_WORKERS:-0}; fi
# The slowest tests are listed at the end of a whole run (where the suite's time goes).
if [[ $# -eq 0 ]]; then set -- --durations=25; fi
.venv/bin/pytest -n "$workers" "$@"
