"""Reads of the queue: what is waiting, who is on duty, where a ticket stands and how long it may wait.

Every function here runs a fixed number of queries, whatever the number of tickets.

Waits are measured here, once for every figure (see WAITS and docs/statistics-definitions.md): one
wait per stint in a queue, from the ticket's events.

The estimated wait (documented in the README, tested in tests/reception/test_estimated_wait.py):

    S = median session time of the area's sessions ended in the last RECEPTION_SERVICE_SAMPLE_DAYS
        days, as the statistics count it, from the app that records sessions, kept per area and
        refreshed when sessions end (reception/service_times.py);
        RECEPTION_DEFAULT_SERVICE_MINUTES while there are fewer than RECEPTION_SERVICE_MIN_SAMPLES
    d = desks open for the area (desks serving it where someone is on duty)
    f = those of them free right now (no ticket called or being served)
    p = the ticket's position in the area's queue (1 = next)

    wait(p) = 0                             if p <= f  (a free desk will call it now)
            = (ceil((p - f) / d) - 1/2) * S  otherwise (each busy desk is, on average, half-way
                                                       through a session)
            = unknown                       if d = 0   (nobody is on duty for the area)
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, Min, OuterRef, Q, Window
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language, gettext

from cite.clock import whole_minutes
from cite.models import Area
from reception.models import Desk, Duty, Ticket, TicketEvent
from reception.service_times import current_service_times

# --- Waits ----------------------------------------------------------------------------------------
# A visitor waits from the moment their ticket enters a queue from elsewhere (it is issued, or sent to
# another area after a call or a session: a referral) to the next call: a referred visitor waits
# twice. A transfer while still waiting moves the wait to another queue without restarting it; a
# stint that ends without a call (the visitor left, a walk-in served at once, the day closed) is no
# wait to measure; a cancellation undone at once (reinstated) never stopped the wait. All are read
# from the ticket's events, never from its called_at/arrived_at, which a transfer resets or keeps.

TICKETS, EVENTS = Ticket._meta.db_table, TicketEvent._meta.db_table
Status, Kind = Ticket.Status, TicketEvent.Kind

# When the ticket {ticket} (an SQL expression) last started to wait, among its events {before}.
WAITING_SINCE = f"""(SELECT e.at FROM {EVENTS} e
  WHERE e.ticket_id = {{ticket}} AND e.to_status = '{Status.WAITING}' AND e.from_status <> '{Status.WAITING}'
    AND e.kind <> '{Kind.REINSTATED}'{{before}}
  ORDER BY e.at DESC, e.id DESC LIMIT 1)"""  # noqa: S608 (our own table and status names)

# One row per wait of the tickets of {days} (a condition on their local `day`): the queue it was in
# (its area when called), when it began and its length in whole minutes.
WAITS = f"""
SELECT t.id AS ticket_id, t.day, COALESCE(q.to_area_id, t.area_id) AS area_id, w.began_at,
       {whole_minutes("c.at - w.began_at")} AS minutes
  FROM {TICKETS} t
  JOIN {EVENTS} c ON c.ticket_id = t.id AND c.kind = '{Kind.CALLED}'
 CROSS JOIN LATERAL (SELECT {WAITING_SINCE.format(ticket="t.id", before=" AND (e.at, e.id) < (c.at, c.id)")}
                     AS began_at) w
  LEFT JOIN LATERAL (SELECT e.to_area_id FROM {EVENTS} e
                      WHERE e.ticket_id = t.id AND e.kind IN ('{Kind.ISSUED}', '{Kind.TRANSFERRED}')
                        AND (e.at, e.id) < (c.at, c.id)
                      ORDER BY e.at DESC, e.id DESC LIMIT 1) q ON TRUE
 WHERE w.began_at IS NOT NULL AND {{days}}
