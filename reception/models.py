"""The front of the centre: anonymous profile lists, desks, who is on duty, tickets and their events.

A visitor gives no identity. Everything about a visit hangs off its ticket: an anonymous profile
made of items from the lists below (each with a stable code, so figures compare across the
network), and a queue history kept as timed events.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cite.models import Area


class ProfileItem(models.Model):
    """One choice of an anonymous profile list, edited by the back office, with a stable code."""

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Stable code shared across the network; never change it.")
    )
    label_fr = models.CharField(_("label in French"), max_length=100)
    label_en = models.CharField(_("label in English"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.label_en if get_language() == "en" else self.label_fr


class AgeBand(ProfileItem):
    class Meta(ProfileItem.Meta):
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")


class Situation(ProfileItem):
    class Meta(ProfileItem.Meta):
        verbose_name = _("situation")
        verbose_name_plural = _("situations")


class Gender(ProfileItem):
    class Meta(ProfileItem.Meta):
        verbose_name = _("gender")
        verbose_name_plural = _("genders")


class ResidenceZone(ProfileItem):
    class Meta(ProfileItem.Meta):
        verbose_name = _("residence zone")
        verbose_name_plural = _("residence zones")


class HeardFrom(ProfileItem):
    class Meta(ProfileItem.Meta):
        verbose_name = _("how they heard of us")
        verbose_name_plural = _("how they heard of us")


class Desk(models.Model):
    """A place where counsellors receive visitors ("desk 3"), serving one or more areas."""

    name = models.CharField(
        _("name"), max_length=40, unique=True, help_text=_("What visitors read on the display: 3, B, Salle 2…")
    )
    areas = models.ManyToManyField(Area, verbose_name=_("areas served"), related_name="desks")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["order", "name"]

    def __str__(self):
        return _("Desk %(name)s") % {"name": self.name}


class Duty(models.Model):
    """A staff member receiving visitors at a desk, from when they open it to when they leave it.

    One person per desk and one desk per person (two constraints); only the holder of a desk moves
    the tickets called there (reception.services). A duty ends when its holder leaves, logs out, is
    idle longer than RECEPTION_DESK_IDLE_MINUTES, or another counsellor takes the desk over.
    """

    class EndReason(models.TextChoices):
        LEFT = "left", pgettext_lazy("duty end", "Left the desk")
        LOGGED_OUT = "logged_out", pgettext_lazy("duty end", "Logged out")
        IDLE = "idle", pgettext_lazy("duty end", "Closed after a time without activity")
        TAKEN_OVER = "taken_over", pgettext_lazy("duty end", "Taken over by another counsellor")
        MOVED = "moved", pgettext_lazy("duty end", "Opened another desk")
        NIGHT = "night", pgettext_lazy("duty end", "Closed at the end of the day")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duties", verbose_name=_("staff member")
    )
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="duties", verbose_name=_("desk"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(
        _("last seen at"), default=timezone.now, help_text=_("The holder's last action or page at the desk.")
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=12, choices=EndReason.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
        help_text=_("Who took the desk over, when someone did."),
    )

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_at__isnull=True),
                name="reception_duty_one_open_per_user",
                violation_error_message=_("This person is already on duty at another desk."),
            ),
            models.UniqueConstraint(
                fields=["desk"],
                condition=Q(ended_at__isnull=True),
                name="reception_duty_one_open_per_desk",
                violation_error_message=_("Someone is already on duty at this desk."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.desk}"


class TicketCounter(models.Model):
    """The last number given in an area on a day: incremented atomically by one upsert."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, verbose_name=_("area"))
    day = models.DateField(_("day"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="reception_counter_one_per_area_day")]

    def __str__(self):
        return f"{self.area.letter} {self.day}: {self.last_number}"


RETURN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B: read aloud and typed easily


def new_return_code():
    raw = "".join(secrets.choice(RETURN_CODE_ALPHABET) for _ in range(6))
    return f"{raw[:3]}-{raw[3:]}"


