"""Changes at the desk (starting, saving and finishing sessions, walk-ins, referrals, note retention)
and of workshops (planning, cancelling, recording their anonymous attendance).

The queue moves themselves are reception's (reception.services): a session starts when its ticket
starts being served, and finishing it finishes the ticket, or puts it back in another area's queue
when the visitor is referred there.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Least
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from cite.errors import DomainError
from counselling import planning, selectors
from counselling.models import (
    AttendanceCount,
    Closure,
    OpeningHours,
    PermanenceException,
    Referral,
    Session,
    Weekday,
    Workshop,
)
from partners.selectors import institution_of
from reception import services as queue
from reception.models import Ticket
from reception.services import QueueError
from reception.signals import visit_left_desk
from resources.services import count_hand_outs

__all__ = ["QueueError", "WorkshopError"]


class WorkshopError(DomainError):
    """A change of a workshop that is not allowed; str(error) is a message for the person who asked."""


SESSION_FIELDS = ["information_given", "outcome", "next_steps", "note", "started_at", "ended_at"]
SESSION_RELATIONS = ["topics", "occupations", "occupation_groups"]


def _new_session(ticket, counsellor, now):
    return Session.objects.create(
        ticket=ticket,
        counsellor=counsellor,
        institution=institution_of(counsellor),
        area=ticket.area,
        desk=ticket.desk,
        started_at=now,
    )


# --- The desk: every move names the desk and goes through reception's queue services, which check
# under their locks that the counsellor holds the desk and the ticket is there.


@transaction.atomic
def open_desk(*, counsellor, desk, take_over=False):
    """`counsellor` opens `desk`; refused when the desk calls none of their areas, or is held by
    someone else (unless `take_over`, see reception.services.start_duty)."""
    if not selectors.callable_areas(counsellor, desk):
        raise QueueError(
            _("%(desk)s serves none of your areas: choose another desk, or ask the back office to change your areas.")
            % {"desk": desk}
        )
    return queue.start_duty(user=counsellor, desk=desk, take_over=take_over)


def call_next(*, desk, counsellor):
    """Call the oldest visitor waiting in the areas `counsellor` calls at `desk`; None if nobody waits.

    reception's call_next is the transaction: it takes the locks and checks the desk (one around it
    would only add a savepoint to every call)."""
    return queue.call_next(desk=desk, by=counsellor, areas=selectors.callable_areas(counsellor, desk))


@transaction.atomic
def call_ticket(*, ticket, desk, counsellor):
    """Call one waiting visitor out of order, if they wait in an area `counsellor` calls at `desk`."""
    return queue.call_ticket(ticket=ticket, desk=desk, by=counsellor, areas=selectors.callable_areas(counsellor, desk))


@transaction.atomic
def start_session(*, ticket, desk, counsellor):
    """The visitor called to `desk` sat down: their ticket is being served and the session begins."""
    ticket = queue.start_serving(ticket=ticket, desk=desk, by=counsellor)
    return _new_session(ticket, counsellor, ticket.started_at)


@transaction.atomic
def start_walk_in(*, area, desk, counsellor, profile=None, return_code=None):
    """A visitor met directly at the desk: an anonymous visit and its session, in one step."""
    ticket = queue.record_walk_in(area=area, desk=desk, by=counsellor, profile=profile, return_code=return_code)
    return _new_session(ticket, counsellor, ticket.started_at)


def _own(session, by):
    """The session, locked, if it is `by`'s: a counsellor records and ends only their own sessions."""
    session = Session.objects.select_for_update(of=("self",)).select_related("ticket", "desk").get(pk=session.pk)
    if session.counsellor_id != by.pk:
        raise QueueError(_("This session is another counsellor's: only they can change it."))
    return session


@transaction.atomic
def save_session(*, session, by, data):
    """Record what the form holds (validated by counselling.forms.SessionForm); documents newly handed
    are counted on their record. Only the session's counsellor may."""
    session = _own(session, by)
    for field in SESSION_FIELDS:
        if field in data and data[field] is not None:
            setattr(session, field, data[field])
    session.save()
    for relation in SESSION_RELATIONS:
        if relation in data:
            getattr(session, relation).set(data[relation])
    if "documents" in data:
        before = set(session.documents.values_list("pk", flat=True))
        session.documents.set(data["documents"])
        count_hand_outs(records=[record for record in data["documents"] if record.pk not in before])
    if "referral_institutions" in data or "referral_area" in data:
        session.referrals.all().delete()
        Referral.objects.bulk_create(
            [
                Referral(session=session, institution=institution)
                for institution in data.get("referral_institutions", [])
            ]
            + ([Referral(session=session, area=data["referral_area"])] if data.get("referral_area") else [])
        )
    return session


