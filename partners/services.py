"""Every change of state in partners: agreements through their stages, secondments, actions,
objectives and calendar subscriptions. Views, the admin, commands and tests all call these.
"""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cite.errors import DomainError
from partners.models import (
    Action,
    Agreement,
    CalendarToken,
    Objective,
    Secondment,
    local_today,
)
from partners.validators import check_pdf


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
        # Written last, once every rule has passed: a refused signature leaves no file behind.
        agreement.document.save("signed.pdf", document, save=False)
    agreement.signature_date = signature_date
    agreement.stage = Agreement.Stage.SIGNED
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
    due = list(Agreement.objects.past_their_end(today).select_for_update(skip_locked=True).values_list("pk", flat=True))
    return Agreement.objects.filter(pk__in=due).update(stage=Agreement.Stage.EXPIRED, updated_at=timezone.now())


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
def assign_action(*, group, description, owner, due_date=None, meeting=None):
    """Give `owner` an action of `group`, possibly decided at `meeting`."""
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
