"""Every change to the queue: issuing tickets, opening and leaving desks, calling, serving,
transferring, putting back in the queue, closing.

Each function takes its row locks, changes the ticket and writes its timed event in one transaction,
and refuses a change that is not allowed with a QueueError whose message is translated. Two things
are checked, under the locks: the ticket's state, and who acts. A move at a desk names the desk, and
only the person on duty there may make it, on a ticket called to that desk (or, for a call, waiting
in an area the desk calls); locks are taken desk first, then duty, then ticket. Acting on another
desk's ticket is a supervisor's explicit move (`requeue`, `cancel`), recorded with who made it.
The counselling desk, admin actions, commands and tests all call these.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cite.errors import DomainError
from cite.pii import validate_no_personal_data
from reception.models import Desk, Duty, Feedback, ReturnCode, Ticket, TicketEvent
from reception.service_times import refresh_service_times
from reception.signals import visit_left_desk
from reception.versions import bump_queue_version

Status = Ticket.Status
Kind = TicketEvent.Kind


class QueueError(DomainError):
    """A queue change that is not allowed; str(error) is a message for the person who asked."""


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


def _record(ticket, *, kind, from_status, at, by, desk=None, from_area=None, to_area=None, to_status=None, reason=""):
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
        reason=reason,
    )
    # Every move writes its event here: the one place the queue's version is bumped (reception.versions).
    bump_queue_version(timezone.localdate(at))


def _locked(ticket):
    """The ticket's row, locked until the end of the transaction, as it is now."""
    return Ticket.objects.select_for_update(of=("self",)).select_related("area", "desk").get(pk=ticket.pk)


def _name(user):
    return user.get_short_name() if user else _("someone")


def _holding(desk, by, *, now=None):
    """Lock `desk`'s open duty and check that `by` holds it; their presence is noted (last seen)."""
    duty = (
        Duty.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(desk=desk, ended_at__isnull=True)
        .first()
    )
    if duty is None or duty.user_id != by.pk:
        mine = Duty.objects.filter(user=by, ended_at__isnull=True).select_related("desk").first()
        if mine is not None:
            raise QueueError(
                _("You are on duty at %(mine)s, not at %(desk)s: you can only move the tickets of your desk.")
                % {"mine": mine.desk, "desk": desk}
            )
        raise QueueError(_("Open a desk first: only the counsellor on duty at a desk moves its tickets."))
    duty.last_seen_at = now or timezone.now()
    duty.save(update_fields=["last_seen_at"])
    return duty


def _at_desk(ticket, desk):
    """A ticket called to another desk is that desk's: refuse to move it from here."""
    if ticket.desk_id != desk.pk:
        if ticket.desk_id is None:
            raise QueueError(_("%(code)s is not at a desk.") % {"code": ticket.code})
        raise QueueError(
            _("%(code)s is at %(other)s, not at %(desk)s: only the counsellor of %(other)s can move it.")
            % {"code": ticket.code, "other": ticket.desk, "desk": desk}
        )


def _in_areas(ticket, desk, areas):
    if ticket.area_id not in {area.pk for area in areas}:
        raise QueueError(
            _("%(code)s waits for %(area)s, which %(desk)s does not call.")
            % {"code": ticket.code, "area": ticket.area.name, "desk": desk}
        )


def _supervisor(by, permission="reception.supervise_queue"):
    if not by.has_perm(permission):
        raise QueueError(_("Only reception or a manager can do this to a ticket of another desk."))


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
    """A visitor met directly at a desk, without a ticket: their visit starts being served at once.

    Only the person on duty at `desk` records one, while nobody else is at the desk."""
    now = timezone.now()
    _holding(desk, by, now=now)
    _ensure_desk_is_free(desk)
    try:
        with transaction.atomic():
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
    except IntegrityError:
        # Another ticket reached the desk at the same instant (one active ticket per desk).
        raise QueueError(_("%(desk)s is already calling another ticket.") % {"desk": desk}) from None
    _record(ticket, kind=Kind.ISSUED, from_status="", at=now, by=by, to_area=area, to_status=Status.WAITING)
    _record(ticket, kind=Kind.STARTED, from_status=Status.WAITING, at=now, by=by, desk=desk)
    return ticket


@transaction.atomic
def erase_return_code(*, return_code):
    """Forget a return code on the visitor's request: their visits stay, unlinked."""
    return_code.delete()


