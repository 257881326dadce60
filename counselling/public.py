"""Reads for the visitors' pages (no login): whether the centre is open now, this week's hours, the
coming public workshops, what the centre offers about an occupation, and what the waiting-room
display shows beside the calls.

Nothing here names a member of staff: workshops show their partner institutions, never their
facilitators, and areas come from counts that never leave this module.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from cite.ical import centre_zone
from cite.models import Area
from counselling.models import Session, Workshop
from counselling.planning import Schedule, days, monday_of
from reception.selectors import ComingWorkshop, DisplayBoard
from resources.models import IscoGroup, Occupation, Record

# How far ahead "opens on …" looks: a centre shut longer than this says so instead.
LOOKAHEAD_DAYS = 14
# Sessions of the last year tell which area usually answers questions about an occupation.
AREA_HINT_DAYS = 365
# How near closing "closes in 12 min" replaces "open until 17:00" (the waiting-room display).
CLOSING_SOON_MINUTES = 30
# The waiting-room display's corner: the next public workshops of today and the six days after.
DISPLAY_WORKSHOPS = 3
DISPLAY_WORKSHOP_DAYS = 7


@dataclass(frozen=True)
class OpeningState:
    """Whether the centre is open at one instant, in its own time zone, and when it next opens."""

    in_use: bool  # False while the back office has entered no opening hours: say nothing
    is_open: bool = False
    closes_at: datetime.time | None = None  # today's closing time, when open now
    next_day: datetime.date | None = None  # the next day it opens (today when it opens later today)
    opens_at: datetime.time | None = None
    today: datetime.date | None = None
    closure: object = None  # today's closure, if the whole centre is shut today
    hours: tuple | None = None  # today's (opens, closes) whatever the instant; None when shut all day
    minutes_to_closing: int | None = None  # when open: minutes left, rounded up (1 in the last minute)

    @property
    def closes_soon(self):
        """Open, and closing within CLOSING_SOON_MINUTES: "closes in 12 min" rather than "open until"."""
        return self.is_open and self.minutes_to_closing <= CLOSING_SOON_MINUTES

    @property
    def closing_soon_minutes(self):
        return CLOSING_SOON_MINUTES

    @property
    def opens_today(self):
        return self.next_day is not None and self.next_day == self.today

    @property
    def opens_tomorrow(self):
        return self.next_day is not None and self.next_day == self.today + datetime.timedelta(days=1)


def opening_state(now=None):
    """Open now until when, or when it opens next: closures and every area aside, the centre's hours.

    The instant is read in the centre's time zone (CENTRE_TIME_ZONE), so 23:30 in Paris is still
    "today" there whatever the server's clock says. Two queries.
    """
    local = (now or timezone.now()).astimezone(centre_zone())
    today, clock = local.date(), local.time()
    schedule = Schedule(today, today + datetime.timedelta(days=LOOKAHEAD_DAYS))
    if not schedule.in_use:
        return OpeningState(in_use=False, today=today)
    closure = schedule.closure(today)
    opening = schedule.opening(today)
    if opening and opening[0] <= clock < opening[1]:
        # Wall-clock minutes, as the clock on the wall counts them.
        left = datetime.datetime.combine(today, opening[1]) - datetime.datetime.combine(today, clock)
        return OpeningState(
            in_use=True,
            is_open=True,
            closes_at=opening[1],
            today=today,
            hours=opening,
            minutes_to_closing=math.ceil(left.total_seconds() / 60),
        )
    if opening and clock < opening[0]:
        return OpeningState(
            in_use=True, next_day=today, opens_at=opening[0], today=today, closure=closure, hours=opening
        )
    for offset in range(1, LOOKAHEAD_DAYS + 1):
        day = today + datetime.timedelta(days=offset)
        if next_opening := schedule.opening(day):
            return OpeningState(
                in_use=True, next_day=day, opens_at=next_opening[0], today=today, closure=closure, hours=opening
            )
    return OpeningState(in_use=True, today=today, closure=closure, hours=opening)


def week_hours(today=None):
    """This week's days, Monday first, each with (opens, closes) or None and its closure. Two queries."""
    today = today or timezone.localdate()
    monday = monday_of(today)
    sunday = monday + datetime.timedelta(days=6)
    schedule = Schedule(monday, sunday)
    return [
        {"date": day, "opening": schedule.opening(day), "closure": schedule.closure(day), "is_today": day == today}
        for day in days(monday, sunday)
    ]


