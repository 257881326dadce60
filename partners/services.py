"""Every change of state in partners: institutions and contacts, agreements through their stages and
renewals, exchanges with partners, secondments, meetings (attendance, minutes), actions, objectives
and calendar subscriptions. Views, the admin, commands and tests all call these.
"""

import datetime
import hashlib
import logging
import secrets
from contextlib import contextmanager
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cite.errors import DomainError
from partners.models import (
    Action,
    Agreement,
    Attendance,
    CalendarToken,
    Contact,
    Exchange,
    Institution,
    Meeting,
    Objective,
    Secondment,
    WorkingGroup,
    local_today,
)
from partners.validators import check_pdf

logger = logging.getLogger(__name__)


class PartnersError(DomainError):
    """A change the rules of the centre do not allow; `message` is translated, for the user."""


class AgreementStageError(PartnersError):
    pass


class SecondmentError(PartnersError):
    pass


class ActionError(PartnersError):
    pass


class ObjectiveError(PartnersError):
    pass


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


@contextmanager
def _file_kept_only_if_saved(field_file, content, *, replaced):
    """Write `content` (if any) as `field_file`'s new file around the row's save: if the save fails,
    a new file written for it (here, or by the save itself for an upload the admin's form assigned)
    is deleted again; once the transaction commits, the file it replaced or cleared is deleted (not
    before, so a rollback keeps the copy the row still names). `replaced`: the stored name."""
    if content is not None:
        field_file.save("signed.pdf", content, save=False)
    try:
        yield
    except BaseException:
        # `_committed`: the file is in the storage (an upload assigned but not yet written is not).
        if field_file.name and field_file.name != replaced and field_file._committed:
            _delete_file(field_file.storage, field_file.name)
        raise
    if replaced and replaced != field_file.name:
        transaction.on_commit(partial(_delete_file, field_file.storage, replaced))


def delete_file_on_commit(field_file):
    """Delete `field_file`'s stored file once the current transaction commits (at once outside one):
    for a row deleted, whose file nothing names any more (partners.receivers)."""
    if field_file and field_file.name:
        transaction.on_commit(partial(_delete_file, field_file.storage, field_file.name))


def _delete_file(storage, name):
    try:
        storage.delete(name)
    except OSError:
        # The row no longer names it; a file left on the disk is harmless, a failed request is not.
        logger.exception("Could not delete %s from the private storage", name)


# --- Agreements: draft → signed → expired --------------------------------------------------------------


@transaction.atomic
def sign_agreement(*, agreement, signature_date, document=None, today=None):
    """Mark a draft agreement as signed, on `signature_date`, with its signed copy (a PDF).

    `document` may be left out when the draft already carries the signed copy.
    """
    today = today or local_today()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.stage == Agreement.Stage.SIGNED:
        raise AgreementStageError(_("This agreement is already signed."))
    if agreement.stage == Agreement.Stage.EXPIRED:
        raise AgreementStageError(_("This agreement has expired: prepare a new one rather than signing it again."))
    if signature_date is None:
        raise AgreementStageError(_("Give the date the agreement was signed."))
    if signature_date > today:
        raise AgreementStageError(_("The signature date cannot be in the future."))
    if agreement.end_date < today:
        raise AgreementStageError(
            _("This agreement ended on %(date)s: it can no longer be signed.") % {"date": _date(agreement.end_date)}
        )
    if document is None and not agreement.document:
        raise AgreementStageError(_("Attach the signed copy (a PDF) to mark the agreement as signed."))
    if document is not None:
        try:
            check_pdf(document)
        except ValidationError as error:
            raise AgreementStageError(error.messages[0]) from None
    replaced = agreement.document.name
    agreement.signature_date = signature_date
    agreement.stage = Agreement.Stage.SIGNED
    # The file is written last, once every rule has passed, and the row saved with it.
    with _file_kept_only_if_saved(agreement.document, document, replaced=replaced):
        agreement.save(update_fields=["signature_date", "stage", "document", "updated_at"])
    return agreement


