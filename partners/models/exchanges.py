"""Exchanges with partners: the meetings, calls, emails and visits the centre has with an institution."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cite.pii import validate_no_personal_data
from partners.models.common import local_today
from partners.models.institutions import Contact, Institution


class Exchange(models.Model):
    """One exchange with a partner institution: when, how, who took part, a short note, what follows."""

    class Kind(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("kind of exchange", "Meeting")
        CALL = "call", pgettext_lazy("kind of exchange", "Phone call")
        EMAIL = "email", pgettext_lazy("kind of exchange", "Email")
        VISIT = "visit", pgettext_lazy("kind of exchange", "Visit")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="exchanges", verbose_name=_("institution")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CALL)
    date = models.DateField(_("date"), default=local_today)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="partner_exchanges",
        verbose_name=_("from the centre"),
        help_text=_("Who from the centre took part."),
    )
    contacts = models.ManyToManyField(
        Contact,
        related_name="exchanges",
        verbose_name=_("contacts"),
        blank=True,
        help_text=_("Who from the institution took part."),
    )
    # Notes about partners, not visitors, still go through the personal-data guard: anything said
    # about a visitor in a call must never land here.
    note = models.TextField(
        _("note"),
        max_length=2000,
        validators=[validate_no_personal_data],
        help_text=_("What was said or agreed, in a few lines. No personal data about visitors."),
    )
    follow_up = models.CharField(
        _("follow-up"),
        max_length=300,
        blank=True,
        validators=[validate_no_personal_data],
        help_text=_("What happens next, if anything."),
    )
    follow_up_due = models.DateField(_("follow-up by"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange with a partner")
        verbose_name_plural = _("exchanges with partners")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["institution", "-date"], name="partners_exchange_inst_date")]

    def __str__(self):
        return f"{self.institution} · {self.get_kind_display()} · {self.date:%d/%m/%Y}"