def _violated(error):
    """The name of the constraint an IntegrityError broke, as PostgreSQL reports it ("" if unknown):
    to choose the words, never to show."""
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or ""


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
    now = timezone.now()
    _holding(desk, by, now=now)
    _ensure_desk_is_free(desk)
    if areas is None:
        areas = desk.areas.all()
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
def call_ticket(*, ticket, desk, by, areas=None):
    """Call one given ticket to `desk`, out of the queue's order: it must wait in one of `areas` (the
    areas the desk calls; the desk's own by default)."""
    now = timezone.now()
    _holding(desk, by, now=now)
    _ensure_desk_is_free(desk)
    ticket = _locked(ticket)
    _check(ticket, "call")
    _in_areas(ticket, desk, desk.areas.all() if areas is None else areas)
    return _call(ticket, desk=desk, by=by, now=now)


@transaction.atomic
def recall(*, ticket, desk, by):
    """Announce a ticket called to `desk` again (the visitor did not come yet)."""
    now = timezone.now()
    _holding(desk, by, now=now)
    ticket = _locked(ticket)
    _check(ticket, "recall")
    _at_desk(ticket, desk)
    ticket.call_count += 1
    ticket.save(update_fields=["call_count"])
    _record(ticket, kind=Kind.RECALLED, from_status=ticket.status, at=now, by=by, desk=ticket.desk)
    return ticket


def _move(ticket, *, desk, move, kind, to_status, by, stamp=None, release_desk=False):
    """Check who acts (the holder of `desk`, on a ticket at `desk`) and the state, change the status
    (setting the `stamp` time field), record the event."""
    now = timezone.now()
    _holding(desk, by, now=now)
    ticket = _locked(ticket)
    _check(ticket, move)
    _at_desk(ticket, desk)
    previous = ticket.status
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
def start_serving(*, ticket, desk, by):
    """The visitor sat down at the desk. Called by counselling.services.start_session, which records
    the session that goes with it: every visit served has one."""
    return _move(
        ticket, desk=desk, move="start", kind=Kind.STARTED, to_status=Status.SERVING, by=by, stamp="started_at"
    )


@transaction.atomic
def mark_no_show(*, ticket, desk, by):
    """The visitor called to `desk` never came."""
    return _move(
        ticket, desk=desk, move="no_show", kind=Kind.NO_SHOW, to_status=Status.NO_SHOW, by=by, stamp="finished_at"
    )


@transaction.atomic
def finish(*, ticket, desk, by):
    """The visit at `desk` is over; the desk is free for the next call. Whatever records the
    session (counselling) ends it in this same transaction (reception.signals.visit_left_desk)."""
    ticket = _move(
        ticket, desk=desk, move="finish", kind=Kind.FINISHED, to_status=Status.DONE, by=by, stamp="finished_at"
    )
    visit_left_desk.send(sender=Ticket, ticket=ticket, at=ticket.finished_at, kind=Kind.FINISHED)
    _session_ended(ticket.area)
    return ticket


@transaction.atomic
def cancel(*, ticket, by, reason=TicketEvent.Reason.OTHER):
    """The visitor left before being served (or the ticket was issued by mistake): reception's move,
    with one of the reasons of TicketEvent.Reason. It can be undone for a short while (`undo_cancel`)."""
    _supervisor(by, "reception.change_ticket")
    if reason not in TicketEvent.Reason.values:
        raise QueueError(_("Choose why the ticket is cancelled."))
    ticket = _locked(ticket)
    _check(ticket, "cancel")
    now = timezone.now()
    previous, desk = ticket.status, ticket.desk
    ticket.status, ticket.desk = Status.CANCELLED, None
    ticket.save(update_fields=["status", "desk"])
    _record(ticket, kind=Kind.CANCELLED, from_status=previous, at=now, by=by, desk=desk, reason=reason)
    return ticket


UNDO_CANCEL_WINDOW = timedelta(minutes=5)  # "Undo" is for a wrong click, not for reopening the day


