"""bench/generate.py writes a year of visits with raw INSERTs, which no migration updates: each lists
every column its table requires, so a new required column fails here rather than an hour into a
benchmark (a ticket event's reason did)."""

import re
from pathlib import Path

import pytest
from django.db import connection

GENERATE = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
INSERT = re.compile(r"INSERT INTO (\w+)\s*\(([^)]*)\)", re.S)


def inserts():
    return [
        (table, {column.strip() for column in columns.split(",")})
        for table, columns in INSERT.findall(GENERATE.read_text())
    ]


def required_columns(table):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'
            """,
            [table],
        )
        return {name for (name,) in cursor.fetchall()}


def test_the_generator_s_inserts_are_found():
    assert {"reception_ticket", "reception_ticketevent", "counselling_session"} <= {table for table, _ in inserts()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "columns"), [pytest.param(t, c, id=t) for t, c in inserts() if not t.startswith("bench_")]
)
def test_each_insert_gives_every_required_column(table, columns):
    missing = required_columns(table) - columns
    assert not missing, f"bench/generate.py inserts into {table} without {sorted(missing)}"
