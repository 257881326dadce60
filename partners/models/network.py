"""The network of Cités: mentoring between centres and the network's events (the Winter School…)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cite.models import Centre
from partners.models.common import local_today


class MentoringLink(models.Model):
    """An experienced centre mentoring a new one while it gets its label."""

    mentor = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="mentoring_given", verbose_name=_("mentor centre")
    )
    mentee = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="mentoring_received", verbose_name=_("mentored centre")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("mentoring link")
        verbose_name_plural = _("mentoring links")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="partners_mentoring_not_self",
                violation_error_message=_("A centre cannot mentor itself."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_mentoring_ends_after_start",
                violation_error_message=_("Mentoring cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["mentor", "mentee", "start_date"],
                name="partners_mentoring_unique",
                violation_error_message=_("This mentoring link is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    def is_current(self, today=None):
        today = today or local_today()
        return self.start_date <= today and (self.end_date is None or today <= self.end_date)


class NetworkEvent(models.Model):
    """A gathering of the network, such as the annual Winter School, and who from here takes part."""

    class Kind(models.TextChoices):
        WINTER_SCHOOL = "winter-school", _("Winter School")
        SEMINAR = "seminar", _("Seminar")
        GENERAL_ASSEMBLY = "assembly", _("General assembly")
        VISIT = "visit", _("Study visit")
        OTHER = "other", pgettext_lazy("kind of event", "Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SEMINAR)
    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    host = models.ForeignKey(
        Centre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host centre"),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taking part from our centre"),
        related_name="network_events",
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("network event")
        verbose_name_plural = _("network events")
        ordering = ["-starts_on"]
        permissions = [("view_network", _("Can see the network page"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="partners_networkevent_ends_after_start",
                violation_error_message=_("The last day cannot come before the first."),
            ),
        ]

    def __str__(self):
        return self.name
