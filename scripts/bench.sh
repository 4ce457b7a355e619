#!/usr/bin/env bash
# Benchmarks: scripts/bench.sh pdf|pages|load  (make bench-pdf, bench-pages, bench-load)
set -euo pipefail
cd "$(dirname "$0")/.."

case=${1:-}
shift || true

case $case in
  pdf)
    # Render time, peak memory and time per page for the three reference agreements and
    # synthetic 10/20/40-page ones; serving a stored signed PDF. A throwaway PostgreSQL
    # holds the demo data. Extra arguments go to bench/pdf.py (e.g. --runs 9).
    scripts/ensure-packages.sh postgresql gettext libpango-1.0-0 libpangoft2-1.0-0
    scripts/venv.sh
    cluster=$(mktemp -d /tmp/samverkan-bench-pg.XXXXXX)
    trap 'scripts/pg-cluster.sh stop "$cluster"' EXIT INT TERM
    DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
    export DATABASE_URL DJANGO_DEBUG=1 DJANGO_LOG_LEVEL=WARNING
    echo ">> Migrating and loading the demo data into $DATABASE_URL"
    .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
    .venv/bin/python manage.py migrate --noinput -v 0
    .venv/bin/python manage.py load_demo >/dev/null
    .venv/bin/python bench/pdf.py "$@"
    ;;
  pages)
    # Median/p95 server time of the main pages for a coordinator and a staff user, beside
    # the admin changelist and /healthz, on a throwaway PostgreSQL holding generate_scale's
    # national set. Options: --municipalities N (default 290), --activities-per-plan N,
    # --years N go to generate_scale; --requests N goes to bench/pages.py.
    scripts/ensure-packages.sh postgresql gettext
    scripts/venv.sh
    gen_args=() bench_args=()
    while [[ $# -gt 0 ]]; do
      case $1 in
        --municipalities|--activities-per-plan|--years|--seed) gen_args+=("$1" "$2"); shift 2 ;;
        *) bench_args+=("$1"); shift ;;
      esac
    done
    cluster=$(mktemp -d /tmp/samverkan-bench-pg.XXXXXX)
    serverlog=$(mktemp /tmp/samverkan-bench-gunicorn.XXXXXX.log)
    trap 'scripts/pg-cluster.sh stop "$cluster"' EXIT INT TERM
    DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
    export DATABASE_URL DJANGO_DEBUG=1 DJANGO_LOG_LEVEL=WARNING
    echo ">> Migrating and generating the synthetic data set into $DATABASE_URL"
    .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
    .venv/bin/python manage.py migrate --noinput -v 0
    start=$(date +%s)
    .venv/bin/python manage.py generate_scale "${gen_args[@]}" | grep -v '^  [a-z]'
    echo ">> generate_scale took $(( $(date +%s) - start )) s; analysing"
    .venv/bin/python manage.py dbshell -- -c 'VACUUM ANALYZE' >/dev/null
    .venv/bin/python bench/pages.py "${bench_args[@]}"
    ;;
  load)
    # 20 logged-in users browsing for 60 s against gunicorn on 127.0.0.1 with production
    # settings and a throwaway PostgreSQL holding the demo data; then 60 s more where two of
    # them ask for PDFs continuously, printed by a db_worker beside gunicorn (at nice 10, as a
    # worker sharing a machine with the web servers should run; in production it is its own
    # service). Extra arguments go to bench/load.py (e.g. --think 0 --duration 30, --pdf-users 0).
    scripts/ensure-packages.sh postgresql gettext
    scripts/venv.sh
    cluster=$(mktemp -d /tmp/samverkan-bench-pg.XXXXXX)
    serverlog=$(mktemp /tmp/samverkan-bench-gunicorn.XXXXXX.log)
    gunicorn_pid= worker_pid=
    cleanup() {
      [[ -n $gunicorn_pid ]] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null
      [[ -n $worker_pid ]] && kill "$worker_pid" 2>/dev/null && wait "$worker_pid" 2>/dev/null
      scripts/pg-cluster.sh stop "$cluster"
    }
    trap cleanup EXIT INT TERM
    DATABASE_URL=$(scripts/pg-cluster.sh start "$cluster")
    export DATABASE_URL
    export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="bench-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_LOG_LEVEL=WARNING
    echo ">> Migrating and loading the demo data into $DATABASE_URL"
    .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
    .venv/bin/python manage.py migrate --noinput -v 0
    .venv/bin/python manage.py load_demo --force >/dev/null
    # Production settings serve static files from the collectstatic manifest (staticfiles/).
    .venv/bin/python manage.py collectstatic --noinput -v 0
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    workers=${BENCH_WORKERS:-$(( $(nproc) * 2 + 1 ))}
    export DJANGO_MEDIA_ROOT=${DJANGO_MEDIA_ROOT:-$cluster/media}
    echo ">> gunicorn on 127.0.0.1:$port with $workers workers, and a PDF worker (db_worker)"
    .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers "$workers" \
      --access-logfile /dev/null >"$serverlog" 2>&1 &
    gunicorn_pid=$!
    nice -n 10 .venv/bin/python manage.py db_worker >>"$serverlog" 2>&1 &
    worker_pid=$!
    for _ in $(seq 1 60); do
      python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" 2>/dev/null && break
      sleep 0.5
    done
    .venv/bin/python bench/load.py --base-url "http://127.0.0.1:$port" --users 20 --duration 60 --pdf-users 2 "$@" \
      || { echo ">> server log (last lines of $serverlog):" >&2; tail -n 30 "$serverlog" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 pdf|pages|load [options]" >&2; exit 2 ;;
esac