@transaction.atomic
def finish_session(*, session, by, data=None):
    """Save the session, end it, and free the desk: the ticket is done, or waits in the area the
    visitor was referred to, keeping its arrival time. Only the session's counsellor, on duty at the
    desk where the visitor sits, may."""
    session = _own(session, by)
    if data:
        session = save_session(session=session, by=by, data=data)
    ticket = session.ticket
    if ticket.status != Ticket.Status.SERVING:
        raise QueueError(
            _("%(code)s is no longer being served (%(status)s): this session can no longer be finished here.")
            % {"code": ticket.code, "status": ticket.get_status_display().lower()}
        )
    if session.ended_at is None:
        session.ended_at = timezone.now()
        session.save(update_fields=["ended_at"])
    area_referral = session.referrals.filter(area__isnull=False).select_related("area").first()
    if area_referral:
        queue.transfer(ticket=ticket, area=area_referral.area, desk=ticket.desk, by=by)
    else:
        queue.finish(ticket=ticket, desk=ticket.desk, by=by)
    return session


@receiver(visit_left_desk, dispatch_uid="counselling-end-open-sessions")
def end_open_sessions(sender, ticket, at, **kwargs):
    """A visit left its desk by another path than finish_session (closed at night, a move through the
    admin): its open session ends in the same transaction, never left open. A session is never
    longer than COUNSELLING_LONGEST_SESSION_HOURS (a visit forgotten at a desk until night)."""
    longest = timedelta(hours=settings.COUNSELLING_LONGEST_SESSION_HOURS)
    Session.objects.filter(ticket=ticket, ended_at__isnull=True).update(
        ended_at=Least(Value(at), F("started_at") + longest)
    )


def check_times(*, session, started_at, ended_at):
    """Corrections of a session's times stay within reason; returns [(field, message)] (none: fine),
    the field being "started_at" or "ended_at", so a form puts each message beside the time at fault."""
    errors = []
    now = timezone.now()
    if ended_at and ended_at < started_at:
        errors.append(("ended_at", _("A session cannot end before it starts.")))
    if started_at > now:
        errors.append(("started_at", _("A session cannot start or end in the future.")))
    elif ended_at and ended_at > now:
        errors.append(("ended_at", _("A session cannot start or end in the future.")))
    if started_at < session.ticket.arrived_at - timedelta(minutes=5):
        errors.append(("started_at", _("A session cannot start before the visitor arrived.")))
    longest = timedelta(hours=settings.COUNSELLING_LONGEST_SESSION_HOURS)
    if ended_at and ended_at - started_at > longest:
        errors.append(
            (
                "ended_at",
                _("A session cannot last more than %(hours)d hours.") % {"hours": longest.total_seconds() // 3600},
            )
        )
    return errors


@transaction.atomic
def purge_old_notes(*, older_than_days=None, now=None):
    """Empty the private notes of sessions that ended more than `older_than_days` ago (for cron).

    The structured fields (topics, occupations, referrals, outcome) stay: the figures need them.
    Returns how many notes were emptied.
    """
    days = older_than_days if older_than_days is not None else settings.COUNSELLING_NOTE_RETENTION_DAYS
    limit = (now or timezone.now()) - timedelta(days=days)
    return Session.objects.filter(ended_at__lt=limit).exclude(note="").update(note="")


# ---------------------------------------------------------------------------------------------------
# Planning: permanences and their one-off changes. Every change re-checks the rules of
# counselling.planning under one transaction-level advisory lock, so two people planning at the same
# moment cannot both slip a conflicting permanence past the check.

PLANNING_LOCK = 4_272_014  # any constant private to this app


class PlanningError(DomainError):
    """A planning change that is not allowed; `messages` says why (each rule broken), in the user's language."""


def _lock_planning():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLANNING_LOCK])


@transaction.atomic
def save_permanence(*, permanence):
    """Create or change a permanence (its weekly rule), refused when it leaves the opening hours or
    conflicts with another (see counselling.planning)."""
    _lock_planning()
    if problems := planning.permanence_problems(permanence):
        raise PlanningError(problems)
    permanence.save()
    return permanence


def _change(permanence, day):
    return PermanenceException.objects.filter(permanence=permanence, date=day).first()


