"""Reads of the counsellor's desk: which areas a desk calls for a counsellor, the desks and who holds
them, the session open at a desk. Each runs a fixed number of queries."""

from dataclasses import dataclass, field

from django.utils import timezone

from counselling import planning
from counselling.models import CounsellorProfile, Session
from reception.models import Desk, Duty, Ticket


def _own_areas(user):
    """The areas the back office listed for `user` (empty: no list, the desk decides)."""
    profile = CounsellorProfile.objects.filter(user=user).prefetch_related("areas").first()
    return {area.pk: area for area in profile.areas.all()} if profile else {}


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
    the areas a permanence plans for them at this desk today; in the areas' order."""
    areas = {area.pk: area for area in desk_areas if not own or area.pk in own}
    areas.update(planned)
    return sorted((area for area in areas.values() if area.is_active), key=lambda area: (area.order, area.letter))


def callable_areas(user, desk, *, day=None):
    """The areas `user` calls at `desk` today (see _calls)."""
    day = day or timezone.localdate()
    planned = _planned_areas(user, [desk], day).get(desk.pk, {})
    return _calls(desk.areas.all(), _own_areas(user), planned)


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