class ReturnCode(models.Model):
    """An optional anonymous code a visitor may quote on a later visit, linking their visits, never a name.

    Erasing it (on request) deletes this row: the visits stay, but nothing links them any more.
    """

    code = models.CharField(_("return code"), max_length=7, unique=True, default=new_return_code, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("return code")
        verbose_name_plural = _("return codes")
        permissions = [("erase_returncode", _("Can erase a return code on a visitor's request"))]

    def __str__(self):
        return self.code


def new_token():
    """192 random bits, URL-safe: the only key to a ticket's phone page."""
    return secrets.token_urlsafe(24)


class Ticket(models.Model):
    """One visitor's passage: an anonymous profile and their place in a queue. Never an identity."""

    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("ticket status", "Waiting")
        CALLED = "called", pgettext_lazy("ticket status", "Called")
        SERVING = "serving", pgettext_lazy("ticket status", "Being served")
        DONE = "done", pgettext_lazy("ticket status", "Done")
        NO_SHOW = "no_show", pgettext_lazy("ticket status", "No-show")
        CANCELLED = "cancelled", pgettext_lazy("ticket status", "Cancelled")

    ACTIVE = [Status.CALLED, Status.SERVING]

    day = models.DateField(_("day"), help_text=_("In the centre's time zone; numbers restart each day."))
    issued_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area at issue"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("ticket code"), max_length=8, help_text=_("Area letter and number of the day: B-042."))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("area"), help_text=_("Current queue.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    arrived_at = models.DateTimeField(_("arrived at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("session started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    desk = models.ForeignKey(
        Desk, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("desk")
    )
    call_count = models.PositiveSmallIntegerField(_("times called"), default=0)
    token = models.CharField(_("phone page key"), max_length=64, unique=True, default=new_token, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    # The anonymous profile: every item optional, none of them identifying.
    age_band = models.ForeignKey(AgeBand, models.PROTECT, null=True, blank=True, verbose_name=_("age band"))
    situation = models.ForeignKey(Situation, models.PROTECT, null=True, blank=True, verbose_name=_("situation"))
    gender = models.ForeignKey(Gender, models.PROTECT, null=True, blank=True, verbose_name=_("gender"))
    residence_zone = models.ForeignKey(
        ResidenceZone, models.PROTECT, null=True, blank=True, verbose_name=_("residence zone")
    )
    heard_from = models.ForeignKey(
        HeardFrom, models.PROTECT, null=True, blank=True, verbose_name=_("how they heard of us")
    )
    first_visit = models.BooleanField(_("first visit"), null=True, blank=True)
    walk_in = models.BooleanField(
        _("walk-in"), default=False, help_text=_("Met directly at a desk, without taking a ticket: no wait to count.")
    )
    return_code = models.ForeignKey(
        ReturnCode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("return code"),
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["arrived_at", "id"]
        permissions = [
            ("issue_ticket", _("Can issue tickets at the front desk")),
            ("view_queue", _("Can see the live queue")),
            ("supervise_queue", _("Can put a ticket called to another desk back in its queue")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_area", "day", "number"], name="reception_ticket_unique_number_per_area_day"
            ),
            models.UniqueConstraint(
                fields=["desk"],
                condition=Q(status__in=["called", "serving"]),
                name="reception_ticket_one_active_per_desk",
                violation_error_message=_("This desk already has a visitor called or being served."),
            ),
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(status="cancelled") | Q(desk__isnull=False),
                name="reception_ticket_called_has_desk",
                violation_error_message=_("A ticket that was called names the desk it was called to."),
            ),
        ]
        indexes = [
            models.Index(fields=["day", "status", "area", "arrived_at"], name="reception_ticket_queue_idx"),
            models.Index(fields=["area", "finished_at"], name="reception_ticket_service_idx"),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("phone:ticket", kwargs={"token": self.token})


class TicketEvent(models.Model):
    """A change of a ticket's state, with its time: waiting and service times are computed from these."""

    class Kind(models.TextChoices):
        ISSUED = "issued", pgettext_lazy("ticket event", "Issued")
        CALLED = "called", pgettext_lazy("ticket event", "Called")
        RECALLED = "recalled", pgettext_lazy("ticket event", "Recalled")
        STARTED = "started", pgettext_lazy("ticket event", "Session started")
        FINISHED = "finished", pgettext_lazy("ticket event", "Finished")
        NO_SHOW = "no_show", pgettext_lazy("ticket event", "No-show")
        TRANSFERRED = "transferred", pgettext_lazy("ticket event", "Transferred")
        REQUEUED = "requeued", pgettext_lazy("ticket event", "Put back in the queue")
        CANCELLED = "cancelled", pgettext_lazy("ticket event", "Cancelled")
        REINSTATED = "reinstated", pgettext_lazy("ticket event", "Cancellation undone")
        CLOSED = "closed", pgettext_lazy("ticket event", "Closed at the end of the day")

    class Reason(models.TextChoices):
        """Why reception cancelled a ticket: a short list, never free text (nothing about the visitor)."""

        LEFT = "left", pgettext_lazy("cancel reason", "The visitor left")
        MISTAKE = "mistake", pgettext_lazy("cancel reason", "Issued by mistake (wrong area, twice)")
        ELSEWHERE = "elsewhere", pgettext_lazy("cancel reason", "Served elsewhere (another service, a workshop)")
        OTHER = "other", pgettext_lazy("cancel reason", "Another reason")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket"))
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, blank=True)
    at = models.DateTimeField(_("at"))
    from_status = models.CharField(_("from status"), max_length=10, choices=Ticket.Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=10, choices=Ticket.Status.choices)
    from_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from area")
    )
    to_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to area")
    )
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("desk"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="reception_event_ticket_idx"),
            models.Index(fields=["kind", "at"], name="reception_event_kind_idx"),
        ]

    def __str__(self):
        return f"{self.ticket} · {self.get_kind_display()}"


class Feedback(models.Model):
    """A visitor's anonymous answer after the visit, from the ticket's phone page: nothing of who.

    One per ticket (a database constraint), given the ticket's day only, once it is finished
    (reception.services.give_feedback). The area is the one the visit ended in; the figures count
    answers by area and period, never by counsellor or desk.
    """

    class Found(models.TextChoices):
        YES = "yes", pgettext_lazy("found what they came for", "Yes")
        PARTLY = "partly", pgettext_lazy("found what they came for", "Partly")
        NO = "no", pgettext_lazy("found what they came for", "No")

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("ticket"), editable=False
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    day = models.DateField(_("day"))
    found = models.CharField(_("found what they came for"), max_length=6, choices=Found.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1 to 5)"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visitor feedback")
        verbose_name_plural = _("visitor feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="reception_feedback_rating_1_to_5",
                violation_error_message=_("The rating goes from 1 to 5."),
            ),
        ]
        indexes = [models.Index(fields=["day", "area"], name="reception_feedback_day_idx")]

    def __str__(self):
        return f"{self.ticket_id} {self.day}"


class QueueVersion(models.Model):
    """A number that changes, in the same transaction, with every move of a day's queue.

    The display, the phone page and the front desk's live queue answer `304 Not Modified` (or a body
    cached under this number) while it stays the same: one cheap query instead of reading the queue.
    Bumped by reception.versions.bump_queue_version(), which every move goes through.
    """

    day = models.DateField(_("day"), primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("queue version")
        verbose_name_plural = _("queue versions")

    def __str__(self):
        return f"{self.day}: {self.version}"


class ServiceTime(models.Model):
    """An area's service time for the estimated wait, kept up to date instead of computed per request.

    Refreshed when a session of the area ends and, for the days that leave the sample, at most every
    RECEPTION_SERVICE_REFRESH_SECONDS (reception.selectors.service_times).
    """

    area = models.OneToOneField(
        Area, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("area")
    )
    samples = models.PositiveIntegerField(_("sessions in the sample"), default=0)
    median_minutes = models.PositiveIntegerField(_("median session time (minutes)"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("service time")
        verbose_name_plural = _("service times")

    def __str__(self):
        return f"{self.area_id}: {self.median_minutes}"
