"""Test personas (one per role, plus an outsider with no role) and small helpers."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import translation

from cite.models import User
from cite.roles import BACK_OFFICE, COUNSELLOR, MANAGER, RECEPTION

PASSWORD = "a-long-test-password-42"


# The longest tests first: browser journeys and fuzz tests take seconds to minutes each, the rest a
# fraction of a second. Started first, they finish while the other worker (pytest-xdist, --dist
# worksteal) works through the short ones, instead of one long test running alone at the end.
HEAVY_FIRST = ("browser", "fuzz", "slow")


def pytest_collection_modifyitems(items):
    def weight(item):
        return next((rank for rank, mark in enumerate(HEAVY_FIRST) if item.get_closest_marker(mark)), len(HEAVY_FIRST))

    items.sort(key=weight)  # stable: within a weight, the collection order is kept (same on every worker)


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hasher():
    """A cheap hasher for the whole suite: a million PBKDF2 iterations for every test user were a third
    of its CPU time. No test is about the hasher; tests/cite/test_accounts.py checks that the project
    itself keeps Django's PBKDF2."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The tests' connections do not wait for each commit to reach the disk (synchronous_commit=off):
    a test database is thrown away, and the browser and live-server tests commit every write, then
    empty every table after each test. A crash could lose the last commits, never corrupt anything; the
    test of the database going away runs its own cluster with the production settings."""
    for database in settings.DATABASES.values():
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with their end made sure. The live server answers each of
    Chromium's kept-alive connections in a thread of its own, and that thread keeps its database
    session between requests (CONN_MAX_AGE, as in production) until the browser closes the socket: at
    the end of a run a few may still be there, and PostgreSQL then waits 5 s before refusing to drop
    the database ("being accessed by other users"), at the very end of the run. They are ended first."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            end_other_sessions(connection)


def end_other_sessions(connection):
    """End the other sessions on `connection`'s database (waiting up to 2 s for each to go); their
    applications and last queries."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction, the view is read once
        cursor.execute(
            "SELECT application_name, left(query, 80), pg_terminate_backend(pid, 2000) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [f"{application or '?'}: {query}" for application, query, _ended in cursor.fetchall()]


# A table whose file has grown past this is truncated rather than emptied row by row (see below).
BLOATED_TABLE_BYTES = 64 * 1024


def grown_tables(connection, tables):
    """The names among `tables` whose file has grown past BLOATED_TABLE_BYTES."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r' AND pg_relation_size(oid) > %s",
            [list(tables), BLOATED_TABLE_BYTES],
        )
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture(autouse=True, scope="session")
def tables_emptied_by_delete():
    """After each transactional test (the browser and live-server tests, the concurrency tests) Django
    empties every table with one TRUNCATE, which gives each table and index a new file on disk: 0.7 to
    0.9 s for the project's 88 tables, against 0.02 to 0.06 s for a DELETE of the few rows a test left.
    A DELETE leaves dead rows that only VACUUM reclaims, and PostgreSQL may run without autovacuum (this
    machine's does): rows written by a demo, or by the rolled-back tests in between, would then slow
    every later query (the statistics' roll-up took 30 s instead of 0.3 after a few runs). So the tables
    whose file has grown past BLOATED_TABLE_BYTES are still truncated (CASCADE: the tables pointing at
    them are emptied anyway), and the others, most of them, emptied with DELETE. All of it runs in one
    transaction and Django's foreign keys are checked at its commit (DEFERRABLE INITIALLY DEFERRED), so
    the order does not matter; a flush that resets the sequences truncates everything as before.
    tests/cite/test_test_setup.py checks that the tables come out empty, and that a grown one is truncated."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(operations, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(operations, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        grown = grown_tables(operations.connection, tables)
        statements = truncate(operations, style, sorted(grown), allow_cascade=True) if grown else []
        delete = style.SQL_KEYWORD("DELETE FROM")
        return statements + [
            f"{delete} {style.SQL_FIELD(operations.quote_name(table))};" for table in tables if table not in grown
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True, scope="session")
def static_files_listed_once():
    """WhiteNoise lists every static file through the finders each time its middleware is built, and
    the test client builds the middleware for each test: 30 ms a test, a sixth of a page test's time.
    The files do not change during a run, so the list is made once and handed to later instances."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed = {}

    def add_files_from_finders(middleware):
        if not listed:
            list_files(middleware)
            listed.update(middleware.files)
        else:
            middleware.files.update(listed)

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = list_files


@pytest.fixture(autouse=True)
def fuzz_without_template_recording(request, monkeypatch):
    """Django's test set-up records every template a response renders, with a copy of its context, for
    assertTemplateUsed and response.context; a form page renders one template per widget, about 80, and
    no fuzz test reads them. Fuzz tests render templates as production does."""
    if request.node.get_closest_marker("fuzz"):
        from django.template.base import Template

        monkeypatch.setattr(Template, "_render", lambda template, context: template.nodelist.render(context))


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in English must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to a folder of its own, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def empty_queue_cache():
    """Answers are kept under the queue's version (reception.versions); each test's rolled-back
    transaction starts versions again, so each test starts with an empty cache."""
    from django.core.cache import caches

    from reception.versions import forget_readings

    caches["queue"].clear()
    forget_readings()


@pytest.fixture(autouse=True)
def no_idle_check_unless_asked(monkeypatch):
    """Pages that show desks look for idle desks at most every RECEPTION_DESK_IDLE_CHECK_SECONDS per
    process: start each test as if one had just looked, so query counts do not depend on test order.
    Tests of idle desks call reception.services.close_idle_desks, or set the interval to 0."""
    import time

    from reception import services

    monkeypatch.setattr(services, "_last_idle_check", time.monotonic())


def make_staff(email, *roles, **fields):
    user = User.objects.create_user(email, PASSWORD, **fields)
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@pytest.fixture
def receptionist(db):
    return make_staff("ines@example.org", RECEPTION, first_name="Inès")


@pytest.fixture
def counsellor(db):
    return make_staff("camille@example.org", COUNSELLOR, first_name="Camille")


@pytest.fixture
def back_office(db):
    return make_staff("julien@example.org", BACK_OFFICE, first_name="Julien", is_staff=True)


@pytest.fixture
def manager(db, settings):
    settings.MFA_REQUIRED_GROUPS = []  # tests of mandatory MFA turn it back on
    return make_staff("nadia@example.org", MANAGER, first_name="Nadia", is_staff=True)


@pytest.fixture
def outsider(db):
    """An active account with no role: logged in, but allowed nothing."""
    return make_staff("nobody@example.org", first_name="Nobody")


@pytest.fixture
def personas(receptionist, counsellor, back_office, manager, outsider):
    return {
        "reception": receptionist,
        "counsellor": counsellor,
        "back_office": back_office,
        "manager": manager,
        "outsider": outsider,
    }


# Browser tests: Debian's chromium driven by Playwright, never a downloaded browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # never skip browser tests silently in CI
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are
    # still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = watch_console(context.new_page())
    page.set_default_timeout(10_000)
    yield page
    context.close()


def watch_console(page):
    """Collect the page's console errors (CSP violations, missing files, script errors) in page.console_errors."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    page.console_errors = errors
    return page


# Screenshots are for people to look at, not assertions: taken only when asked (`make screenshots`, or
# SCREENSHOTS=1 in front of pytest), they were a tenth of the browser tests' time.
TAKE_SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"


def screenshot(page, name, *, full_page=True):
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)


def keep_file(name, content):
    """A file for people to look at (a printed report), kept beside the screenshots when they are taken."""
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(exist_ok=True)
        (SCREENSHOTS / name).write_bytes(content)
