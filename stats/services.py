"""Changes of state of the statistics: rolling closed days up into the rollup tables."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from stats.figures import COUNT_FACTS, DURATION_FACTS, TICKETS
from stats.models import (
    DailyCount,
    DailyDuration,
    DailySessionCount,
    MonthlyDuration,
    MonthlySessionCount,
    RolledDay,
)
from stats.periods import next_month

ROLLUP_LOCK = 713_201_306  # pg_advisory_xact_lock key: one roll-up at a time

# Days not rolled up yet, from the first visit to `last`.
MISSING_DAYS = f"""
SELECT d::date FROM generate_series((SELECT min(day) FROM {TICKETS}), %(last)s::date, interval '1 day') AS d
 WHERE NOT EXISTS (SELECT 1 FROM {RolledDay._meta.db_table} r WHERE r.day = d::date)
"""  # noqa: S608


@transaction.atomic
def roll_up(*, days):
    """Count the visits of `days` (closed days only: before today) into the rollup tables, replacing
    what they held for those days. Returns the number of days rolled up."""
    today = timezone.localdate()
    days = sorted({day for day in days if day < today})
    if not days:
        return 0
    params = {"days": days, "tz": settings.TIME_ZONE}
    from stats.sessions import SESSION_FACTS

    counts, durations, rolled = DailyCount._meta.db_table, DailyDuration._meta.db_table, RolledDay._meta.db_table
    session_counts = DailySessionCount._meta.db_table
    monthly = MonthlyDuration._meta.db_table
    months = sorted({day.replace(day=1) for day in days})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])
        for table in (counts, durations, session_counts, rolled):
            cursor.execute(f"DELETE FROM {table} WHERE day = ANY(%(days)s)", params)  # noqa: S608 (table names are ours)
        cursor.execute(
            f"INSERT INTO {counts} (day, breakdown, key, visits, done, no_shows, cancelled, walk_ins) "
            + COUNT_FACTS.format(days="t.day = ANY(%(days)s)"),
            params,
        )
        cursor.execute(
            f"INSERT INTO {durations} (day, measure, area_id, hour, minutes, visits) "
            + DURATION_FACTS.format(days="day = ANY(%(days)s)"),
            params,
        )
        cursor.execute(
            f"INSERT INTO {session_counts} (day, breakdown, key, visits) "  # noqa: S608
            f"SELECT * FROM ({SESSION_FACTS.format(days='day = ANY(%(days)s)')}) AS facts",
            params,
        )
        # The months these days belong to, summed again from their daily rows.
        cursor.execute(f"DELETE FROM {monthly} WHERE month = ANY(%s)", [months])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {monthly} (month, measure, area_id, hour, minutes, visits) "  # noqa: S608
            f"SELECT date_trunc('month', day)::date, measure, area_id, hour, minutes, sum(visits) FROM {durations} "
            f"WHERE day >= %(first)s AND day < %(end)s AND date_trunc('month', day)::date = ANY(%(months)s) "
            "GROUP BY 1, 2, 3, 4, 5",
            {"first": months[0], "end": next_month(months[-1]), "months": months},
        )
        monthly_sessions = MonthlySessionCount._meta.db_table
        cursor.execute(f"DELETE FROM {monthly_sessions} WHERE month = ANY(%s)", [months])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {monthly_sessions} (month, breakdown, key, visits) "  # noqa: S608
            f"SELECT date_trunc('month', day)::date, breakdown, key, sum(visits) FROM {session_counts} "
            f"WHERE day >= %(first)s AND day < %(end)s AND date_trunc('month', day)::date = ANY(%(months)s) "
            "GROUP BY 1, 2, 3",
            {"first": months[0], "end": next_month(months[-1]), "months": months},
        )
        cursor.execute(
            f"INSERT INTO {rolled} (day, rolled_at, visits) "  # noqa: S608
            f"SELECT d, %(now)s, COALESCE(c.visits, 0) FROM unnest(%(days)s::date[]) AS d "
            f"LEFT JOIN {counts} c ON c.day = d AND c.breakdown = 'all'",
            {**params, "now": timezone.now()},
        )
    return len(days)


def roll_up_closed_days(*, again=7, since=None, batch=31):
    """Roll up every closed day not rolled up yet, and the last `again` days once more (a ticket of a
    recent day may still change: closed at night, corrected). `since` rolls up every day from that
    date again. One transaction per `batch` days. Returns the number of days rolled up."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(MISSING_DAYS, {"last": yesterday})
        days = {row[0] for row in cursor.fetchall()}
    recent = since or yesterday - datetime.timedelta(days=again - 1)
    days |= {recent + datetime.timedelta(days=n) for n in range((yesterday - recent).days + 1)}
    days = sorted(days)
    return sum(roll_up(days=days[start : start + batch]) for start in range(0, len(days), batch))