@transaction.atomic
def expire_agreement(*, agreement, today=None):
    """Move one signed agreement whose end date has passed to *expired*."""
    today = today or local_today()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.stage != Agreement.Stage.SIGNED:
        raise AgreementStageError(_("Only a signed agreement can expire."))
    if agreement.end_date >= today:
        raise AgreementStageError(
            _("This agreement runs until %(date)s: it cannot expire before then.") % {"date": _date(agreement.end_date)}
        )
    agreement.stage = Agreement.Stage.EXPIRED
    agreement.save(update_fields=["stage", "updated_at"])
    return agreement


@transaction.atomic
def expire_agreements(*, today=None):
    """Expire every signed agreement whose end date has passed; the number expired (for cron)."""
    # skip_locked: an agreement being signed or edited right now is left for the next run.
    due = Agreement.objects.past_their_end(today).select_for_update(skip_locked=True)
    expired = 0
    for agreement in due:
        # Saved one by one, not with a queryset update: the audit trail (django-auditlog, on save)
        # records each expiry, as it records the agreement's other moves. A few a night at most.
        agreement.stage = Agreement.Stage.EXPIRED
        agreement.save(update_fields=["stage", "updated_at"])
        expired += 1
    return expired


# --- Secondments --------------------------------------------------------------------------------------


@transaction.atomic
def second_counsellor(*, user, institution, start_date=None, end_date=None):
    """Record that `institution` seconds `user` to the centre from `start_date` to `end_date`."""
    # One secondment at a time per person: lock the person so two recordings cannot both pass the check.
    get_user_model().objects.select_for_update().get(pk=user.pk)
    secondment = Secondment(user=user, institution=institution, start_date=start_date, end_date=end_date)
    try:
        secondment.full_clean()
    except ValidationError as error:
        raise SecondmentError(" ".join(error.messages)) from None
    secondment.save()
    return secondment


@transaction.atomic
def end_secondment(*, secondment, end_date):
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    if secondment.start_date and end_date < secondment.start_date:
        raise SecondmentError(_("A secondment cannot end before it starts."))
    secondment.end_date = end_date
    secondment.save(update_fields=["end_date"])
    return secondment


# --- Actions ------------------------------------------------------------------------------------------


@transaction.atomic
def assign_action(*, group, description, owner, due_date=None, meeting=None, by=None):
    """Give `owner` an action of `group`, possibly decided at `meeting`; `by`, when given, must run
    the group's meetings."""
    if by is not None:
        _run_by(group, by)
    if meeting is not None and meeting.group_id != group.pk:
        raise ActionError(_("This meeting belongs to another working group."))
    if not owner.is_active:
        raise ActionError(_("%(name)s no longer works here: give the action to someone else.") % {"name": owner})
    return Action.objects.create(group=group, meeting=meeting, description=description, owner=owner, due_date=due_date)


@transaction.atomic
def set_action_status(*, action, status, by):
    """Change the status of an action: its owner may, and whoever manages working groups."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.owner_id != by.pk and not by.has_perm("partners.change_action"):
        raise ActionError(_("Only the owner of an action, or the back office, can change its status."))
    if status not in Action.Status.values:
        raise ActionError(_("Choose one of the statuses offered."))
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return action


# --- Objectives ---------------------------------------------------------------------------------------


@transaction.atomic
def record_progress(*, objective, progress):
    """Set how far an objective has come, in its own unit."""
    if progress is None or progress < 0:
        raise ObjectiveError(_("Progress is a number, zero or more."))
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    objective.progress = progress
    objective.save(update_fields=["progress", "updated_at"])
    return objective


# --- Calendar subscriptions ---------------------------------------------------------------------------


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_calendar_token(*, user):
    """A new secret for `user`'s calendar feed (256 random bits); any previous one stops working.

    Only its digest is kept: the caller shows the token once, in the feed's URL.
    """
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(
        user=user, defaults={"digest": token_digest(token), "created_at": timezone.now()}
    )
    return token


@transaction.atomic
def revoke_calendar_token(*, user):
    """Cut off every calendar app subscribed to `user`'s feed."""
    return CalendarToken.objects.filter(user=user).delete()[0] > 0