def _check_usual_date(permanence, day):
    if not planning.occurs_on(permanence, day):
        raise PlanningError(
            _("%(permanence)s does not take place on %(day)s.") % {"permanence": permanence, "day": f"{day:%d/%m/%Y}"}
        )


@transaction.atomic
def cancel_occurrence(*, permanence, date, reason=""):
    """The permanence will not be held on `date` (one of its usual dates) this time."""
    _lock_planning()
    _check_usual_date(permanence, date)
    change, _created = PermanenceException.objects.update_or_create(
        permanence=permanence,
        date=date,
        defaults={
            "kind": PermanenceException.Kind.CANCELLED,
            "new_date": None,
            "starts_at": None,
            "ends_at": None,
            "reason": reason,
        },
    )
    return change


@transaction.atomic
def move_occurrence(*, permanence, date, new_date, starts_at=None, ends_at=None, reason=""):
    """Hold the occurrence of `date` on `new_date` instead (and at other hours, if given)."""
    _lock_planning()
    _check_usual_date(permanence, date)
    starts, ends = starts_at or permanence.starts_at, ends_at or permanence.ends_at
    if problems := planning.occurrence_problems(permanence, new_date, starts, ends, usual_date=date):
        raise PlanningError(problems)
    change, _created = PermanenceException.objects.update_or_create(
        permanence=permanence,
        date=date,
        defaults={
            "kind": PermanenceException.Kind.MOVED,
            "new_date": new_date,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "reason": reason,
        },
    )
    return change


@transaction.atomic
def add_occurrence(*, permanence, date, starts_at=None, ends_at=None, reason=""):
    """An extra occurrence of the permanence on `date`, which is not one of its usual dates."""
    _lock_planning()
    if planning.occurs_on(permanence, date):
        raise PlanningError(_("The permanence already takes place on %(day)s.") % {"day": f"{date:%d/%m/%Y}"})
    if _change(permanence, date):
        raise PlanningError(_("This occurrence has already been changed."))
    starts, ends = starts_at or permanence.starts_at, ends_at or permanence.ends_at
    if problems := planning.occurrence_problems(permanence, date, starts, ends):
        raise PlanningError(problems)
    return PermanenceException.objects.create(
        permanence=permanence,
        date=date,
        kind=PermanenceException.Kind.ADDED,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
    )


@transaction.atomic
def restore_occurrence(*, permanence, date):
    """Undo the change of `date`: a cancelled or moved occurrence is back, an added one is gone."""
    _lock_planning()
    change = _change(permanence, date)
    if change is None:
        raise PlanningError(_("There is no change to undo on this date."))
    if change.kind == PermanenceException.Kind.CANCELLED:
        problems = planning.occurrence_problems(
            permanence, date, permanence.starts_at, permanence.ends_at, usual_date=date
        )
        if problems:
            raise PlanningError(problems)
    change.delete()


@transaction.atomic
def set_opening_hours(*, area=None, week, today=None):
    """Replace the weekly hours of `area` (None: the whole centre) with `week`, {weekday: (opens,
    closes) or None when closed}. Refused, with one reason per permanence, when a permanence still
    running would no longer fit; an area given no day at all follows the centre's hours again."""
    _lock_planning()
    if area is None and not any(week.values()):
        raise PlanningError(_("The centre opens at least one day a week: close it on given dates with a closure."))
    for weekday, hours in sorted(week.items()):
        if hours is not None and hours[1] <= hours[0]:
            raise PlanningError(
                _("%(day)s: the closing time must come after the opening time.") % {"day": Weekday(weekday).label}
            )
    OpeningHours.objects.filter(area=area).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(area=area, weekday=weekday, opens_at=hours[0], closes_at=hours[1])
        for weekday, hours in sorted(week.items())
        if hours is not None
    )
    # Checked with the new hours in place; a refusal rolls everything back.
    if problems := planning.permanences_outside_hours(area=area, today=today):
        raise PlanningError(problems)


@transaction.atomic
def add_closure(*, closure):
    """Close the centre (or one area) from `closure.starts_on` to `closure.ends_on`; the occurrences
    of permanences on those days are not held. Returns the closure and those occurrences."""
    _lock_planning()
    try:
        closure.full_clean()
    except ValidationError as error:
        raise PlanningError(error.messages) from None
    closure.save()
    stopped = planning.closure_occurrences(area=closure.area, starts_on=closure.starts_on, ends_on=closure.ends_on)
    return closure, stopped


@transaction.atomic
def remove_closure(*, closure):
    """Open again on the days of `closure`: the permanences of those days are held as usual."""
    _lock_planning()
    Closure.objects.filter(pk=closure.pk).delete()


