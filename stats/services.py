"""Changes of state of the statistics: rolling closed days up into the rollup tables."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cite.errors import DomainError
from cite.pii import validate_no_personal_data
from stats.figures import COUNT_FACTS, DURATION_FACTS, TICKETS, Scope
from stats.models import (
    REPORT_COMMENT_MAX_LENGTH,
    REPORT_SECTIONS,
    DailyCount,
    DailyDuration,
    DailySessionCount,
    MonthlyDuration,
    MonthlySessionCount,
    ReportComment,
    RolledDay,
)
from stats.periods import next_month
from stats.scopes import all_scopes

SCOPE = "scope_area_id, scope_institution_id"  # the columns of stats.models.Scoped
DAYS = "t.day = ANY(%(days)s)"  # the days rolled up, on the ticket `t` of every statement
ROLLUP_LOCK = 713_201_306  # pg_advisory_xact_lock key: one roll-up at a time
REPORT_LOCK = 713_201_307  # with a hash of the commentary's key: one writer per commentary

# Days not rolled up yet, from the first visit to `last`.
MISSING_DAYS = f"""
SELECT d::date FROM generate_series((SELECT min(day) FROM {TICKETS}), %(last)s::date, interval '1 day') AS d
 WHERE NOT EXISTS (SELECT 1 FROM {RolledDay._meta.db_table} r WHERE r.day = d::date)
"""  # noqa: S608


@transaction.atomic
def roll_up(*, days):
    """Count the visits of `days` (closed days only: before today) into the rollup tables, in every
    scope (the whole centre, each area, each institution, each institution within an area: see
    stats.models.Scoped), replacing what they held for those days. Returns the number of days rolled up."""
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
            f"INSERT INTO {counts} (day, scope_area_id, scope_institution_id, breakdown, key, visits, done, "
            "no_shows, cancelled, walk_ins) " + COUNT_FACTS.format(days=DAYS, scopes=all_scopes(DAYS)),
            params,
        )
        cursor.execute(
            f"INSERT INTO {durations} (day, {SCOPE}, measure, area_id, hour, minutes, visits) "
            + DURATION_FACTS.format(days=DAYS, scopes=all_scopes(DAYS)),
            params,
        )
        cursor.execute(
            f"INSERT INTO {session_counts} (day, {SCOPE}, breakdown, key, visits) "  # noqa: S608
            f"SELECT * FROM ({SESSION_FACTS.format(days=DAYS, scopes=all_scopes(DAYS))}) AS facts",
            params,
        )
        # The months these days belong to, summed again from their daily rows.
        cursor.execute(f"DELETE FROM {monthly} WHERE month = ANY(%s)", [months])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {monthly} (month, {SCOPE}, measure, area_id, hour, minutes, visits) "  # noqa: S608
            f"SELECT date_trunc('month', day)::date, {SCOPE}, measure, area_id, hour, minutes, sum(visits) "
            f"FROM {durations} "
            f"WHERE day >= %(first)s AND day < %(end)s AND date_trunc('month', day)::date = ANY(%(months)s) "
            "GROUP BY 1, 2, 3, 4, 5, 6, 7",
            {"first": months[0], "end": next_month(months[-1]), "months": months},
        )
        monthly_sessions = MonthlySessionCount._meta.db_table
        cursor.execute(f"DELETE FROM {monthly_sessions} WHERE month = ANY(%s)", [months])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {monthly_sessions} (month, {SCOPE}, breakdown, key, visits) "  # noqa: S608
            f"SELECT date_trunc('month', day)::date, {SCOPE}, breakdown, key, sum(visits) FROM {session_counts} "
            f"WHERE day >= %(first)s AND day < %(end)s AND date_trunc('month', day)::date = ANY(%(months)s) "
            "GROUP BY 1, 2, 3, 4, 5",
            {"first": months[0], "end": next_month(months[-1]), "months": months},
        )
        cursor.execute(
            f"INSERT INTO {rolled} (day, rolled_at, visits) "  # noqa: S608
            f"SELECT d, %(now)s, COALESCE(c.visits, 0) FROM unnest(%(days)s::date[]) AS d "
            f"LEFT JOIN {counts} c ON c.day = d AND c.breakdown = 'all' "
            "AND c.scope_area_id IS NULL AND c.scope_institution_id IS NULL",
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


class ReportError(DomainError):
    message = _("This commentary cannot be saved.")


@transaction.atomic
def save_report_comment(*, year, section, text, by, scope=None):
    """Keep `text` as the commentary of `section` of the report of `year` (narrowed to `scope`), for
    whoever may read the statistics; an empty text removes it. The row is locked while it changes, so
    two managers saving at once keep the last one's words, never a half of each."""
    if not by.has_perm("cite.view_statistics"):
        raise ReportError(_("Only people who read the statistics may write the report's commentary."))
    if section not in REPORT_SECTIONS:
        raise ReportError(_("The report has no such section."))
    text = (text or "").strip()
    try:
        validate_no_personal_data(text)
    except ValidationError as error:
        raise ReportError(error.messages) from None
    if len(text) > REPORT_COMMENT_MAX_LENGTH:
        raise ReportError(_("A commentary holds at most %(count)s characters.") % {"count": REPORT_COMMENT_MAX_LENGTH})
    scope = scope or Scope()
    key = {"year": year, "section": section, "area_id": scope.area, "institution_id": scope.institution}
    with connection.cursor() as cursor:  # one writer per key: the row may not exist yet to be locked
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [REPORT_LOCK, repr(sorted(key.items()))])
    comment = ReportComment.objects.select_for_update().filter(**key).first()
    if not text:
        if comment:
            comment.delete()
        return None
    comment = comment or ReportComment(**key)
    comment.text, comment.updated_by = text, by
    comment.save()
    return comment
