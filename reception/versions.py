"""The queue's version: a per-day number bumped in the same transaction as every move of the queue.

Readers (the display, the phone page, the front desk's live queue) compare it with what they
answered before: same number, same answer (`304 Not Modified`, or a body cached under it). Being a
row written in the mover's transaction, a new number becomes visible exactly when the move does,
never before (a sequence would), so a body cached under a number is never older than that number.
"""

from django.db import connection
from django.utils import timezone

from reception.models import QueueVersion

TABLE = QueueVersion._meta.db_table


def bump_queue_version(day=None):
    """The day's queue changed: a new version, visible when the caller's transaction commits.

    The day's row stays locked until then, so moves of the queue commit one after the other; each
    holds it for the end of a short transaction only (reception.services call it last)."""
    day = day or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (day, version) VALUES (%s, 1) "  # noqa: S608 (our own table)
            f"ON CONFLICT (day) DO UPDATE SET version = {TABLE}.version + 1 RETURNING version",
            [day],
        )
        return cursor.fetchone()[0]


def queue_version(day=None):
    """The day's version (0 before the first move): one query on a primary key."""
    day = day or timezone.localdate()
    return QueueVersion.objects.filter(day=day).values_list("version", flat=True).first() or 0