# --- Institutions and contacts ------------------------------------------------------------------------


class InstitutionError(PartnersError):
    pass


class ExchangeError(PartnersError):
    pass


class MeetingError(PartnersError):
    pass


def _check(instance, error_class, *, exclude=None):
    """Model validation (fields, constraints, phone numbers) as one domain error with every message."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise error_class(error.messages) from None


@transaction.atomic
def save_institution(*, institution, areas=None):
    """Create or change an institution (its logo already redrawn by the form); `areas` replaces the
    areas it staffs when given. The name is unique whatever its case."""
    if institution.pk:
        Institution.objects.select_for_update().get(pk=institution.pk)
    _check(institution, InstitutionError)
    institution.save()
    if areas is not None:
        institution.areas.set(areas)
    return institution


@transaction.atomic
def archive_institution(*, institution, active=False):
    """A former partner keeps its history (agreements, referrals, exchanges): it is archived, never deleted."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    institution.is_active = active
    institution.save(update_fields=["is_active", "updated_at"])
    return institution


@transaction.atomic
def save_contact(*, contact):
    if contact.pk:
        Contact.objects.select_for_update().get(pk=contact.pk)
    _check(contact, InstitutionError)
    contact.save()
    return contact


@transaction.atomic
def archive_contact(*, contact, active=False):
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.is_active = active
    contact.save(update_fields=["is_active"])
    return contact


# --- Agreements: drafts and renewals ------------------------------------------------------------------


@transaction.atomic
def save_draft_agreement(*, agreement, document=None):
    """Create or change a draft agreement, optionally with the signed copy to come (a PDF). Signed and
    expired agreements are records of what was signed: they are not edited, they are renewed."""
    replaced = ""
    if agreement.pk:
        stage, replaced = Agreement.objects.select_for_update().values_list("stage", "document").get(pk=agreement.pk)
        if stage != Agreement.Stage.DRAFT:
            raise AgreementStageError(_("Only a draft can be changed: renew a signed agreement instead."))
    agreement.stage = Agreement.Stage.DRAFT
    _check(agreement, AgreementStageError, exclude=["document"])
    if document is not None:
        try:
            check_pdf(document)
        except ValidationError as error:
            raise AgreementStageError(error.messages[0]) from None
    with _file_kept_only_if_saved(agreement.document, document, replaced=replaced):
        agreement.save()
    return agreement


@transaction.atomic
def save_agreement(*, agreement):
    """Save an agreement as the back office changed it in the administration, at any stage (a date,
    the terms, the signed copy): the copy it replaced or cleared is deleted once committed, as on the
    partners pages (`save_draft_agreement`, `sign_agreement`)."""
    replaced = ""
    if agreement.pk:
        replaced = Agreement.objects.select_for_update().values_list("document", flat=True).get(pk=agreement.pk)
    with _file_kept_only_if_saved(agreement.document, None, replaced=replaced):
        agreement.save()
    return agreement


@transaction.atomic
def renew_agreement(*, agreement, today=None):
    """A new draft taking over from `agreement`: same institution, type, title and committed hours, for
    a period of the same length starting the day after it ends. One renewal per agreement."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.stage == Agreement.Stage.DRAFT:
        raise AgreementStageError(_("A draft cannot be renewed: sign it first, or change it."))
    if Agreement.objects.filter(renews=agreement).exists():
        raise AgreementStageError(_("This agreement has already been renewed: open its renewal."))
    length = agreement.end_date - agreement.start_date
    start = agreement.end_date + datetime.timedelta(days=1)
    return Agreement.objects.create(
        institution=agreement.institution,
        kind=agreement.kind,
        title=agreement.title,
        start_date=start,
        end_date=start + length,
        committed_hours=agreement.committed_hours,
        notes=agreement.notes,
        renews=agreement,
    )


# --- Exchanges with partners --------------------------------------------------------------------------


@transaction.atomic
def log_exchange(*, institution, kind, date, note, staff, by, contacts=(), follow_up="", follow_up_due=None):
    """Record an exchange with `institution`; the note and the follow-up go through the personal-data
    guard, and the contacts must work there."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    contacts = list(contacts)
    if any(contact.institution_id != institution.pk for contact in contacts):
        raise ExchangeError(_("Choose contacts of this institution only."))
    staff = list(staff) or [by]
    exchange = Exchange(
        institution=institution,
        kind=kind,
        date=date,
        note=note,
        follow_up=follow_up,
        follow_up_due=follow_up_due,
        recorded_by=by,
    )
    _check(exchange, ExchangeError)
    exchange.save()
    exchange.staff.set(staff)
    exchange.contacts.set(contacts)
    return exchange


