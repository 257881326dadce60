"""The queue's version: a per-day number bumped in the same transaction as every move of the queue.

Readers (the display, the phone page, the front desk's live queue) compare it with what they
answered before: same number, same answer (`304 Not Modified`, or a body cached under it). Being a
row written in the mover's transaction, a new number becomes visible exactly when the move does,
never before (a sequence would), so a body cached under a number is never older than that number.
"""

import time

from django.db import connection
from django.utils import timezone

from reception.models import QueueVersion

TABLE = QueueVersion._meta.db_table

# The pollers (the display every second, each phone every few seconds) may take the version this
# process read less than this long ago, instead of asking PostgreSQL each time: a new call reaches a
# display at most this much later, and a 304 costs no query. A move made by this process is seen at
# once; one made by another process within this delay (see queue_version).
POLLERS_READ_AGAIN_AFTER = 0.5

# {day: (version, time.monotonic() when read)}: this process's latest reading, outside transactions.
_last_read = {}


def bump_queue_version(day=None):
    """The day's queue changed: a new version, visible when the caller's transaction commits.

    The day's row stays locked until then, so moves of the queue commit one after the other; each
    holds it for the end of a short transaction only (reception.services call it last)."""
    day = day or timezone.localdate()
    _last_read.pop(day, None)  # this process reads it again, committed or not, from now on
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (day, version) VALUES (%s, 1) "  # noqa: S608 (our own table)
            f"ON CONFLICT (day) DO UPDATE SET version = {TABLE}.version + 1 RETURNING version",
            [day],
        )
        return cursor.fetchone()[0]


def queue_version(day=None, *, max_age=0.0):
    """The day's version (0 before the first move): one query on a primary key, or none when this
    process read it less than `max_age` seconds ago (the pollers pass POLLERS_READ_AGAIN_AFTER).

    A reading inside a transaction is never kept: it may see the transaction's own, uncommitted move."""
    day = day or timezone.localdate()
    if max_age:
        known = _last_read.get(day)
        if known is not None and time.monotonic() - known[1] < max_age:
            return known[0]
    read_at = time.monotonic()
    version = QueueVersion.objects.filter(day=day).values_list("version", flat=True).first() or 0
    if not connection.in_atomic_block:
        _last_read[day] = (version, read_at)
    return version


def forget_readings():
    """Forget this process's readings (tests: each starts from the database)."""
    _last_read.clear()
