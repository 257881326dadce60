# The two commands of the README: `make run` and `make test` (`make check` is the quick tier of the
# tests). Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-stamp
DEV_ENV := DEBUG=1 MFA_REQUIRED_GROUPS=

# Under CI (CI=true) every run creates its test databases afresh; on a developer's machine pytest keeps
# them between runs (--reuse-db). New migrations are still applied to a kept database, but after editing
# or removing a migration, or switching to a branch with other migrations, recreate it once:
# `make check PYTEST_ARGS=--create-db`.
TEST_DB := $(if $(filter true,$(CI)),--create-db,--reuse-db)

.PHONY: run test check screenshots browser install translations lint clean-db

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite, as CI runs it: lint, migrations in step with the models, and every test, the browser
# and fuzz tests included (fuzz: 50 examples per test, 500 under CI=true, or FUZZ_EXAMPLES).
test: install browser
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest -n auto --dist worksteal $(TEST_DB) $(PYTEST_ARGS)

# The quick tier while working: the same, without the browser, fuzz and slow tests.
check: install
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest -n auto --dist worksteal -m "not browser and not fuzz and not slow" $(TEST_DB) $(PYTEST_ARGS)

# The browser tests again, saving what they see in tests/screenshots/ (PNG, and the report as PDF) for
# people to look at; the other runs take none, to save time.
screenshots: install browser
	SCREENSHOTS=1 $(BIN)/pytest -n auto --dist worksteal -m browser $(TEST_DB) $(PYTEST_ARGS)

# The browser tests drive Debian's chromium: installed with apt when missing and run as root, otherwise
# it says how; under CI=true a missing browser fails here instead of skipping the browser tests.
browser:
	scripts/ensure-chromium

# A virtualenv with cite and its test tools, and the compiled translations.
install: $(INSTALLED)
	$(BIN)/pybabel compile --statistics -D django -d locale 2>&1 | tail -n 1

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# For developers after changing strings (needs GNU gettext): refresh locale/fr, then translate it.
translations: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale fr --no-obsolete --add-location file \
		--ignore ".venv/*" --ignore "staticfiles/*" --ignore ".pgdata/*"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Stop and delete the embedded PostgreSQL of this checkout (its data goes with it).
clean-db:
	rm -rf .pgdata