def public_workshops(*, now=None):
    """Public, not cancelled, not over: soonest first, with their area and partners (no facilitator)."""
    now = now or timezone.now()
    return (
        Workshop.objects.in_public_feed()
        .filter(ends_at__gte=now)
        .select_related("area")
        .prefetch_related("institutions")
        .order_by("starts_at", "pk")
    )


def display_board(*, now):
    """What the waiting-room display shows beside the calls (reception asks for it through
    CounsellingConfig.display_board): the opening state at `now`, and the next public workshops of
    today and the coming days, by start and title only (no partner, no facilitator). Three queries."""
    state = opening_state(now)
    until = datetime.datetime.combine(
        state.today + datetime.timedelta(days=DISPLAY_WORKSHOP_DAYS), datetime.time.min, tzinfo=centre_zone()
    )
    coming = (
        public_workshops(now=now)
        .prefetch_related(None)
        .filter(starts_at__gt=now, starts_at__lt=until)
        .values_list("starts_at", "title")[:DISPLAY_WORKSHOPS]
    )
    return DisplayBoard(
        opening=state, workshops=[ComingWorkshop(starts_at=starts, title=title) for starts, title in coming]
    )


def ancestors_of(code):
    """The ISCO-08 groups above (and including) `code`, major group first."""
    return list(IscoGroup.objects.filter(code__in=[code[:n] for n in range(1, len(code) + 1)]).order_by("code"))


def _areas_for(*, sessions, workshops, records):
    """The areas that deal with an occupation, most used first: where sessions explored it over the
    last year, else the themes of its workshops and records. Counts stay here: a visitor sees names."""
    since = timezone.now() - datetime.timedelta(days=AREA_HINT_DAYS)
    ranked = (
        Area.objects.active()
        .filter(sessions__in=sessions.filter(started_at__gte=since))
        .annotate(used=Count("sessions"))
        .order_by("-used", "order", "letter")
    )
    found = list(ranked[:2])
    if found:
        return found
    ids = {workshop.area_id for workshop in workshops if workshop.area_id}
    ids |= set(Area.objects.filter(records__in=records).values_list("pk", flat=True))
    return list(Area.objects.active().filter(pk__in=ids)[:2])


def occupation_page(occupation, *, now=None, limit=12):
    """What a visitor may read about an ESCO occupation: its groups, its neighbours in the unit group,
    the public records about it or its unit group, the coming public workshops about it, and which area
    to ask for at reception."""
    group = occupation.group
    ancestors = ancestors_of(group.code)
    neighbours = sorted(
        Occupation.objects.filter(group=group).exclude(pk=occupation.pk), key=lambda item: item.label.lower()
    )
    records = (
        Record.objects.public()
        .filter(Q(occupations=occupation) | Q(isco_groups=group))
        .distinct()
        .order_by("title")[:limit]
    )
    workshops = list(
        public_workshops(now=now)
        .filter(Q(occupations=occupation) | Q(occupation_groups__in=ancestors))
        .distinct()[:limit]
    )
    records = list(records)
    return {
        "occupation": occupation,
        "group": group,
        "ancestors": ancestors,
        "neighbours": neighbours,
        "records": records,
        "workshops": workshops,
        "areas": _areas_for(
            sessions=Session.objects.filter(Q(occupations=occupation) | Q(occupation_groups=group)),
            workshops=workshops,
            records=records,
        ),
    }


def group_page(group, *, now=None, limit=12):
    """The same for an ISCO-08 group: its sub-groups or its occupations, and what is classified under it."""
    ancestors = ancestors_of(group.code)
    children = list(group.children.order_by("code"))
    occupations = sorted(group.occupations.all(), key=lambda item: item.label.lower())
    records = list(
        Record.objects.public().filter(isco_codes__contains=[group.code]).distinct().order_by("title")[:limit]
    )
    workshops = list(
        public_workshops(now=now)
        .filter(
            Q(occupation_groups__code__startswith=group.code)
            | Q(occupation_groups__in=ancestors)
            | Q(occupations__group__code__startswith=group.code)
        )
        .distinct()[:limit]
    )
    return {
        "group": group,
        "ancestors": ancestors[:-1],
        "children": children,
        "occupations": occupations,
        "records": records,
        "workshops": workshops,
        "areas": _areas_for(
            sessions=Session.objects.filter(
                Q(occupation_groups__code__startswith=group.code) | Q(occupations__group__code__startswith=group.code)
            ),
            workshops=workshops,
            records=records,
        ),
    }
