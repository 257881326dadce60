"""Every change to the queue: issuing tickets, calling them to a desk, serving, transferring, closing.

Each function takes its row locks, changes the ticket and writes its timed event in one transaction,
and refuses a change the ticket's state does not allow with a QueueError whose message is
translated. Desk pages, the counselling desk, admin actions, commands and tests all call these.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reception.models import Duty, ReturnCode, Ticket, TicketEvent

Status = Ticket.Status
Kind = TicketEvent.Kind


class QueueError(Exception):
    """A queue change that is not allowed; str(error) is a message for the person who asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


# The states each move starts from, and what to say when a ticket is in another one.
MOVES = {
    "call": ({Status.WAITING}, gettext_lazy("%(code)s is no longer waiting (%(status)s): it cannot be called.")),
    "recall": ({Status.CALLED}, gettext_lazy("Only a called ticket can be recalled; %(code)s is %(status)s.")),
    "start": ({Status.CALLED}, gettext_lazy("Only a called ticket can be served; %(code)s is %(status)s.")),
    "no_show": (
        {Status.CALLED},
        gettext_lazy("Only a called ticket can be marked as a no-show; %(code)s is %(status)s."),
    ),
    "finish": ({Status.SERVING}, gettext_lazy("Only a ticket being served can be finished; %(code)s is %(status)s.")),
    "transfer": (
        {Status.WAITING, Status.CALLED, Status.SERVING},
        gettext_lazy("%(code)s is %(status)s: it can no longer be transferred."),
    ),
    "cancel": (
        {Status.WAITING, Status.CALLED},
        gettext_lazy("%(code)s is %(status)s: it can no longer be cancelled."),
    ),
}


def _check(ticket, move):
    allowed, refusal = MOVES[move]
    if ticket.status not in allowed:
        raise QueueError(refusal % {"code": ticket.code, "status": ticket.get_status_display().lower()})


def _record(ticket, *, kind, from_status, at, by, desk=None, from_area=None, to_area=None, to_status=None):
    TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        at=at,
        from_status=from_status,
        to_status=to_status or ticket.status,
        desk=desk,
        by=by,
        from_area=from_area,
        to_area=to_area,
    )


def _locked(ticket):
    """The ticket's row, locked until the end of the transaction, as it is now."""
    return Ticket.objects.select_for_update().select_related("area").get(pk=ticket.pk)


def _next_number(area, day):
    """The next number of `area` on `day`: one atomic upsert, so concurrent issues never share one."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reception_ticketcounter (area_id, day, last_number) VALUES (%s, %s, 1)
            ON CONFLICT (area_id, day)
            DO UPDATE SET last_number = reception_ticketcounter.last_number + 1
            RETURNING last_number
            """,
            [area.pk, day],
        )
        return cursor.fetchone()[0]


def find_return_code(code):
    """The return code a visitor quotes (case, spaces and the dash do not matter), or None."""
    cleaned = "".join(character for character in (code or "").upper() if character.isalnum())
    if len(cleaned) != 6:
        return None
    return ReturnCode.objects.filter(code=f"{cleaned[:3]}-{cleaned[3:]}").first()


def _new_ticket(*, area, issued_by, profile, return_code, now, **fields):
    if not area.is_active:
        raise QueueError(_("The area %(area)s is closed: choose another one.") % {"area": area.name})
    day = timezone.localdate(now)
    number = _next_number(area, day)
    return Ticket.objects.create(
        day=day,
        issued_area=area,
        area=area,
        number=number,
        code=f"{area.letter}-{number:03d}",
        arrived_at=now,
        issued_by=issued_by,
        return_code=return_code,
        **(profile or {}),
        **fields,
    )


