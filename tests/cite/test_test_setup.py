"""The test suite's own set-up: what it changes to run faster must not change what the tests see."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import end_other_sessions, grown_tables, make_staff


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_empties_every_table_whatever_their_links():
    """Transactional tests are emptied with DELETE instead of TRUNCATE (tests/conftest.py): rows that
    reference each other, deleted in the tables' order, must still all go."""
    group = Group.objects.create(name="Flushed")
    user = make_staff("flushed@example.org")
    user.groups.add(group)  # auth_user_groups points at both: deleted after auth_group in name order
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    grown = grown_tables(connection, tables)  # grown by earlier tests' rolled-back rows: truncated, see below
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)
    deleted = {query["sql"] for query in queries if query["sql"].startswith("DELETE FROM")}
    assert deleted == {f'DELETE FROM "{table}";' for table in tables if table not in grown}
    assert {"auth_group", "cite_user", "cite_user_groups"} - grown <= {sql.split('"')[1] for sql in deleted}
    assert_all_empty(tables)


@pytest.mark.django_db(transaction=True)
def test_a_table_that_has_grown_is_truncated_and_the_rest_deleted():
    """Dead rows are only reclaimed by VACUUM, which may not run: a grown table gets a new, empty file."""
    group = Group.objects.bulk_create([Group(name=f"Group {n}") for n in range(2000)])[0]
    user = make_staff("flushed@example.org")
    user.groups.add(group)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    assert "auth_group" in grown_tables(connection, tables)
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)
    truncated = [query["sql"] for query in queries if query["sql"].startswith("TRUNCATE")]
    assert len(truncated) == 1 and '"auth_group"' in truncated[0] and "CASCADE" in truncated[0]
    assert_all_empty(tables)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('auth_group')")
        assert cursor.fetchone()[0] == 0


def assert_all_empty(tables):
    with connection.cursor() as cursor:
        left = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            if count := cursor.fetchone()[0]:
                left[table] = count
    assert left == {}


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_a_flush_that_resets_sequences_still_truncates():
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, reset_sequences=True, inhibit_post_migrate=True, verbosity=0)
    assert any("TRUNCATE" in query["sql"] and "RESTART IDENTITY" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_a_session_left_on_the_test_database_is_ended_and_named_before_the_database_is_dropped():
    """A session still open on the test database at the end of the run (a live-server thread keeps
    its own while Chromium keeps the socket) would make PostgreSQL wait 5 s, then refuse to drop the
    database: it is ended first."""
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(**{**params, "application_name": "left-behind"}, autocommit=True) as left:
        left.execute("SELECT 'still here'")
        assert end_other_sessions(connection) == ["left-behind: SELECT 'still here'"]
        with pytest.raises(psycopg.OperationalError):
            left.execute("SELECT 1")
    assert end_other_sessions(connection) == []


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_and_post_migrate_every_role_has_exactly_its_permissions_again():
    """A transactional test's flush empties the groups; post_migrate (sent once per app) gives the
    four roles back every permission of the table, added once at the last app."""
    from django.core.management.sql import emit_post_migrate_signal

    from cite.roles import role_permissions

    call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)
    assert not Group.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        emit_post_migrate_signal(0, False, "default")
    for role, permissions in role_permissions().items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == set(permissions), role
    groups_read = [query for query in queries if 'FROM "auth_group"' in query["sql"]]
    assert len(groups_read) <= 2 * len(role_permissions())  # once per role, not once per role and app


def test_a_fuzz_field_named_again_with_new_strategy_objects_is_the_same_field():
    """Fuzz tests name their plausible values inline, new objects at each example: the field built for
    them is kept by their description (validated once, not once per example), and other values give
    another field."""
    from hypothesis import strategies as st

    from tests.fuzz import field

    choice = field(st.sampled_from(["save", "finish"]))
    assert field(st.sampled_from(["save", "finish"])) is choice
    assert field(st.sampled_from(["save", "cancel"])) is not choice
    assert field(st.text(max_size=200)) is field(st.text(max_size=200)) is not field(st.text(max_size=20))
    assert field() is field()
