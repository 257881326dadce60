# The two commands of the README: `make run` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-stamp
DEV_ENV := DEBUG=1 MFA_REQUIRED_GROUPS=

.PHONY: run test install translations lint clean-db

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	scripts/ensure-chromium
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

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
