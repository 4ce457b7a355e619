#!/usr/bin/env bash
# make run: venv, translations, migrations, demo data and the development server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh gettext libpango-1.0-0 libpangoft2-1.0-0
scripts/venv.sh
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
.venv/bin/python manage.py compilemessages --ignore=.venv -v 0
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo
# The background worker renders PDFs (django-tasks' database backend); it stops with the server.
.venv/bin/python manage.py db_worker --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo ">> Samverkan on http://127.0.0.1:${PORT:-8000}/ (log in as samordnare / demo); PDF worker pid $worker"
.venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
