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
echo ">> Samverkan on http://127.0.0.1:${PORT:-8000}/ (log in as samordnare / demo)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
