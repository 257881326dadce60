"""What an institution commits to the centre: agreements (conventions) and the counsellors it seconds."""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models.common import local_today, private_storage, random_name
from partners.models.institutions import Institution

# An agreement whose end date comes within this many days is flagged for renewal.
ENDING_SOON_DAYS = 60


def agreement_document_path(instance, filename):
    return random_name("agreements", "pdf")


class DateRange(models.Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class AgreementQuerySet(models.QuerySet):
    def ending_soon(self, today=None):
        """Signed agreements whose end date falls within the next ENDING_SOON_DAYS days."""
        today = today or local_today()
        return self.filter(
            stage=Agreement.Stage.SIGNED,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        )

    def with_renewal_due(self, today=None):
        """Annotate `renewal_due`: signed (or expired) and ended or ending within ENDING_SOON_DAYS days,
        with no signed successor — neither its renewal nor a later agreement of the same type with the
        same institution (signed, or since expired) that runs past its end."""
        today = today or local_today()
        signed = [Agreement.Stage.SIGNED, Agreement.Stage.EXPIRED]
        successor = Agreement.objects.filter(stage__in=signed).filter(
            Q(renews=OuterRef("pk"))
            | Q(
                institution=OuterRef("institution"),
                kind=OuterRef("kind"),
                start_date__gt=OuterRef("start_date"),
                end_date__gt=OuterRef("end_date"),
            )
        )
        return self.annotate(
            renewal_due=models.Case(
                models.When(
                    Q(stage__in=signed, end_date__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS))
                    & ~Exists(successor),
                    then=True,
                ),
                default=False,
                output_field=models.BooleanField(),
            )
        )

    def renewal_due(self, today=None):
        return self.with_renewal_due(today).filter(renewal_due=True)

    def past_their_end(self, today=None):
        """Signed agreements whose end date has passed: `expire_agreements` moves them on."""
        return self.filter(stage=Agreement.Stage.SIGNED, end_date__lt=today or local_today())


class Agreement(models.Model):
    """An agreement (convention) between the centre and an institution: draft → signed → expired."""

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("Framework agreement")
        SECONDMENT = "secondment", _("Secondment agreement")
        PARTNERSHIP = "partnership", _("Partnership agreement")
        FUNDING = "funding", _("Funding agreement")
        OTHER = "other", pgettext_lazy("kind of agreement", "Other")

    class Stage(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement stage", "Draft")
        SIGNED = "signed", pgettext_lazy("agreement stage", "Signed")
        EXPIRED = "expired", pgettext_lazy("agreement stage", "Expired")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("institution")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PARTNERSHIP)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    signature_date = models.DateField(_("signature date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT, editable=False)
    document = models.FileField(
        _("signed document"),
        upload_to=agreement_document_path,
        storage=private_storage,
        blank=True,
        help_text=_("The signed copy, as a PDF."),
    )
    committed_hours = models.DecimalField(
        _("committed counsellor hours per week"),
        max_digits=5,
        decimal_places=1,
        default=0,
        help_text=_("Hours of counselling per week the institution commits to staff."),
    )
    notes = models.TextField(_("notes"), blank=True)
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
        help_text=_("The agreement this one takes over from."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-end_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="partners_agreement_ends_after_start",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(committed_hours__gte=0),
                name="partners_agreement_hours_not_negative",
                violation_error_message=_("Committed hours cannot be negative."),
            ),
            # Signed and expired agreements have been signed: a date and the signed copy.
            models.CheckConstraint(
                condition=Q(stage="draft") | (Q(signature_date__isnull=False) & ~Q(document="")),
                name="partners_agreement_signed_has_date_and_document",
                violation_error_message=_("A signed agreement has a signature date and its signed copy."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.institution.get_absolute_url()}#agreement-{self.pk}"

    def is_ending_soon(self, today=None):
        today = today or local_today()
        return self.stage == self.Stage.SIGNED and today <= self.end_date <= today + datetime.timedelta(
            days=ENDING_SOON_DAYS
        )

    def days_left(self, today=None):
        return (self.end_date - (today or local_today())).days


class Secondment(models.Model):
    """A counsellor (a staff account) seconded to the centre by an institution, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="secondments",
        verbose_name=_("counsellor"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="secondments", verbose_name=_("institution")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave empty while it lasts."))

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["user__last_name", "user__first_name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_secondment_ends_after_start",
                violation_error_message=_("A secondment cannot end before it starts."),
            ),
            # One institution at a time: the periods of one person's secondments never overlap
            # (an empty date is an open end).
            ExclusionConstraint(
                name="partners_secondment_no_overlap",
                expressions=[
                    ("user", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", RangeBoundary(True, True)), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This person is already seconded by an institution during these dates."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.institution}"

    def is_current(self, today=None):
        today = today or local_today()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or today <= self.end_date
        )
