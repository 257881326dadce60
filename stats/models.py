"""Rollup tables of the statistics: each closed day's visits, already counted, so a year reads fast.

They hold counts only, never a ticket: one row per day and breakdown value, and one row per day
and whole minute of waiting or session time. `stats.services.roll_up` fills them from
reception's tickets (nightly, `manage.py roll_up_statistics`); days not rolled up yet (today,
or every day when the command never ran) are counted from the tickets themselves, by the same SQL.
The duration histograms are also summed by month, so that long periods read few rows.

Every row belongs to a scope (`Scoped`): the whole centre (both scope columns NULL), the visits that
ended in an area, those in which a partner institution's counsellor held a session, or both; so a
page narrowed by the dashboard's filters reads rolled-up rows too, never a year of tickets.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cite.models import Area
from cite.pii import validate_no_personal_data
from reception.models import AgeBand, Gender, HeardFrom, ResidenceZone, Situation

REPORT_COMMENT_MAX_LENGTH = 2000
MONTH_IS_ITS_FIRST_DAY = _("A month is stored as its first day.")
# The annual report's sections that take a commentary (stats/report.py lays them out).
REPORT_SECTIONS = ("summary", "visitors", "queue", "desk", "workshops")


class Scoped(models.Model):
    """The visits a rollup row counts: NULL and NULL for the whole centre; an area for the visits that
    ended there; an institution for the visits in which one of its counsellors held a session (a visit
    seen by two institutions counts in both); both for the visits that are in each (stats.figures.Scope).
    Never a counsellor. The rows of a scope go when its area or institution goes: they are only counts."""

    scope_area = models.ForeignKey(
        Area, models.CASCADE, null=True, db_index=False, related_name="+", verbose_name=_("filtered on area")
    )
    scope_institution = models.ForeignKey(
        "partners.Institution",
        models.CASCADE,
        null=True,
        db_index=False,
        related_name="+",
        verbose_name=_("filtered on partner institution"),
    )

    class Meta:
        abstract = True


# The rows of the whole centre, as a filter of the rollup tables' querysets.
WHOLE_CENTRE = {"scope_area": None, "scope_institution": None}


class Breakdown(models.TextChoices):
    ALL = "all", _("all visits")
    AREA = "area", _("area")
    AGE_BAND = "age_band", _("age band")
    SITUATION = "situation", _("situation")
    GENDER = "gender", _("gender")
    RESIDENCE_ZONE = "residence_zone", _("residence zone")
    HEARD_FROM = "heard_from", _("how they heard of us")
    FIRST_VISIT = "first_visit", _("first visit or return")
    HOUR = "hour", _("hour of arrival")
    WEEKDAY_HOUR = "weekday_hour", _("weekday and hour of arrival")


# The anonymous profile lists a breakdown of visits reads: (breakdown, model, key, title).
PROFILE_LISTS = [
    (Breakdown.AGE_BAND, AgeBand, "age-bands", gettext_lazy("Age bands")),
    (Breakdown.SITUATION, Situation, "situations", gettext_lazy("Situations")),
    (Breakdown.GENDER, Gender, "genders", gettext_lazy("Genders")),
    (Breakdown.RESIDENCE_ZONE, ResidenceZone, "residence-zones", gettext_lazy("Residence zones")),
    (Breakdown.HEARD_FROM, HeardFrom, "heard-from", gettext_lazy("How they heard of the Cité")),
]


class Measure(models.TextChoices):
    WAIT = "wait", _("waiting time")
    SESSION = "session", _("session time")


class RolledDay(models.Model):
    """A local day whose visits are counted in the rollup tables (days absent here are counted live)."""

    day = models.DateField(_("day"), primary_key=True)
    rolled_at = models.DateTimeField(_("rolled up at"))
    visits = models.PositiveIntegerField(_("visits"))

    class Meta:
        app_label = "stats"  # explicit: the module sits inside the `cite` package
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")
        ordering = ["day"]

    def __str__(self):
        return str(self.day)


class DailyCount(Scoped):
    """The visits of a day with one value of a breakdown (area, a profile list's item, an hour…).

    `key` is the area's or the profile item's id, 1/0 for first visit/return, the hour (0–23), or
    weekday × 100 + hour (ISO weekday, 1 = Monday); NULL for "not answered" (and for `all`).
    """

    day = models.DateField(_("day"))
    breakdown = models.CharField(_("breakdown"), max_length=20, choices=Breakdown.choices)
    key = models.BigIntegerField(_("key"), null=True)
    visits = models.PositiveIntegerField(_("visits"))
    done = models.PositiveIntegerField(_("served"))
    no_shows = models.PositiveIntegerField(_("no-shows"))
    cancelled = models.PositiveIntegerField(_("left without being served"))
    walk_ins = models.PositiveIntegerField(_("walk-ins"))

    class Meta:
        app_label = "stats"
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_area", "scope_institution", "day", "breakdown", "key"],
                nulls_distinct=False,
                name="stats_dailycount_one_per_scope_day_key",
            ),
        ]
        # The unique constraint's index (scope, then day) serves the dashboard's range scans of one scope.

    def __str__(self):
        return f"{self.day} {self.breakdown}={self.key}: {self.visits}"


class DurationBuckets(Scoped):
    """A histogram bucket of waits or session times: so many visits took so many whole minutes, by area
    or by hour of arrival. Daily rows are rolled up into monthly ones of the same shape."""

    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    area = models.ForeignKey(Area, models.PROTECT, null=True, related_name="+", verbose_name=_("area"))
    hour = models.PositiveSmallIntegerField(_("hour of arrival"), null=True)
    minutes = models.PositiveIntegerField(pgettext_lazy("duration", "minutes"))
    visits = models.PositiveIntegerField(_("visits"))

    class Meta:
        abstract = True


class DailyDuration(DurationBuckets):
    """How many visits of a day waited (or were in session) so many whole minutes, by area or by hour.

    Rows carry either an area (waits and sessions by area) or an hour of arrival (waits by hour);
    medians and 90th percentiles of any period are read from the sum of these histograms.
    """

    day = models.DateField(_("day"))

    class Meta:
        app_label = "stats"
        verbose_name = _("daily duration")
        verbose_name_plural = _("daily durations")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_area", "scope_institution", "day", "measure", "area", "hour", "minutes"],
                nulls_distinct=False,
                name="stats_dailyduration_one_per_scope_bucket",
            ),
            models.CheckConstraint(
                condition=models.Q(area__isnull=True) | models.Q(hour__isnull=True),
                name="stats_dailyduration_by_area_or_by_hour",
                violation_error_message=_("A row of durations is by area or by hour of arrival, not both."),
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.measure} {self.minutes} min: {self.visits}"


class MonthlyDuration(DurationBuckets):
    """The daily histograms of a month's rolled-up days, summed: a year reads twelve of these, not 365."""

    month = models.DateField(_("month"), help_text=_("Its first day."))

    class Meta:
        app_label = "stats"
        verbose_name = _("monthly duration")
        verbose_name_plural = _("monthly durations")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_area", "scope_institution", "month", "measure", "area", "hour", "minutes"],
                nulls_distinct=False,
                name="stats_monthlyduration_one_per_scope_bucket",
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="stats_monthlyduration_first_day",
                violation_error_message=MONTH_IS_ITS_FIRST_DAY,
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.measure} {self.minutes} min: {self.visits}"