@transaction.atomic
def issue_ticket(*, area, issued_by, profile=None, return_code=None):
    """Give a visitor the next ticket of `area` today. `profile` holds the anonymous answers, if any;
    `return_code` links the visit to earlier ones (an existing ReturnCode, or True for a new one)."""
    if return_code is True:
        return_code = ReturnCode.objects.create()
    now = timezone.now()
    ticket = _new_ticket(area=area, issued_by=issued_by, profile=profile, return_code=return_code, now=now)
    _record(ticket, kind=Kind.ISSUED, from_status="", at=now, by=issued_by, to_area=area)
    return ticket


@transaction.atomic
def record_walk_in(*, area, desk, by, profile=None, return_code=None):
    """A visitor met directly at a desk, without a ticket: their visit starts being served at once."""
    _ensure_desk_is_free(desk)
    now = timezone.now()
    ticket = _new_ticket(
        area=area,
        issued_by=by,
        profile=profile,
        return_code=return_code,
        now=now,
        walk_in=True,
        status=Status.SERVING,
        desk=desk,
        called_at=now,
        started_at=now,
    )
    _record(ticket, kind=Kind.ISSUED, from_status="", at=now, by=by, to_area=area, to_status=Status.WAITING)
    _record(ticket, kind=Kind.STARTED, from_status=Status.WAITING, at=now, by=by, desk=desk)
    return ticket


@transaction.atomic
def erase_return_code(*, return_code):
    """Forget a return code on the visitor's request: their visits stay, unlinked."""
    return_code.delete()


def _ensure_desk_is_free(desk):
    busy = Ticket.objects.filter(desk=desk, status__in=Ticket.ACTIVE).only("code").first()
    if busy:
        raise QueueError(
            _("%(desk)s already has %(code)s: finish it or mark it as a no-show first.")
            % {"desk": desk, "code": busy.code}
        )


def _call(ticket, *, desk, by, now):
    previous = ticket.status
    ticket.status = Status.CALLED
    ticket.desk = desk
    ticket.called_at = now
    ticket.call_count += 1
    try:
        with transaction.atomic():
            ticket.save(update_fields=["status", "desk", "called_at", "call_count"])
    except IntegrityError:
        # The desk got another ticket at the same instant (the one-active-ticket-per-desk constraint).
        raise QueueError(_("%(desk)s is already calling another ticket.") % {"desk": desk}) from None
    _record(ticket, kind=Kind.CALLED, from_status=previous, at=now, by=by, desk=desk)
    return ticket


@transaction.atomic
def call_next(*, desk, by, areas=None):
    """Call the oldest waiting ticket of `areas` (the desk's own by default) to `desk`; None if nobody waits.

    Rows another desk is calling right now are skipped, not waited for: two desks calling at once
    get the two oldest tickets, and none is left behind.
    """
    _ensure_desk_is_free(desk)
    if areas is None:
        areas = desk.areas.all()
    now = timezone.now()
    ticket = (
        Ticket.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("area")
        .filter(day=timezone.localdate(now), status=Status.WAITING, area__in=areas)
        .order_by("arrived_at", "id")
        .first()
    )
    if ticket is None:
        return None
    return _call(ticket, desk=desk, by=by, now=now)


@transaction.atomic
def call_ticket(*, ticket, desk, by):
    """Call one given ticket to `desk`, out of the queue's order."""
    _ensure_desk_is_free(desk)
    ticket = _locked(ticket)
    _check(ticket, "call")
    return _call(ticket, desk=desk, by=by, now=timezone.now())


@transaction.atomic
def recall(*, ticket, by):
    """Announce a called ticket again (the visitor did not come yet)."""
    ticket = _locked(ticket)
    _check(ticket, "recall")
    now = timezone.now()
    ticket.call_count += 1
    ticket.save(update_fields=["call_count"])
    _record(ticket, kind=Kind.RECALLED, from_status=ticket.status, at=now, by=by, desk=ticket.desk)
    return ticket


