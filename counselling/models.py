"""What happens at the desk: counsellors, sessions with the occupations explored, referrals, workshops.

No field here may hold a visitor's identity: a session hangs off an anonymous ticket, and every
free text is checked by cite.pii before it is saved.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cite.models import Area
from cite.pii import validate_no_personal_data
from reception.models import ProfileItem


class Topic(ProfileItem):
    """A subject discussed in sessions (CV, training funding, apprenticeship…), with a stable code."""

    class Meta(ProfileItem.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class CounsellorProfile(models.Model):
    """A staff member who receives visitors: the areas they serve. Their institution is their secondment."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="counsellor_profile",
        verbose_name=_("staff member"),
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="counsellors", verbose_name=_("areas served"))
    usual_desk = models.ForeignKey(
        "reception.Desk", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("usual desk")
    )

    class Meta:
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")

    def __str__(self):
        return str(self.user)


class Session(models.Model):
    """One visitor's time at a desk (entretien): what was discussed, explored, handed and advised."""

    class Outcome(models.TextChoices):
        YES = "yes", pgettext_lazy("question answered", "Yes")
        PARTLY = "partly", pgettext_lazy("question answered", "Partly")
        NO = "no", pgettext_lazy("question answered", "No")

    ticket = models.ForeignKey(
        "reception.Ticket", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("ticket")
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("counsellor")
    )
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("institution"),
        help_text=_("The counsellor's institution at the time of the session."),
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("area"))
    desk = models.ForeignKey("reception.Desk", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("desk"))
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, verbose_name=_("topics discussed"))
    occupations = models.ManyToManyField(
        "resources.Occupation", blank=True, related_name="sessions", verbose_name=_("occupations explored")
    )
    occupation_groups = models.ManyToManyField(
        "resources.IscoGroup", blank=True, related_name="sessions", verbose_name=_("occupation groups explored")
    )
    documents = models.ManyToManyField(
        "resources.Record", blank=True, related_name="sessions", verbose_name=_("documents handed")
    )
    information_given = models.TextField(
        _("information given"), blank=True, max_length=2000, validators=[validate_no_personal_data]
    )
    outcome = models.CharField(_("question answered"), max_length=6, choices=Outcome.choices, blank=True)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=2000, validators=[validate_no_personal_data])
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=1000,
        validators=[validate_no_personal_data],
        help_text=_("Private to you (unless the centre shares notes), and emptied after a while."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-started_at"]
        permissions = [("view_all_sessions", _("Can see every counsellor's sessions"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="counselling_session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["counsellor", "started_at"], name="counselling_session_mine_idx")]

    def __str__(self):
        return f"{self.ticket} · {self.counsellor}"

    def get_absolute_url(self):
        return reverse("counselling:session", kwargs={"pk": self.pk})

    @property
    def duration(self):
        return self.ended_at - self.started_at if self.ended_at else None


class Referral(models.Model):
    """Where the visitor was sent next: a partner institution, or another area of the centre."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("session"))
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("institution"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals", verbose_name=_("area")
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False, area__isnull=True)
                | Q(institution__isnull=True, area__isnull=False),
                name="counselling_referral_to_one_place",
            ),
        ]

    def __str__(self):
        return str(self.institution or self.area)
