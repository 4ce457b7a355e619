#!/usr/bin/env bash
# make mutants: mutation testing (mutmut) of the access rules, the services and the
# selectors against the fast tests, on a throwaway PostgreSQL. Prints the kill rate per
# module and overall, and the surviving mutants.
#   make mutants                              every module in scripts/mutants.py
#   make mutants MODULE=forums/services.py    one module (several: space-separated)
#   MUTANT_CHILDREN=2 make mutants            parallel workers (default 1)
#   MUTANTS_FRESH=1 make mutants              forget cached stats and results first
#   MUTANT_MAX_TESTS=80 make mutants          at most 80 tests per mutant (a lower bound)
# Stats (which test calls which function) and results are kept in mutants/ between runs;
# mutmut re-collects stats for new tests and re-tests changed functions. For the modules
# named in MODULE, every mutant not yet killed is tested again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh postgresql gettext libpango-1.0-0 libpangoft2-1.0-0
scripts/venv.sh
DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=mutants -v 0
cluster=$(mktemp -d /tmp/samverkan-pg.XXXXXX)
cleanup() { scripts/pg-cluster.sh stop "$cluster"; }
trap cleanup EXIT INT TERM
DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
export DATABASE_URL DJANGO_DEBUG=1 DJANGO_ALLOW_ASYNC_UNSAFE=true
# One test database per running child (tests/conftest.py, django_db_modify_db_settings).
SAMVERKAN_MUTANT_SLOTS="$cluster/slots"
SAMVERKAN_MUTANT_CHILDREN="${MUTANT_CHILDREN:-1}"
mkdir -p "$SAMVERKAN_MUTANT_SLOTS"
export SAMVERKAN_MUTANT_SLOTS SAMVERKAN_MUTANT_CHILDREN
if [[ -n "${MUTANTS_FRESH:-}" ]]; then rm -rf mutants; fi
read -r -a modules <<<"${MODULE:-}"
start=$SECONDS
status=0
.venv/bin/python scripts/mutants.py run --max-children="${MUTANT_CHILDREN:-1}" "${modules[@]}" || status=$?
echo ">> mutmut ran for $((SECONDS - start)) s"
.venv/bin/python scripts/mutants.py report "${modules[@]}" | tee mutants-results.txt
exit "$status"