"""  # noqa: S608


def waiting_since():
    """An annotation of tickets: when their current (or last) wait began, arrival for a ticket without events."""
    since = WAITING_SINCE.format(ticket=f"{TICKETS}.id", before="")
    return RawSQL(f"COALESCE({since}, {TICKETS}.arrived_at)", [])  # noqa: S611 (our own names, no input)


def estimated_wait(*, position, service, desks_open, desks_free):
    """The wait of the ticket at `position` (see the module's docstring); None when nobody is on duty."""
    if desks_open == 0:
        return None
    if position <= desks_free:
        return timedelta(0)
    rounds = math.ceil((position - desks_free) / desks_open)
    return (rounds - 0.5) * service


@dataclass
class AreaQueue:
    area: Area
    waiting: int = 0
    oldest_arrival: object = None  # when the longest wait of the queue began (an arrival, or a referral)
    service: timedelta = None
    desks_open: int = 0
    desks_free: int = 0
    on_duty: list = field(default_factory=list)

    @property
    def longest_wait(self):
        return timezone.now() - self.oldest_arrival if self.oldest_arrival else None

    def wait_at(self, position):
        return estimated_wait(
            position=position, service=self.service, desks_open=self.desks_open, desks_free=self.desks_free
        )

    @property
    def next_wait(self):
        """The estimated wait of a ticket issued now."""
        return self.wait_at(self.waiting + 1)


def service_times(areas):
    """{area id: service time} for `areas` (reception.service_times: kept in a table, one query)."""
    return current_service_times(areas)


def queue_overview(*, areas=None, with_service_times=True):
    """One AreaQueue per active area (or per area of `areas`): five queries in all (four without the
    service times, which the display does not show)."""
    areas = list(areas if areas is not None else Area.objects.active())
    today = timezone.localdate()
    queues = {area.pk: AreaQueue(area=area) for area in areas}

    waiting = (
        Ticket.objects.filter(day=today, status=Ticket.Status.WAITING, area__in=areas)
        .annotate(waiting_since=waiting_since())
        .values("area")
        .annotate(count=Count("id"), oldest=Min("waiting_since"))
    )
    for row in waiting:
        queues[row["area"]].waiting = row["count"]
        queues[row["area"]].oldest_arrival = row["oldest"]

    for area_id, service in (service_times(areas) if with_service_times else {}).items():
        queues[area_id].service = service

    open_desks = (
        Desk.objects.filter(is_active=True)
        .filter(Exists(Duty.objects.filter(desk=OuterRef("pk"), ended_at__isnull=True)))
        .annotate(
            area_ids=ArrayAgg("areas", distinct=True),
            busy=Exists(Ticket.objects.filter(desk=OuterRef("pk"), status__in=Ticket.ACTIVE)),
        )
    )
    for desk in open_desks:
        for area_id in desk.area_ids:
            if area_id in queues:
                queues[area_id].desks_open += 1
                queues[area_id].desks_free += 0 if desk.busy else 1

    duties = Duty.objects.filter(ended_at__isnull=True, desk__is_active=True).values_list(
        "user__first_name", "desk__areas"
    )
    for first_name, area_id in duties:
        if area_id in queues and first_name not in queues[area_id].on_duty:
            queues[area_id].on_duty.append(first_name)
    return list(queues.values())


def waiting_tickets(*, areas):
    """Today's waiting tickets of `areas`, oldest first (the order they will be called in)."""
    return (
        Ticket.objects.filter(day=timezone.localdate(), status=Ticket.Status.WAITING, area__in=areas)
        .select_related("area")
        .annotate(waiting_since=waiting_since())
        .order_by("arrived_at", "id")
    )


def next_waiting(*, areas, limit):
    """The next `limit` waiting tickets of `areas`, oldest first, and how many wait in all: a page shows
    the head of a queue of any length in one query (ordering them reads them all: the count is counted
    on the way, before the limit)."""
    tickets = list(waiting_tickets(areas=areas).annotate(waiting_count=Window(Count("id")))[:limit])
    return tickets, tickets[0].waiting_count if tickets else 0


def position_of(ticket):
    """1 for the next ticket to be called in its area; None when the ticket is not waiting."""
    if ticket.status != Ticket.Status.WAITING:
        return None
    ahead = Ticket.objects.filter(
        Q(arrived_at__lt=ticket.arrived_at) | Q(arrived_at=ticket.arrived_at, id__lt=ticket.id),
        day=ticket.day,
        status=Ticket.Status.WAITING,
        area=ticket.area_id,
    ).count()
    return ahead + 1


def recent_calls(*, limit=8):
    """Today's last calls and recalls, newest first, for the waiting-room display."""
    return list(
        TicketEvent.objects.filter(
            kind__in=[TicketEvent.Kind.CALLED, TicketEvent.Kind.RECALLED], ticket__day=timezone.localdate()
        )
        .select_related("ticket__area", "desk")
        .order_by("-at", "-id")[:limit]
    )


def duty_of(user):
    """The duty `user` holds now, with its desk, or None."""
    return Duty.objects.select_related("desk").filter(user=user, ended_at__isnull=True).first()


def desk_of(user):
    """The desk `user` is on duty at, or None."""
    duty = duty_of(user)
    return duty.desk if duty else None


def active_ticket(desk):
    """The ticket called to or being served at `desk`, or None."""
    return Ticket.objects.select_related("area").filter(desk=desk, status__in=Ticket.ACTIVE).first()


# --- Who is expected today ------------------------------------------------------------------------
# Reception knows nothing of the planning (it lives in counselling, which imports reception, never
# the reverse). An installed app that keeps a planning names a provider in its AppConfig:
#     front_desk_planning = "dotted.path.to.function"
# called as provider(areas=[Area, ...], now=aware datetime) -> {area id: AreaPlan}. Without one,
# the front desk simply flags nothing.


@dataclass
class Presence:
    """An institution expected in an area today, from `starts_at` to `ends_at` (local times)."""

    institution: str
    starts_at: object
    ends_at: object


@dataclass
class AreaPlan:
    """What the planning expects of an area today."""

    closes_at: object = None  # aware datetime of today's closing; None when the area is closed today
    closure: str = ""  # why it is closed today (a public holiday…), if it is
    now: list = field(default_factory=list)  # Presence, staffing it now
    later: list = field(default_factory=list)  # Presence, expected later today

    @property
    def nobody_expected(self):
        return not self.now and not self.later

    def may_not_be_seen(self, wait, now=None):
        """Whether a visitor issued a ticket now, waiting `wait`, would still be waiting at closing."""
        now = now or timezone.now()
        if self.closes_at is None:
            return True
        return now + (wait or timedelta(0)) > self.closes_at


def _provider(attribute):
    """The function an installed app names in `attribute` on its AppConfig, or None."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    for config in apps.get_app_configs():
        if path := getattr(config, attribute, None):
            return import_string(path)
    return None


def planning_provider():
    return _provider("front_desk_planning")


def area_plans(areas, *, now=None):
    """{area id: AreaPlan} from the installed planning, or {} when there is none (a fixed number of queries)."""
    provider = planning_provider()
    if provider is None:
        return {}
    return provider(areas=list(areas), now=now or timezone.now())


def _nobody_coming(plan, desks_open):
    """Nobody on duty at a desk serving the area, and the planning expects nobody for the rest of the
    day: reception asks before issuing. Someone at a desk serving the area will call the ticket,
    whatever the planning says."""
    return bool(plan and not desks_open and plan.nobody_expected)


def nobody_coming(area, *, now=None):
    """`_nobody_coming` for one area, as issuing a ticket asks it: one query while a desk serving the
    area is open (the planning is not asked then), the planning's few more otherwise."""
    if Duty.objects.filter(ended_at__isnull=True, desk__is_active=True, desk__areas=area).exists():
        return False
    return _nobody_coming(area_plans([area], now=now).get(area.pk), 0)


def attach_plans(overview, *, now=None):
    """Give each AreaQueue of `overview` its `plan` (None when unknown), whether `nobody_coming` (nobody
    on duty for the area and nobody expected for the rest of the day: reception asks before issuing),
    and whether a ticket issued now would wait `past_closing`."""
    now = now or timezone.now()
    plans = area_plans([queue.area for queue in overview], now=now)
    for queue in overview:
        queue.plan = plans.get(queue.area.pk)
        queue.nobody_coming = _nobody_coming(queue.plan, queue.desks_open)
        queue.past_closing = bool(queue.plan and queue.plan.may_not_be_seen(queue.next_wait, now))
    return overview


@dataclass
class Outlook:
    """What a ticket's visitor may expect: their estimated wait, and whether they may not be seen today
    (nobody is coming to their area, or the wait runs past closing)."""

    position: int | None = None  # 1 for the next to be called; None once the ticket no longer waits
    estimated_wait: object = None
    may_not_be_seen: bool = False
    nobody_on_duty: bool = False  # no desk serving the area is open right now


def outlook_of(ticket, *, now=None, overview=None):
    """The Outlook of `ticket` (for the front desk, the printed ticket and the phone page): a fixed
    number of queries; nothing to expect once the ticket no longer waits. `overview`: the live queue
    with its plans (attach_plans) the page already has, whose queue of the ticket's area is used."""
    position = position_of(ticket)
    if position is None:
        return Outlook()
    queue = next((queue for queue in overview or () if queue.area.pk == ticket.area_id), None)
    if queue is None:
        queue = attach_plans(queue_overview(areas=[ticket.area]), now=now)[0]
    wait = queue.wait_at(position)
    unlikely = queue.nobody_coming or bool(queue.plan and queue.plan.may_not_be_seen(wait, now))
    return Outlook(
        position=position, estimated_wait=wait, may_not_be_seen=unlikely, nobody_on_duty=not queue.desks_open
    )


# --- Beside the calls: the centre's hours and its next workshops ------------------------------------
# Both are counselling's (the planning, the workshops), so reception asks an installed app that names
#     display_board = "dotted.path.to.function"
# called as provider(now=aware datetime) -> DisplayBoard. Without one, the display shows its clock only.


@dataclass
class ComingWorkshop:
    """A public workshop as the waiting room sees it: when it starts and its title, never who leads it."""

    starts_at: object  # aware datetime
    title: str
    in_days: int = 0  # 0 today, 1 tomorrow… in the centre's time zone


@dataclass
class DisplayBoard:
    """The clock, today's hours and the next workshops, as the display shows them at `now`."""

    # The centre's opening state at `now` (counselling.public.OpeningState): in_use, is_open, closes_at,
    # minutes_to_closing, closes_soon, closing_soon_minutes, opens_today, opens_at, closure, and `hours`,
    # today's (opens, closes) from which the display's script keeps the label current. None: unknown.
    opening: object = None
    workshops: list = field(default_factory=list)  # ComingWorkshop, soonest first
    now: object = None


def display_board(*, now=None):
    """The DisplayBoard at `now` from the installed planning (a fixed number of queries), or the clock
    alone when no app provides one."""
    now = now or timezone.now()
    provider = _provider("display_board")
    board = provider(now=now) if provider else DisplayBoard()
    board.now = now
    today = timezone.localdate(now)
    for workshop in board.workshops:
        workshop.in_days = (timezone.localdate(workshop.starts_at) - today).days
    return board


# --- Frequent profiles ----------------------------------------------------------------------------
# The front desk offers the few complete profiles most often given at this centre lately as one-click
# buttons: a common visitor is then a profile and an area. Only complete profiles count (all six
# questions asked and answered), only combinations given by enough visitors that a button never
# describes one person (the statistics' threshold, 5 at least), and only answers still on their lists.

FREQUENT_PROFILE_DAYS = 30
FREQUENT_PROFILES_SHOWN = 4
PROFILE_LISTS = ("age_band", "situation", "gender", "residence_zone", "heard_from")


@dataclass(frozen=True)
class ProfileAnswer:
    question: str  # a field of the profile: "first_visit", "age_band"…
    value: str  # as the front desk's form posts it: "yes"/"no" for first_visit, the item's id otherwise
    label_fr: str = ""
    label_en: str = ""

    @property
    def label(self):
        if self.question == "first_visit":
            return gettext("First visit") if self.value == "yes" else gettext("Has come before")  # the form's labels
        return self.label_en if get_language() == "en" else self.label_fr


@dataclass(frozen=True)
class FrequentProfile:
    answers: tuple  # ProfileAnswer, in the order of the questions
    visits: int

    @property
    def values(self):
        return {answer.question: answer.value for answer in self.answers}

    @property
    def encoded(self):
        """The answers as the front desk's form posts them (first_visit=yes&age_band=3…): its button's value."""
        return urlencode(self.values)


def frequent_profile_minimum():
    """How many visitors must have given a profile before it becomes a button."""
    return max(5, settings.STATS_SUPPRESSION_THRESHOLD)


def frequent_profiles(*, today=None):
    """The complete profiles most often given in the last FREQUENT_PROFILE_DAYS days, most frequent first
    (one query: visits grouped by their six answers)."""
    today = today or timezone.localdate()
    lists = {f"{question}__isnull": False for question in PROFILE_LISTS}
    active = {f"{question}__is_active": True for question in PROFILE_LISTS}
    labels = [f"{question}__label_{language}" for question in PROFILE_LISTS for language in ("fr", "en")]
    ids = [f"{question}_id" for question in PROFILE_LISTS]
    rows = (
        Ticket.objects.filter(
            day__gte=today - timedelta(days=FREQUENT_PROFILE_DAYS), first_visit__isnull=False, **lists, **active
        )
        .values("first_visit", *ids, *labels)
        .annotate(visits=Count("id"))
        .filter(visits__gte=frequent_profile_minimum())
        .order_by("-visits", "first_visit", *ids)[:FREQUENT_PROFILES_SHOWN]
    )
    return [
        FrequentProfile(
            answers=(
                ProfileAnswer("first_visit", "yes" if row["first_visit"] else "no"),
                *(
                    ProfileAnswer(
                        question,
                        str(row[f"{question}_id"]),
                        row[f"{question}__label_fr"],
                        row[f"{question}__label_en"],
                    )
                    for question in PROFILE_LISTS
                ),
            ),
            visits=row["visits"],
        )
        for row in rows
    ]