# --- Workshops ----------------------------------------------------------------------------------------

WORKSHOP_FIELDS = [
    "kind",
    "title",
    "description",
    "area",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "is_public",
]
WORKSHOP_RELATIONS = ["occupations", "occupation_groups", "institutions", "facilitators"]


def _check_times(starts_at, ends_at):
    if starts_at and ends_at and ends_at <= starts_at:
        raise WorkshopError(_("A workshop ends after it starts."))


@transaction.atomic
def plan_workshop(*, data, by):
    """A new workshop from `data` (fields and relations, as counselling.forms.WorkshopForm cleans them)."""
    _check_times(data.get("starts_at"), data.get("ends_at"))
    workshop = Workshop(created_by=by, **{field: data[field] for field in WORKSHOP_FIELDS if field in data})
    workshop.save()
    for relation in WORKSHOP_RELATIONS:
        if relation in data:
            getattr(workshop, relation).set(data[relation])
    return workshop


@transaction.atomic
def update_workshop(*, workshop, data):
    """Change a workshop's description, times, place or partners; a cancelled one stays as it is."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop was cancelled; it can no longer be changed."))
    for field in WORKSHOP_FIELDS:
        if field in data:
            setattr(workshop, field, data[field])
    _check_times(workshop.starts_at, workshop.ends_at)
    workshop.save()
    for relation in WORKSHOP_RELATIONS:
        if relation in data:
            getattr(workshop, relation).set(data[relation])
    return workshop


@transaction.atomic
def cancel_workshop(*, workshop):
    """Call a workshop off: it leaves the public calendar and shows as cancelled to staff."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.attendance is not None:
        raise WorkshopError(_("People attended this workshop: it took place and cannot be cancelled."))
    if not workshop.is_cancelled:
        workshop.is_cancelled = True
        workshop.save(update_fields=["is_cancelled", "updated_at"])
    return workshop


def check_breakdown(*, attendance, breakdown):
    """The reasons a breakdown does not fit the attendance (none: fine).

    `breakdown` is {list: {code: count}}. The counts of one list add up to at most the attendance:
    some people may not be asked, nobody is counted twice in one list.
    """
    errors = []
    for profile_list, counts in breakdown.items():
        if any(count < 0 for count in counts.values()):
            errors.append(_("A count cannot be negative."))
        total = sum(counts.values())
        if total > attendance:
            errors.append(
                _("%(list)s: the counts add up to %(total)d, more than the %(attendance)d people who came.")
                % {"list": AttendanceCount.List(profile_list).label, "total": total, "attendance": attendance}
            )
    return errors


@transaction.atomic
def record_attendance(*, workshop, attendance, breakdown=None):
    """Record how many people came and, optionally, how they split by profile list ({list: {code: count}}).

    Replaces what was recorded before. Refused before the workshop starts, for a cancelled one, and
    when one list's counts add up to more than the attendance.
    """
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.is_cancelled:
        raise WorkshopError(_("This workshop was cancelled: there is no attendance to record."))
    if not workshop.has_started:
        raise WorkshopError(_("Attendance is recorded once the workshop has started."))
    if attendance is None or attendance < 0:
        raise WorkshopError(_("The attendance is a number of people, 0 or more."))
    breakdown = breakdown or {}
    unknown = [profile_list for profile_list in breakdown if profile_list not in AttendanceCount.List.values]
    if unknown:
        raise WorkshopError(_("Unknown profile list: %(list)s.") % {"list": ", ".join(unknown)})
    for profile_list, counts in breakdown.items():
        known = {code for code, _label in AttendanceCount.items(profile_list, codes=list(counts))}
        if set(counts) - known:
            raise WorkshopError(
                _("%(list)s has no item %(codes)s.")
                % {"list": AttendanceCount.List(profile_list).label, "codes": ", ".join(sorted(set(counts) - known))}
            )
    errors = check_breakdown(attendance=attendance, breakdown=breakdown)
    if errors:
        raise WorkshopError(" ".join(str(error) for error in errors))
    workshop.attendance = attendance
    workshop.save(update_fields=["attendance", "updated_at"])
    workshop.attendance_counts.all().delete()
    AttendanceCount.objects.bulk_create(
        [
            AttendanceCount(workshop=workshop, profile_list=profile_list, code=code, count=count)
            for profile_list, counts in breakdown.items()
            for code, count in counts.items()
            if count
        ]
    )
    return workshop
