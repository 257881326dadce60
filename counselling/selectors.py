"""Reads of the counsellor's desk and of the sessions that more than one page shares.

The desk: which areas a desk calls for a counsellor, the desks and who holds them, the session open
at a desk. Session time, defined here once: the session's own start to its end (so a correction on
the session form counts), in whole minutes (cite.clock), for every session that ended; a visit
referred to another area has one session per area. The statistics (SESSION_TIMES), a counsellor's
day and month (`counsellor_figures`) and reception's estimated wait (`service_times`) all read it
from here. Each function runs a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone

from cite.clock import MedianMinutes, WholeMinutes, whole_minutes
from cite.models import Area
from counselling import planning
from counselling.models import CounsellorProfile, Permanence, Session
from reception.models import Desk, Duty, Ticket

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


def _own_sessions(user, start, end):
    return timed_sessions().filter(counsellor=user, ticket__day__range=(start, end))


def _totals(mine):
    return mine.aggregate(
        sessions=Count("id"), visits=Count("ticket", distinct=True), session_median=MedianMinutes("minutes")
    )


def counsellor_figures(user, *, start, end):
    """`user`'s own figures over the visits of the days `start` to `end`, from their sessions only.

    For their own pages, shown only to `user`: never a comparison between counsellors. Two queries.
    """
    mine = _own_sessions(user, start, end)
    totals = _totals(mine)
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


def todays_figures(user):
    """`user`'s own figures of today's visits ("my day")."""
    today = timezone.localdate()
    return counsellor_figures(user, start=today, end=today)


def todays_totals(user):
    """What the desk page shows of `user`'s day: their sessions of today's visits and the median
    session (`counsellor_figures` without the areas, which only "my day" shows). One query."""
    today = timezone.localdate()
    return CounsellorFigures(**_totals(_own_sessions(user, today, today)), by_area=[])


# --- The desk ---------------------------------------------------------------------------------------


def _own_list(user):
    """The rows of the list of areas the back office made for `user`."""
    return CounsellorProfile.areas.through.objects.filter(counsellorprofile_id=user.pk)


def _own_areas(user):
    """The areas the back office listed for `user` (None: no list, or an empty one: the desk decides)."""
    profile = CounsellorProfile.objects.filter(user=user).prefetch_related("areas").first()
    return ({area.pk: area for area in profile.areas.all()} or None) if profile else None


def _planned_areas(user, desks, day):
    """{desk id: {area id: area}} of the permanences planned for `user` at `desks` on `day`."""
    permanences = planning.active_between(day, day).filter(counsellor=user, desk__in=desks)
    planned = {}
    for occurrence in planning.occurrences(permanences, day, day, keep_away=False):
        if occurrence.held:
            area = occurrence.permanence.area
            planned.setdefault(occurrence.permanence.desk_id, {})[area.pk] = area
    return planned


def _calls(desk_areas, own, planned):
    """The one rule: the desk's areas, narrowed by the counsellor's own list where one is set, plus
    the areas a permanence plans for them at this desk today; in the areas' order. `own`: the ids of
    the counsellor's list (None: no list)."""
    areas = {area.pk: area for area in desk_areas if own is None or area.pk in own}
    areas.update(planned)
    return sorted((area for area in areas.values() if area.is_active), key=lambda area: (area.order, area.letter))


def callable_areas(user, desk, *, day=None):
    """The areas `user` calls at `desk` today (see _calls)."""
    day = day or timezone.localdate()
    # One query for what a desk page and every call ask: the desk's areas, each saying whether `user`
    # has a list and whether it is on it (_calls's narrowing), and whether any permanence names `user`
    # at this desk; the planning is read only then (most counsellors have none).
    own = _own_list(user)
    areas = list(
        desk.areas.annotate(
            listed=Exists(own),
            mine=Exists(own.filter(area=OuterRef("pk"))),
            planning=Exists(Permanence.objects.filter(counsellor=user, desk=desk)),
        )
    )
    planned = _planned_areas(user, [desk], day).get(desk.pk, {}) if not areas or areas[0].planning else {}
    listed = bool(areas) and areas[0].listed
    return _calls(areas, {area.pk for area in areas if area.mine} if listed else None, planned)


@dataclass
class DeskState:
    """A desk as the desk list shows it before one is opened."""

    desk: Desk
    areas: list  # every area the desk serves
    calls: list  # those this counsellor would call there
    holder: object = None  # the user on duty there, if anyone
    since: object = None
    ticket: Ticket = None  # the ticket called or served there, if any
    served_by_me: bool = False
    extra: list = field(default_factory=list)  # areas only a permanence planned today lets them call

    @property
    def free(self):
        return self.holder is None and (self.ticket is None or self.served_by_me)

    @property
    def in_session(self):
        return self.ticket is not None and self.ticket.status == Ticket.Status.SERVING and not self.served_by_me


def desk_board(user, *, day=None):
    """Every active desk with its areas, who holds it and what this counsellor would call there."""
    day = day or timezone.localdate()
    desks = list(Desk.objects.filter(is_active=True).prefetch_related("areas"))
    duties = {
        duty.desk_id: duty for duty in Duty.objects.filter(ended_at__isnull=True, desk__in=desks).select_related("user")
    }
    active = {ticket.desk_id: ticket for ticket in Ticket.objects.filter(desk__in=desks, status__in=Ticket.ACTIVE)}
    mine = set(
        Session.objects.filter(counsellor=user, ended_at__isnull=True, ticket__in=active.values()).values_list(
            "ticket_id", flat=True
        )
    )
    own = _own_areas(user)
    planned = _planned_areas(user, desks, day)
    board = []
    for desk in desks:
        duty, ticket = duties.get(desk.pk), active.get(desk.pk)
        areas = list(desk.areas.all())
        calls = _calls(areas, own, planned.get(desk.pk, {}))
        narrowed = _calls(areas, own, {})
        board.append(
            DeskState(
                desk=desk,
                areas=areas,
                calls=calls,
                holder=duty.user if duty else None,
                since=duty.started_at if duty else None,
                ticket=ticket,
                served_by_me=ticket is not None and ticket.pk in mine,
                extra=[area for area in calls if area not in narrowed],
            )
        )
    return board


def open_session(user):
    """The session `user` has not finished yet (at their desk, or left behind when their desk closed)."""
    return (
        Session.objects.filter(counsellor=user, ended_at__isnull=True, ticket__status=Ticket.Status.SERVING)
        .select_related("ticket__area", "ticket__desk", "area", "desk")
        .order_by("-started_at")
        .first()
    )


def last_duty(user):
    """The duty `user` held last, when it is closed (to say why on their desk page)."""
    return Duty.objects.filter(user=user).select_related("desk", "ended_by").order_by("-started_at").first()
