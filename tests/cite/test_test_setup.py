"""The test suite's own set-up: what it changes to run faster must not change what the tests see."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_staff


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_empties_every_table_whatever_their_links():
    """Transactional tests are emptied with DELETE instead of TRUNCATE (tests/conftest.py): rows that
    reference each other, deleted in the tables' order, must still all go."""
    group = Group.objects.create(name="Flushed")
    user = make_staff("flushed@example.org")
    user.groups.add(group)  # auth_user_groups points at both: deleted after auth_group in name order
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with CaptureQueriesContext(connection) as queries:
        call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True, verbosity=0)
    statements = [query["sql"] for query in queries if query["sql"].startswith(("DELETE", "TRUNCATE"))]
    assert statements and all(sql.startswith("DELETE FROM") for sql in statements)
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