def _move(ticket, *, move, kind, to_status, by, stamp=None, release_desk=False):
    """Lock, check, change the status (setting the `stamp` time field), record the event."""
    ticket = _locked(ticket)
    _check(ticket, move)
    now = timezone.now()
    previous, desk = ticket.status, ticket.desk
    ticket.status = to_status
    fields = ["status"]
    if stamp:
        setattr(ticket, stamp, now)
        fields.append(stamp)
    if release_desk:
        ticket.desk = None
        fields.append("desk")
    ticket.save(update_fields=fields)
    _record(ticket, kind=kind, from_status=previous, at=now, by=by, desk=desk)
    return ticket


@transaction.atomic
def start_serving(*, ticket, by):
    """The visitor sat down at the desk: the session starts."""
    return _move(ticket, move="start", kind=Kind.STARTED, to_status=Status.SERVING, by=by, stamp="started_at")


@transaction.atomic
def mark_no_show(*, ticket, by):
    """The called visitor never came to the desk."""
    return _move(ticket, move="no_show", kind=Kind.NO_SHOW, to_status=Status.NO_SHOW, by=by, stamp="finished_at")


@transaction.atomic
def finish(*, ticket, by):
    """The session is over; the desk is free for the next call."""
    return _move(ticket, move="finish", kind=Kind.FINISHED, to_status=Status.DONE, by=by, stamp="finished_at")


@transaction.atomic
def cancel(*, ticket, by):
    """The visitor left before being served (or the ticket was issued by mistake)."""
    return _move(ticket, move="cancel", kind=Kind.CANCELLED, to_status=Status.CANCELLED, by=by, release_desk=True)


@transaction.atomic
def transfer(*, ticket, area, by):
    """Put the ticket in `area`'s queue, keeping its arrival time (and its code) so it loses no place."""
    ticket = _locked(ticket)
    _check(ticket, "transfer")
    if area.pk == ticket.area_id:
        raise QueueError(_("%(code)s is already in %(area)s.") % {"code": ticket.code, "area": area.name})
    if not area.is_active:
        raise QueueError(_("The area %(area)s is closed: choose another one.") % {"area": area.name})
    now = timezone.now()
    previous, from_area, desk = ticket.status, ticket.area, ticket.desk
    ticket.status, ticket.area, ticket.desk = Status.WAITING, area, None
    ticket.called_at = ticket.started_at = None
    ticket.save(update_fields=["status", "area", "desk", "called_at", "started_at"])
    _record(
        ticket,
        kind=Kind.TRANSFERRED,
        from_status=previous,
        at=now,
        by=by,
        desk=desk,
        from_area=from_area,
        to_area=area,
    )
    return ticket


@transaction.atomic
def start_duty(*, user, desk):
    """`user` starts receiving visitors at `desk` (leaving the desk they were at, if any)."""
    if not desk.is_active:
        raise QueueError(_("%(desk)s is closed.") % {"desk": desk})
    now = timezone.now()
    Duty.objects.select_for_update().filter(user=user, ended_at__isnull=True).update(ended_at=now)
    return Duty.objects.create(user=user, desk=desk)


@transaction.atomic
def end_duty(*, user):
    """`user` leaves their desk: they no longer count among the counsellors on duty."""
    return Duty.objects.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())


@transaction.atomic
def close_past_days(*, today=None):
    """Close what earlier days left open (visitors who went home): for cron, each night.

    Returns the number of tickets closed. Figures then count them neither as waiting nor as served.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    stale = list(
        Ticket.objects.select_for_update(skip_locked=True)
        .filter(day__lt=today, status__in=[Status.WAITING, *Ticket.ACTIVE])
        .order_by("id")
    )
    events = []
    for ticket in stale:
        events.append(
            TicketEvent(
                ticket=ticket,
                kind=Kind.CLOSED,
                at=now,
                from_status=ticket.status,
                to_status=Status.CANCELLED,
                desk=ticket.desk,
            )
        )
        ticket.status, ticket.desk = Status.CANCELLED, None
    Ticket.objects.bulk_update(stale, ["status", "desk"])
    TicketEvent.objects.bulk_create(events)
    Duty.objects.filter(ended_at__isnull=True, started_at__date__lt=today).update(ended_at=now)
    return len(stale)
