# The two commands: `make run` and `make test`. Everything else is a helper.
.PHONY: run test venv messages lint format bench-pages bench-pdf bench-load mutants fuzz clean

run:
	scripts/run.sh

test:
	scripts/test.sh

venv:
	scripts/venv.sh

# Extract new strings into the Swedish catalogue (then translate them) and compile.
messages: venv
	DJANGO_DEBUG=1 .venv/bin/python manage.py makemessages -l sv --ignore=.venv --ignore=staticfiles --ignore=static/* --ignore=mutants --no-obsolete --add-location=file
	DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages --ignore=.venv

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: venv
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

bench-pages:
	scripts/bench.sh pages

bench-pdf:
	scripts/bench.sh pdf

bench-load:
	scripts/bench.sh load

# Mutation testing of access, services and selectors (not part of make test: it takes long).
# One module: make mutants MODULE=forums/services.py
mutants:
	MODULE="$(MODULE)" scripts/mutants.sh

# Fuzzing with many examples and random seeds (not part of make test, which runs the same
# tests with a few examples from fixed seeds). FUZZ_EXAMPLES=300 make fuzz for a longer run.
fuzz:
	scripts/fuzz.sh

clean:
	rm -rf .venv staticfiles db.sqlite3 media