class SessionBreakdown(models.TextChoices):
    SESSIONS = "sessions", _("sessions")
    VISITS = "visits", _("visits with a session")
    OUTCOME = "outcome", _("question answered")
    TOPIC = "topic", _("topic")
    ISCO_MAJOR = "isco1", _("ISCO-08 major group")
    ISCO_SUB_MAJOR = "isco2", _("ISCO-08 sub-major group")
    OCCUPATION = "occupation", _("occupation")
    REFERRALS = "referrals", _("referrals")
    REFERRAL_INSTITUTION = "ref_institution", _("referral to an institution")
    REFERRAL_KIND = "ref_kind", _("referral to a kind of institution")
    REFERRAL_AREA = "ref_area", _("referral to an area")
    INSTITUTION = "institution", _("institution")
    INSTITUTION_KIND = "institution_kind", _("kind of institution")
    HANDED = "handed", _("documents handed")
    DOCUMENT = "document", _("document")
    DOCUMENT_KIND = "document_kind", _("kind of record")


class SessionCounts(Scoped):
    """Visits counted by one value of a session breakdown; daily rows are rolled up into monthly ones."""

    breakdown = models.CharField(_("breakdown"), max_length=20, choices=SessionBreakdown.choices)
    key = models.CharField(_("key"), max_length=255, blank=True)
    visits = models.PositiveIntegerField(_("visits"))

    class Meta:
        abstract = True


class DailySessionCount(SessionCounts):
    """The visits of a day whose sessions had one value of a breakdown (a topic, an ISCO-08 group, an
    institution…), each visit counted once per value; `sessions`, `referrals` and `handed` count rows.

    `key` is the value: an id (topic, occupation, institution, area, record), an ISCO-08 code prefix,
    a kind or an outcome code; empty for the day's totals.
    """

    day = models.DateField(_("day"))

    class Meta:
        app_label = "stats"
        verbose_name = _("daily session count")
        verbose_name_plural = _("daily session counts")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_area", "scope_institution", "day", "breakdown", "key"],
                nulls_distinct=False,
                name="stats_dailysessioncount_one_per_scope_day_key",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.breakdown}={self.key}: {self.visits}"


class MonthlySessionCount(SessionCounts):
    """The daily session counts of a month's rolled-up days, summed: a year reads twelve months of
    them instead of 365 days (a visit belongs to one day, so the sums stay counts of visits)."""

    month = models.DateField(_("month"), help_text=_("Its first day."))

    class Meta:
        app_label = "stats"
        verbose_name = _("monthly session count")
        verbose_name_plural = _("monthly session counts")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_area", "scope_institution", "month", "breakdown", "key"],
                nulls_distinct=False,
                name="stats_monthlysessioncount_one_per_scope_month_key",
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="stats_monthlysessioncount_first_day",
                violation_error_message=MONTH_IS_ITS_FIRST_DAY,
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.breakdown}={self.key}: {self.visits}"


class ReportComment(models.Model):
    """A manager's paragraph of commentary on one section of the annual report, kept with its year.

    A report narrowed to an area or a partner institution is another report (written for that area
    or that partner): it keeps its own commentary, so each key is (year, area, institution, section).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.ForeignKey(Area, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("area"))
    institution = models.ForeignKey(
        "partners.Institution",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner institution"),
    )
    section = models.SlugField(_("section"), max_length=60)
    text = models.TextField(
        _("commentary"), max_length=REPORT_COMMENT_MAX_LENGTH, blank=True, validators=[validate_no_personal_data]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        app_label = "stats"
        verbose_name = _("report commentary")
        verbose_name_plural = _("report commentaries")
        ordering = ["-year", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "area", "institution", "section"],
                nulls_distinct=False,
                name="stats_reportcomment_one_per_section",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.section}"