@transaction.atomic
def undo_cancel(*, ticket, by):
    """Take back a cancellation made a moment ago by the same person: the ticket waits again in its
    queue, in its place (its arrival time never changed). A ticket cancelled while waiting keeps
    its wait running (the event is no new wait); one cancelled at a desk goes back to the queue, as
    when a supervisor puts it back."""
    _supervisor(by, "reception.change_ticket")
    ticket = _locked(ticket)
    if ticket.status != Status.CANCELLED:
        raise QueueError(
            _("%(code)s is %(status)s: there is no cancellation to undo.")
            % {"code": ticket.code, "status": ticket.get_status_display().lower()}
        )
    cancelled = ticket.events.filter(kind=Kind.CANCELLED).order_by("-at", "-id").first()
    now = timezone.now()
    if cancelled is None or cancelled.by_id != by.pk:
        raise QueueError(_("Only the person who cancelled %(code)s can undo it.") % {"code": ticket.code})
    if now - cancelled.at > UNDO_CANCEL_WINDOW or ticket.day != timezone.localdate(now):
        raise QueueError(
            _("%(code)s was cancelled more than %(minutes)s minutes ago: issue a new ticket instead.")
            % {"code": ticket.code, "minutes": int(UNDO_CANCEL_WINDOW.total_seconds() // 60)}
        )
    if not ticket.area.is_active:
        raise QueueError(_("The area %(area)s is closed: choose another one.") % {"area": ticket.area.name})
    ticket.status, ticket.called_at = Status.WAITING, None
    ticket.save(update_fields=["status", "called_at"])
    kind = Kind.REINSTATED if cancelled.from_status == Status.WAITING else Kind.REQUEUED
    _record(ticket, kind=kind, from_status=Status.CANCELLED, at=now, by=by)
    return ticket


@transaction.atomic
def transfer(*, ticket, area, by, desk=None):
    """Put the ticket in `area`'s queue, keeping its arrival time (and its code) so it loses no place.

    From a desk (`desk` given), only its holder moves a ticket called or served there; without a desk,
    a supervisor moves a waiting ticket to another queue.
    """
    now = timezone.now()
    if desk is not None:
        _holding(desk, by, now=now)
    else:
        _supervisor(by)
    ticket = _locked(ticket)
    _check(ticket, "transfer")
    if desk is not None:
        _at_desk(ticket, desk)
    elif ticket.status != Status.WAITING:
        raise QueueError(
            _("%(code)s is at %(desk)s: only its counsellor can refer it to another area.")
            % {"code": ticket.code, "desk": ticket.desk}
        )
    if area.pk == ticket.area_id:
        raise QueueError(_("%(code)s is already in %(area)s.") % {"code": ticket.code, "area": area.name})
    if not area.is_active:
        raise QueueError(_("The area %(area)s is closed: choose another one.") % {"area": area.name})
    previous, from_area, at_desk = ticket.status, ticket.area, ticket.desk
    ticket.status, ticket.area, ticket.desk = Status.WAITING, area, None
    ticket.called_at = ticket.started_at = None
    ticket.save(update_fields=["status", "area", "desk", "called_at", "started_at"])
    _record(
        ticket,
        kind=Kind.TRANSFERRED,
        from_status=previous,
        at=now,
        by=by,
        desk=at_desk,
        from_area=from_area,
        to_area=area,
    )
    if previous == Status.SERVING:
        visit_left_desk.send(sender=Ticket, ticket=ticket, at=now, kind=Kind.TRANSFERRED)
        _session_ended(from_area)
    return ticket


def _requeue(ticket, *, by, now):
    """Back to its queue, keeping its arrival time: it is called again before anyone who came later."""
    previous, desk = ticket.status, ticket.desk
    ticket.status, ticket.desk, ticket.called_at = Status.WAITING, None, None
    ticket.save(update_fields=["status", "desk", "called_at"])
    _record(ticket, kind=Kind.REQUEUED, from_status=previous, at=now, by=by, desk=desk)
    return ticket


@transaction.atomic
def requeue(*, ticket, by):
    """A supervisor's move: a ticket called to a desk goes back to its queue (its counsellor is gone,
    the visitor is elsewhere). Recorded as an event with who did it."""
    _supervisor(by)
    ticket = _locked(ticket)
    if ticket.status != Status.CALLED:
        if ticket.status == Status.SERVING:
            raise QueueError(
                _("%(code)s is being served at %(desk)s: only its counsellor can end the session.")
                % {"code": ticket.code, "desk": ticket.desk}
            )
        raise QueueError(
            _("Only a called ticket can be put back in the queue; %(code)s is %(status)s.")
            % {"code": ticket.code, "status": ticket.get_status_display().lower()}
        )
    return _requeue(ticket, by=by, now=timezone.now())


# --- Desks: one person per desk, one desk per person --------------------------------------------------


def _served_by(ticket):
    """Who started serving `ticket` (the author of its last "session started" event)."""
    event = ticket.events.filter(kind=Kind.STARTED).select_related("by").order_by("-at", "-id").first()
    return event.by if event else None


def _end(duty, *, reason, now, by=None):
    """End `duty` (locked by the caller); a ticket called to its desk but not received goes back to
    its queue. A session in progress stays: its counsellor finishes it when they come back."""
    duty.ended_at, duty.end_reason = now, reason
    duty.ended_by = by if reason == Duty.EndReason.TAKEN_OVER else None
    duty.save(update_fields=["ended_at", "end_reason", "ended_by"])
    called = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("desk")
        .filter(desk=duty.desk_id, status=Status.CALLED)
        .first()
    )
    if called is not None:
        _requeue(called, by=by, now=now)  # its event bumps the queue's version
    else:
        # One desk fewer open: estimated waits change. Bumped after the ticket's lock, as every move
        # does (ticket, then version), so that two moves never wait for each other's locks.
        bump_queue_version()
    return called


@transaction.atomic
def start_duty(*, user, desk, take_over=False):
    """`user` opens `desk` (leaving the desk they were at, if any) and returns their duty.

    Refused while someone else holds the desk, unless `take_over`: then their duty ends, recorded as
    taken over by `user`, and a ticket called there goes back to the head of its queue. A desk whose
    visitor is still being served by someone else cannot be taken over.
    """
    desk = Desk.objects.select_for_update().get(pk=desk.pk)  # one opening of a desk at a time
    if not desk.is_active:
        raise QueueError(_("%(desk)s is closed.") % {"desk": desk})
    now = timezone.now()
    current = (
        Duty.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(desk=desk, ended_at__isnull=True)
        .first()
    )
    if current is not None and current.user_id == user.pk:
        current.last_seen_at = now
        current.save(update_fields=["last_seen_at"])
        return current
    active = Ticket.objects.select_for_update(of=("self",)).filter(desk=desk, status__in=Ticket.ACTIVE).first()
    if active is not None and active.status == Status.SERVING:
        server = _served_by(active)
        if server is None or server.pk != user.pk:
            raise QueueError(
                _("%(name)s is with %(code)s at %(desk)s: the desk can be opened once that session ends.")
                % {"name": _name(server), "code": active.code, "desk": desk}
            )
    if current is not None:
        if not take_over:
            raise QueueError(
                _("%(desk)s is held by %(name)s since %(time)s.")
                % {"desk": desk, "name": _name(current.user), "time": f"{timezone.localtime(current.started_at):%H:%M}"}
            )
        _end(current, reason=Duty.EndReason.TAKEN_OVER, now=now, by=user)
    elif active is not None and active.status == Status.CALLED:
        _requeue(active, by=user, now=now)  # called by a counsellor who is gone
    mine = Duty.objects.select_for_update(of=("self",)).filter(user=user, ended_at__isnull=True).first()
    if mine is not None:
        serving = Ticket.objects.filter(desk=mine.desk_id, status=Status.SERVING).only("code").first()
        if serving is not None:
            raise QueueError(
                _("Finish your session with %(code)s at %(desk)s before you open another desk.")
                % {"code": serving.code, "desk": mine.desk}
            )
        _end(mine, reason=Duty.EndReason.MOVED, now=now, by=user)
    try:
        with transaction.atomic():
            duty = Duty.objects.create(user=user, desk=desk, last_seen_at=now)
    except IntegrityError as error:
        # Opened at the same instant by someone else (one open duty per desk), or this person opened
        # another desk at the same instant, from another tab (one per person).
        if _violated(error) == "reception_duty_one_open_per_user":
            raise QueueError(
                _("You opened another desk a moment ago: leave it before opening %(desk)s.") % {"desk": desk}
            ) from None
        raise QueueError(_("%(desk)s was opened by someone else a moment ago.") % {"desk": desk}) from None
    bump_queue_version()  # one desk more open: estimated waits change
    return duty


@transaction.atomic
def leave_desk(*, user, reason=Duty.EndReason.LEFT):
    """`user` leaves their desk (or logs out): they no longer count among the counsellors on duty, and a
    ticket called to the desk but not received goes back to its queue. Returns that ticket, if any."""
    duty = Duty.objects.select_for_update(of=("self",)).filter(user=user, ended_at__isnull=True).first()
    if duty is None:
        return None
    return _end(duty, reason=reason, now=timezone.now(), by=user)


def touch_duty(*, user, now=None, duty=None):
    """Note that the holder of a desk is still there (their desk page asks every minute), at most every
    30 seconds. Given the `duty` just read (reception.selectors.duty_of), no query while it was noted
    less than 30 seconds ago."""
    now = now or timezone.now()
    since = now - timedelta(seconds=30)
    if duty is not None and duty.last_seen_at >= since:
        return 0
    held = Duty.objects.filter(pk=duty.pk) if duty is not None else Duty.objects.filter(user=user)
    return held.filter(ended_at__isnull=True, last_seen_at__lt=since).update(last_seen_at=now)


@transaction.atomic
def close_idle_desks(*, now=None):
    """End the duties whose holder has not been seen for RECEPTION_DESK_IDLE_MINUTES (closed browser,
    forgotten desk): their called tickets go back to the queue. Returns how many desks closed."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.RECEPTION_DESK_IDLE_MINUTES)
    idle = list(
        Duty.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("desk", "user")
        .filter(ended_at__isnull=True, last_seen_at__lt=limit)
    )
    for duty in idle:
        _end(duty, reason=Duty.EndReason.IDLE, now=now)
    return len(idle)


_last_idle_check = 0.0


def close_idle_desks_now_and_then():
    """The check on the next request: pages that show desks call this; it looks at most every
    RECEPTION_DESK_IDLE_CHECK_SECONDS per process, so a display polling every second costs nothing."""
    global _last_idle_check
    import time

    moment = time.monotonic()
    if moment - _last_idle_check < settings.RECEPTION_DESK_IDLE_CHECK_SECONDS:
        return 0
    _last_idle_check = moment
    limit = timezone.now() - timedelta(minutes=settings.RECEPTION_DESK_IDLE_MINUTES)
    if not Duty.objects.filter(ended_at__isnull=True, last_seen_at__lt=limit).exists():
        return 0
    return close_idle_desks()


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
    for ticket, event in zip(stale, events, strict=True):
        if event.from_status == Status.SERVING:
            visit_left_desk.send(sender=Ticket, ticket=ticket, at=now, kind=Kind.CLOSED)
    ended = Duty.objects.filter(ended_at__isnull=True, started_at__date__lt=today).update(
        ended_at=now, end_reason=Duty.EndReason.NIGHT
    )
    if stale or ended:
        bump_queue_version()
    return len(stale)


def _session_ended(area):
    """A session of `area` ended in this transaction: its service time follows once it is committed
    (outside the move's transaction and its locks; a failure there is logged, the move stands)."""
    transaction.on_commit(lambda: refresh_service_times(areas=[area]), robust=True)


# --- Feedback after the visit ----------------------------------------------------------------------


class FeedbackError(DomainError):
    """Feedback that cannot be taken: the ticket is not finished, not of today, or already answered."""


@transaction.atomic
def give_feedback(*, ticket, found="", rating=None, comment=""):
    """Record a visitor's anonymous answer for `ticket`: once, the ticket's own day, after its end.

    The ticket's row lock serialises two submissions from the same phone (a double tap): the second
    finds the first and is refused with a message, never a constraint's name.
    """
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.DONE:
        raise FeedbackError(_("You can give your opinion once your visit is over."))
    if ticket.day != timezone.localdate():
        raise FeedbackError(_("Opinions are taken on the day of the visit only."))
    if Feedback.objects.filter(ticket=ticket).exists():
        raise FeedbackError(_("You have already given your opinion on this visit. Thank you!"))
    if not found and rating is None and not comment.strip():
        raise FeedbackError(_("Answer at least one question, or simply close this page."))
    try:
        validate_no_personal_data(comment)
    except ValidationError as error:
        raise FeedbackError(error.messages) from error
    return Feedback.objects.create(
        ticket=ticket, area=ticket.area, day=ticket.day, found=found, rating=rating, comment=comment.strip()
    )
