"""How cite connects to PostgreSQL."""

import pytest
from django.db import connection

from cite.settings import database_from_url


def test_a_url_gives_the_connection_and_its_options():
    entry = database_from_url(
        "postgres://cite:s%40cret@db.example.org:5433/centre?host=/run/postgresql&sslmode=require"
    )
    assert (entry["NAME"], entry["USER"], entry["PASSWORD"], entry["HOST"], entry["PORT"]) == (
        "centre",
        "cite",
        "s@cret",
        "/run/postgresql",
        "5433",
    )
    assert entry["OPTIONS"]["sslmode"] == "require"
    assert entry["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    assert database_from_url("postgres://localhost/c?options=-c%20work_mem%3D64MB")["OPTIONS"]["options"] == (
        "-c work_mem=64MB"
    )
    # Behind PgBouncer, which refuses startup options: none at all.
    assert "options" not in database_from_url("postgres://localhost/c?options=")["OPTIONS"]


@pytest.mark.django_db
def test_the_planner_is_told_that_pages_read_out_of_order_are_cheap():
    # Without it, a common search word is matched row by row over the whole catalogue (see settings).
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
