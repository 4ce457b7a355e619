#!/usr/bin/env bash
# make mutants: mutation testing (mutmut) of the access rules against their fast tests,
# on a throwaway PostgreSQL. Prints the kill rate and the surviving mutants.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
cluster=$(mktemp -d /tmp/samverkan-pg.XXXXXX)
cleanup() { scripts/pg-cluster.sh stop "$cluster"; }
trap cleanup EXIT INT TERM
DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
export DATABASE_URL DJANGO_DEBUG=1 DJANGO_ALLOW_ASYNC_UNSAFE=true
rm -rf mutants
.venv/bin/mutmut run --max-children "${MUTANT_CHILDREN:-1}" "$@" || true
.venv/bin/mutmut results --all true | tee mutants-results.txt | tail -n 40
killed=$(grep -c ": killed" mutants-results.txt || true)
total=$(grep -c ": " mutants-results.txt || true)
echo ">> mutants killed: ${killed} of ${total}"