# --- Meetings: planned, attended, minuted, published --------------------------------------------------


def may_run_meetings(user, group):
    """The back office runs every group's meetings; a group's lead runs their own group's."""
    return user.has_perm("partners.change_meeting") or (group.lead_id is not None and group.lead_id == user.pk)


def _run_by(group, by):
    if not may_run_meetings(by, group):
        raise MeetingError(_("Only the lead of this working group, or the back office, can change its meetings."))


@transaction.atomic
def plan_meeting(*, group, starts_at, ends_at, place, agenda="", by):
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    _run_by(group, by)
    meeting = Meeting(group=group, starts_at=starts_at, ends_at=ends_at, place=place, agenda=agenda)
    _check(meeting, MeetingError, exclude=["uid"])
    meeting.save()
    return meeting


MEETING_TEXT = ("starts_at", "ends_at", "place", "agenda", "minutes", "decisions")


@transaction.atomic
def save_meeting(*, meeting, by, **fields):
    """Save what is typed on the meeting's page (any of MEETING_TEXT): called as one types, so the
    minutes are never lost; published minutes stay published and show the change."""
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    _run_by(meeting.group, by)
    unknown = set(fields) - set(MEETING_TEXT)
    if unknown:
        raise MeetingError(_("These fields cannot be changed here."))
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check(meeting, MeetingError, exclude=["uid"])
    meeting.save(update_fields=[*fields, "updated_at"])
    return meeting


@transaction.atomic
def record_attendance(*, meeting, by, members=None, contacts=(), guests=()):
    """Replace the attendance of `meeting`: `members` is {user: "present" | "excused"}, `contacts`
    are partner contacts who came as guests (of the group's institutions or any partner), `guests`
    names typed by hand."""
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    _run_by(meeting.group, by)
    statuses = {Attendance.Status.PRESENT, Attendance.Status.EXCUSED}
    if any(status not in statuses for status in (members or {}).values()):
        raise MeetingError(_("Choose present or excused for each member."))
    meeting.attendances.all().delete()
    rows = [Attendance(meeting=meeting, user=user, status=status) for user, status in (members or {}).items()]
    rows += [Attendance(meeting=meeting, contact=contact, status=Attendance.Status.GUEST) for contact in contacts]
    names = {" ".join(name.split()) for name in guests if name.strip()}
    rows += [Attendance(meeting=meeting, guest_name=name[:200], status=Attendance.Status.GUEST) for name in names]
    Attendance.objects.bulk_create(rows)
    return meeting


@transaction.atomic
def publish_minutes(*, meeting, by, now=None):
    """The members see the minutes from now on (and the printable copy)."""
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    _run_by(meeting.group, by)
    if not meeting.minutes.strip():
        raise MeetingError(_("Write the minutes before publishing them."))
    if meeting.published_at is None:
        meeting.published_at = now or timezone.now()
        meeting.save(update_fields=["published_at", "updated_at"])
    return meeting


@transaction.atomic
def unpublish_minutes(*, meeting, by):
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    _run_by(meeting.group, by)
    meeting.published_at = None
    meeting.save(update_fields=["published_at", "updated_at"])
    return meeting
