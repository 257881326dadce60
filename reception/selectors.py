"""Reads of the queue: what is waiting, who is on duty, where a ticket stands and how long it may wait.

Every function here runs a fixed number of queries, whatever the number of tickets.

The estimated wait (documented in the README, tested in tests/reception/test_estimated_wait.py):

    S = median time from call to end of the area's sessions finished in the last
        RECEPTION_SERVICE_SAMPLE_DAYS days (RECEPTION_DEFAULT_SERVICE_MINUTES while there are fewer
        than RECEPTION_SERVICE_MIN_SAMPLES of them)
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

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Aggregate, Count, Exists, F, FloatField, Func, Min, OuterRef, Q
from django.utils import timezone

from cite.models import Area
from reception.models import Desk, Duty, Ticket, TicketEvent


class Epoch(Func):
    """Seconds in an interval."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


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
    oldest_arrival: object = None
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
    """{area id: median session time} for `areas`, with the default where samples are too few."""
    since = timezone.now() - timedelta(days=settings.RECEPTION_SERVICE_SAMPLE_DAYS)
    rows = (
        Ticket.objects.filter(
            area__in=areas, status=Ticket.Status.DONE, finished_at__gte=since, called_at__isnull=False
        )
        .values("area")
        .annotate(samples=Count("id"), median=Median(Epoch(F("finished_at") - F("called_at"))))
    )
    default = timedelta(minutes=settings.RECEPTION_DEFAULT_SERVICE_MINUTES)
    minimum = settings.RECEPTION_SERVICE_MIN_SAMPLES
    measured = {row["area"]: timedelta(seconds=row["median"]) for row in rows if row["samples"] >= minimum}
    return {area.pk: measured.get(area.pk, default) for area in areas}


def queue_overview(*, areas=None):
    """One AreaQueue per active area (or per area of `areas`): five queries in all."""
    areas = list(areas if areas is not None else Area.objects.active())
    today = timezone.localdate()
    queues = {area.pk: AreaQueue(area=area) for area in areas}

    waiting = (
        Ticket.objects.filter(day=today, status=Ticket.Status.WAITING, area__in=areas)
        .values("area")
        .annotate(count=Count("id"), oldest=Min("arrived_at"))
    )
    for row in waiting:
        queues[row["area"]].waiting = row["count"]
        queues[row["area"]].oldest_arrival = row["oldest"]

    for area_id, service in service_times(areas).items():
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
        .order_by("arrived_at", "id")
    )


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


def desk_of(user):
    """The desk `user` is on duty at, or None."""
    duty = Duty.objects.select_related("desk").filter(user=user, ended_at__isnull=True).first()
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


def planning_provider():
    from django.apps import apps
    from django.utils.module_loading import import_string

    for config in apps.get_app_configs():
        if path := getattr(config, "front_desk_planning", None):
            return import_string(path)
    return None


def area_plans(areas, *, now=None):
    """{area id: AreaPlan} from the installed planning, or {} when there is none (a fixed number of queries)."""
    provider = planning_provider()
    if provider is None:
        return {}
    return provider(areas=list(areas), now=now or timezone.now())


def attach_plans(overview, *, now=None):
    """Give each AreaQueue of `overview` its `plan` (None when unknown) and whether a ticket issued
    now `may_not_be_seen` today."""
    now = now or timezone.now()
    plans = area_plans([queue.area for queue in overview], now=now)
    for queue in overview:
        queue.plan = plans.get(queue.area.pk)
        queue.past_closing = bool(queue.plan and queue.plan.may_not_be_seen(queue.next_wait, now))
    return overview
