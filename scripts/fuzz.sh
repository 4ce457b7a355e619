#!/usr/bin/env bash
# make fuzz: the fuzzing tests with many examples and random seeds (Hypothesis profile
# "fuzz"), on a throwaway PostgreSQL. Not part of make test, which runs the same tests with
# a few examples from fixed seeds. FUZZ_EXAMPLES sets the examples per form (default 60;
# each list page gets half as many per persona). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-packages.sh postgresql gettext
scripts/venv.sh
DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv -v 0

cluster=$(mktemp -d /tmp/samverkan-pg.XXXXXX)
cleanup() { scripts/pg-cluster.sh stop "$cluster"; }
trap cleanup EXIT INT TERM
DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
export DATABASE_URL
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export HYPOTHESIS_PROFILE=fuzz
echo ">> Fuzzing with ${FUZZ_EXAMPLES:-60} examples per form (random seeds)"
start=$(date +%s)
status=0
.venv/bin/pytest tests/security/test_fuzz_forms.py tests/security/test_fuzz_queries.py \
  tests/security/test_hostile_input.py tests/security/test_hostile_query.py \
  -p no:randomly -q "$@" || status=$?
echo ">> make fuzz took $(( $(date +%s) - start )) s"
exit $status
