"""What happens at the desk: counsellors, sessions with the occupations explored, referrals, workshops.

No field here may hold a visitor's identity: a session hangs off an anonymous ticket, and every
free text is checked by cite.pii before it is saved.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cite.models import Area
from cite.pii import validate_no_personal_data
from reception.models import AgeBand, Gender, HeardFrom, ProfileItem, ResidenceZone, Situation


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
                violation_error_message=_("A session cannot end before it starts."),
            ),
        ]
        indexes = [
            # A counsellor's own sessions, and everyone's for managers, newest first (read backwards).
            models.Index(fields=["counsellor", "started_at"], name="counselling_session_mine_idx"),
            models.Index(fields=["started_at", "id"], name="counselling_session_newest_idx"),
        ]

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
                violation_error_message=_("A referral goes either to a partner institution or to an area."),
            ),
        ]

    def __str__(self):
        return str(self.institution or self.area)


# ---------------------------------------------------------------------------------------------------
# Planning: opening hours, closures, and the permanences partner institutions hold in the areas.
# Times are wall-clock times in the centre's time zone (CENTRE_TIME_ZONE): 9:00 stays 9:00 across a
# daylight-saving change. Occurrences are computed in Python (counselling.planning), never stored.


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """When the centre (no area) or one area is open on a weekday.

    The centre is closed on a weekday without a row. An area without rows of its own follows the
    centre; once it has some, it opens only on those weekdays and at those hours (within the centre's).
    """

    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opening_hours",
        verbose_name=_("area"),
        help_text=_("Leave empty for the hours of the whole centre."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = [F("area").asc(nulls_first=True), "weekday"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="counselling_openinghours_closes_after_opening",
                violation_error_message=_("The closing time must come after the opening time."),
            ),
            models.UniqueConstraint(
                fields=["weekday"],
                condition=Q(area__isnull=True),
                name="counselling_openinghours_one_per_centre_weekday",
                violation_error_message=_("The centre already has hours on this weekday."),
            ),
            models.UniqueConstraint(
                fields=["area", "weekday"],
                name="counselling_openinghours_one_per_area_weekday",
                violation_error_message=_("This area already has hours on this weekday."),
            ),
        ]

    def __str__(self):
        where = self.area.name if self.area_id else _("Centre")
        return f"{where} · {self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Closure(models.Model):
    """Days the centre (no area) or one area is closed: public holidays, exceptional closing."""

    class Kind(models.TextChoices):
        PUBLIC_HOLIDAY = "holiday", _("Public holiday")
        EXCEPTIONAL = "exceptional", _("Exceptional closing")

    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("area"),
        help_text=_("Leave empty when the whole centre is closed."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PUBLIC_HOLIDAY)
    reason_fr = models.CharField(_("reason in French"), max_length=100, help_text=_("Shown on the public page."))
    reason_en = models.CharField(_("reason in English"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="counselling_closure_ends_after_start",
                violation_error_message=_("The last day cannot come before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.reason} ({self.starts_on:%d/%m/%Y})"

    @property
    def reason(self):
        return (self.reason_en or self.reason_fr) if get_language() == "en" else self.reason_fr


class Permanence(models.Model):
    """An institution's recurring presence in an area: a weekday, hours, every week or every other
    week (counted from the week of `valid_from`), for a period; optionally at a desk, with a counsellor."""

    class Frequency(models.IntegerChoices):
        WEEKLY = 1, _("Every week")
        FORTNIGHTLY = 2, _("Every other week")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "partners.Institution", on_delete=models.PROTECT, related_name="permanences", verbose_name=_("institution")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="permanences", verbose_name=_("area"))
    desk = models.ForeignKey(
        "reception.Desk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permanences",
        verbose_name=_("desk"),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permanences",
        verbose_name=_("counsellor"),
        help_text=_("Never shown on the public page."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    frequency = models.PositiveSmallIntegerField(_("frequency"), choices=Frequency.choices, default=Frequency.WEEKLY)
    valid_from = models.DateField(_("valid from"), help_text=_("Every other week counts from the week of this date."))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Leave empty while it lasts."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("permanence")
        verbose_name_plural = _("permanences")
        ordering = ["weekday", "starts_at", "area"]
        permissions = [("view_hours_report", _("Can compare planned, committed and worked hours"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="counselling_permanence_ends_after_start",
                violation_error_message=_("A permanence must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="counselling_permanence_valid_period",
                violation_error_message=_("“Valid until” cannot come before “valid from”."),
            ),
        ]
        indexes = [models.Index(fields=["area", "weekday"], name="counselling_perm_area_day_idx")]

    def __str__(self):
        when = f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        return f"{self.institution} · {self.area} · {when}"


class PermanenceException(models.Model):
    """A one-off change to a permanence: one occurrence cancelled or moved, or an extra one added."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", pgettext_lazy("occurrence", "Cancelled")
        MOVED = "moved", pgettext_lazy("occurrence", "Moved")
        ADDED = "added", pgettext_lazy("occurrence", "Added")

    permanence = models.ForeignKey(
        Permanence, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("permanence")
    )
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    date = models.DateField(
        _("date"), help_text=_("The usual date of the occurrence cancelled or moved, or the date of the extra one.")
    )
    new_date = models.DateField(_("moved to"), null=True, blank=True)
    starts_at = models.TimeField(_("from"), null=True, blank=True, help_text=_("Empty: the permanence's usual hours."))
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("change to a permanence")
        verbose_name_plural = _("changes to permanences")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["permanence", "date"],
                name="counselling_permexception_one_per_date",
                violation_error_message=_("This occurrence has already been changed."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="moved") | Q(new_date__isnull=False),
                name="counselling_permexception_moved_has_date",
                violation_error_message=_("Say where the occurrence moves to."),
            ),
            models.CheckConstraint(
                condition=(Q(starts_at__isnull=True) & Q(ends_at__isnull=True)) | Q(ends_at__gt=F("starts_at")),
                name="counselling_permexception_ends_after_start",
                violation_error_message=_("A permanence must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.permanence} · {self.get_kind_display()} {self.date:%d/%m/%Y}"


class WorkshopQuerySet(models.QuerySet):
    def upcoming_first(self, *, now=None):
        """Workshops not over yet, soonest first, then the past ones, latest first."""
        now = now or timezone.now()
        return self.annotate(upcoming_start=models.Case(models.When(ends_at__gte=now, then=F("starts_at")))).order_by(
            F("upcoming_start").asc(nulls_last=True), "-starts_at", "pk"
        )

    def in_public_feed(self):
        return self.filter(is_public=True, is_cancelled=False)


class Workshop(models.Model):
    """A collective activity (workshop, information session, forum, job dating), run with partners.

    Attendance is a number, counted anonymously after the event, with an optional breakdown by the
    reception's profile lists (AttendanceCount): never a list of who came.
    """

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", pgettext_lazy("kind of collective activity", "Workshop")
        INFORMATION_SESSION = "information_session", _("Information session")
        FORUM = "forum", _("Forum")
        JOB_DATING = "job_dating", _("Job dating")

    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, max_length=4000, help_text=_("What participants will do and take away.")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("area (theme)"),
    )
    occupations = models.ManyToManyField(
        "resources.Occupation", blank=True, related_name="workshops", verbose_name=_("occupations concerned")
    )
    occupation_groups = models.ManyToManyField(
        "resources.IscoGroup", blank=True, related_name="workshops", verbose_name=_("occupation groups concerned")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, help_text=_("A room of the centre, or an address outside."))
    institutions = models.ManyToManyField(
        "partners.Institution",
        blank=True,
        related_name="workshops",
        verbose_name=_("facilitating institutions"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="workshops_facilitated",
        verbose_name=_("facilitators"),
        help_text=_("Staff members who lead it (never shown in the public calendar)."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places available; leave empty when there is no limit.")
    )
    attendance = models.PositiveIntegerField(
        pgettext_lazy("workshop", "attendance"),
        null=True,
        blank=True,
        help_text=_("How many people came, counted after the event; empty until it is recorded."),
    )
    is_public = models.BooleanField(
        _("in the public calendar"), default=True, help_text=_("Listed in the calendar feed anyone may subscribe to.")
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="counselling_workshop_ends_after_start",
                violation_error_message=_("A workshop ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(attendance__isnull=True) | Q(attendance__gte=0),
                name="counselling_workshop_attendance_not_negative",
                violation_error_message=_("The number of people who came cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="counselling_workshop_capacity_positive",
                violation_error_message=_("A workshop has room for at least one person."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="counselling_workshop_start_idx")]

    def __str__(self):
        return f"{self.title} — {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("counselling:workshop", kwargs={"pk": self.pk})

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def is_over(self):
        return self.ends_at < timezone.now()

    @property
    def attendance_missing(self):
        """Over, not cancelled, and nobody has counted who came yet."""
        return self.is_over and not self.is_cancelled and self.attendance is None


class AttendanceCount(models.Model):
    """One line of a workshop's attendance breakdown: how many people of one item of a profile list.

    Items are named by their stable code (the lists' codes are shared across the network and never
    change), so figures compare with the visits' profiles. The counts of one list add up to at most
    the workshop's attendance (not everyone is asked); counselling.services.record_attendance
    keeps that rule, under the workshop's row lock.
    """

    class List(models.TextChoices):
        AGE_BAND = "age_band", _("Age band")
        SITUATION = "situation", _("Situation")
        GENDER = "gender", _("Gender")
        RESIDENCE_ZONE = "residence_zone", _("Residence zone")
        HEARD_FROM = "heard_from", _("How they heard of us")
        FIRST_VISIT = "first_visit", _("First visit")

    # The reception list behind each kind; the first-visit question is a yes/no with two fixed codes.
    LIST_MODELS = {
        List.AGE_BAND: AgeBand,
        List.SITUATION: Situation,
        List.GENDER: Gender,
        List.RESIDENCE_ZONE: ResidenceZone,
        List.HEARD_FROM: HeardFrom,
    }
    FIRST_VISIT_ITEMS = [("first", _("First visit")), ("returning", _("Has come before"))]

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="attendance_counts", verbose_name=_("workshop")
    )
    profile_list = models.CharField(_("profile list"), max_length=20, choices=List.choices)
    code = models.SlugField(_("item code"), max_length=40, help_text=_("The stable code of the list's item."))
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("attendance count")
        verbose_name_plural = _("attendance counts")
        ordering = ["workshop", "profile_list", "-count", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "profile_list", "code"], name="counselling_attendance_one_per_item"
            ),
            models.CheckConstraint(
                condition=Q(count__gt=0),
                name="counselling_attendance_count_positive",
                violation_error_message=_("A count of attendance is at least one."),
            ),
        ]

    def __str__(self):
        return f"{self.get_profile_list_display()} {self.code}: {self.count}"

    @classmethod
    def items(cls, list_kind, *, codes=()):
        """[(code, label)] of a list: its active items, and the inactive ones in `codes` (already counted)."""
        if list_kind == cls.List.FIRST_VISIT:
            return [(code, str(label)) for code, label in cls.FIRST_VISIT_ITEMS]
        model = cls.LIST_MODELS[list_kind]
        return [(item.code, item.label) for item in model.objects.filter(Q(is_active=True) | Q(code__in=codes))]
