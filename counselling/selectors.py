"""Reads of the sessions that more than one page shares: session time, defined here once, and a
counsellor's own figures.

Session time is the session's own start to its end (so a correction on the session form counts),
in whole minutes (cite.clock), for every session that ended; a visit referred to another area has
one session per area. The statistics (SESSION_TIMES), a counsellor's day and month
(`counsellor_figures`) and reception's estimated wait (`service_times`) all read it from here.
"""

from dataclasses import dataclass

from django.db.models import Count, F

from cite.clock import MedianMinutes, WholeMinutes, whole_minutes
from cite.models import Area
from counselling.models import Session
from reception.models import Ticket

# One row per ended session of the visits of {days} (a condition on the visit's local `day`).
SESSION_TIMES = f"""
SELECT s.id AS session_id, s.ticket_id, t.day, s.area_id, s.counsellor_id,
       {whole_minutes("s.ended_at - s.started_at")} AS minutes
  FROM {Session._meta.db_table} s JOIN {Ticket._meta.db_table} t ON t.id = s.ticket_id
 WHERE s.ended_at IS NOT NULL AND {{days}}
"""  # noqa: S608 (our own table names)


def timed_sessions():
    """Sessions that ended, each with its `minutes`."""
    return Session.objects.filter(ended_at__isnull=False).annotate(
        minutes=WholeMinutes(F("ended_at") - F("started_at"))
    )


def service_times(*, areas, since):
    """{area id: (sessions, median minutes)} of the sessions of `areas` that ended since `since`: the
    service time of reception's estimated wait (named in CounsellingConfig.queue_service_times). One query."""
    rows = (
        timed_sessions()
        .filter(area__in=areas, ended_at__gte=since)
        .values("area")
        .annotate(samples=Count("id"), median=MedianMinutes("minutes"))
        .order_by()
    )
    return {row["area"]: (row["samples"], row["median"]) for row in rows}


@dataclass(frozen=True)
class CounsellorFigures:
    sessions: int
    visits: int
    session_median: int | None
    by_area: list  # [(area, visits)]


def counsellor_figures(user, *, start, end):
    """`user`'s own figures over the visits of the days `start` to `end`, from their sessions only.

    For their own pages, shown only to `user`: never a comparison between counsellors. Two queries.
    """
    mine = timed_sessions().filter(counsellor=user, ticket__day__range=(start, end))
    totals = mine.aggregate(
        sessions=Count("id"), visits=Count("ticket", distinct=True), session_median=MedianMinutes("minutes")
    )
    fields = ["area", "area__code", "area__letter", "area__name_fr", "area__name_en"]
    by_area = (
        mine.values(*fields).annotate(visits=Count("ticket", distinct=True)).order_by("area__order", "area__letter")
    )
    return CounsellorFigures(
        sessions=totals["sessions"],
        visits=totals["visits"],
        session_median=totals["session_median"],
        by_area=[
            (
                Area(pk=row["area"], **{f: row[f"area__{f}"] for f in ("code", "letter", "name_fr", "name_en")}),
                row["visits"],
            )
            for row in by_area
        ],
    )
