"""The figures of the statistics, counted by PostgreSQL: never a loop over visits in Python.

Two SQL statements count everything about reception's tickets for a period and its previous
period at once: COUNT_FACTS (visits per day and breakdown value) and DURATION_FACTS (visits per
day and whole minute of waiting or session time, from which medians and 90th percentiles are
read). Closed days come from the rollup tables those same statements fill every night
(stats.services.roll_up); the days not rolled up yet are counted from the tickets on the fly.

Definitions (docs/statistics-definitions.md, and the report's "About these figures", `DEFINITIONS`):
- a visit is a ticket, walk-ins included, whatever became of it; its area is the one it ended in;
- local day and hour of arrival, in settings.TIME_ZONE;
- waiting time: each stint in a queue, from the ticket's events (reception.selectors.WAITS);
- session time: each ended session's own start to end (counselling.selectors.SESSION_TIMES);
- times are whole minutes and medians nearest-rank (cite.clock).
Both times count by the day of their visit.

The dashboard is a list of sections: functions taking a `Figures` (the period, its previous
period, and the counts above, read once on first use) and returning `Table`s. Other apps add
theirs by naming them in a `statistics_sections` attribute on their AppConfig (dotted paths), as
they add demo steps; see `sections()`.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count, IntegerField, Q, Value
from django.utils import dates, formats, timezone
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from cite.models import Area
from counselling.models import Session
from counselling.selectors import SESSION_TIMES
from reception.models import Duty, Ticket
from reception.selectors import WAITS
from stats.disclosure import protect, statement
from stats.models import PROFILE_LISTS, Breakdown, DailyCount, DailyDuration, Measure, MonthlyDuration, RolledDay
from stats.periods import whole_months
from stats.scopes import one_scope

# The SQL below is put together from our own tables' names and status values (constants of the
# code, never input); every value that comes from a request is a parameter.
TICKETS = Ticket._meta.db_table
SESSIONS = Session._meta.db_table
# A visit in which a counsellor seconded by the institution held a session (its id a parameter).
SEEN_BY_INSTITUTION = (
    f"EXISTS (SELECT 1 FROM {SESSIONS} fs WHERE fs.ticket_id = t.id AND fs.institution_id = %(scope_institution)s)"  # noqa: S608
)
Status = Ticket.Status

# {days} is a condition on the ticket `t`; {scopes} stats.scopes.all_scopes or one_scope of the same days.
COUNT_FACTS = f"""
SELECT t.day, sc.scope_area, sc.scope_institution, b.breakdown, b.key,
       count(*) AS visits,
       count(*) FILTER (WHERE t.status = '{Status.DONE}') AS done,
       count(*) FILTER (WHERE t.status = '{Status.NO_SHOW}') AS no_shows,
       count(*) FILTER (WHERE t.status = '{Status.CANCELLED}') AS cancelled,
       count(*) FILTER (WHERE t.walk_in) AS walk_ins
  FROM {TICKETS} t
 JOIN ({{scopes}}) AS sc ON sc.ticket_id = t.id
 CROSS JOIN LATERAL (VALUES
       ('{Breakdown.ALL}', NULL::bigint),
       ('{Breakdown.AREA}', t.area_id),
       ('{Breakdown.AGE_BAND}', t.age_band_id),
       ('{Breakdown.SITUATION}', t.situation_id),
       ('{Breakdown.GENDER}', t.gender_id),
       ('{Breakdown.RESIDENCE_ZONE}', t.residence_zone_id),
       ('{Breakdown.HEARD_FROM}', t.heard_from_id),
       ('{Breakdown.FIRST_VISIT}', CASE WHEN t.first_visit THEN 1 WHEN NOT t.first_visit THEN 0 END),
       ('{Breakdown.HOUR}', EXTRACT(HOUR FROM t.arrived_at AT TIME ZONE %(tz)s)::bigint),
       ('{Breakdown.WEEKDAY_HOUR}',
        (EXTRACT(ISODOW FROM t.day) * 100 + EXTRACT(HOUR FROM t.arrived_at AT TIME ZONE %(tz)s))::bigint)
       ) AS b (breakdown, key)
 WHERE {{days}}
 GROUP BY t.day, sc.scope_area, sc.scope_institution, b.breakdown, b.key
"""  # noqa: S608

# Waits by the area they were in and by the local hour they began; sessions by their area. The
# scope is the visit's (the area it ended in), not the wait's: a referred visitor's first wait, in
# another area, belongs to the visits of the area they ended in.
DURATION_FACTS = f"""
SELECT day, scope_area, scope_institution, measure, area_id, hour, minutes, count(*) AS visits
  FROM (SELECT w.day, sc.scope_area, sc.scope_institution, '{Measure.WAIT}' AS measure, d.area_id, d.hour, w.minutes
          FROM ({WAITS}) w
          JOIN ({{scopes}}) AS sc ON sc.ticket_id = w.ticket_id
         CROSS JOIN LATERAL (VALUES
               (w.area_id, NULL::smallint),
               (NULL::bigint, EXTRACT(HOUR FROM w.began_at AT TIME ZONE %(tz)s)::smallint)
               ) AS d (area_id, hour)
        UNION ALL
        SELECT s.day, sc.scope_area, sc.scope_institution, '{Measure.SESSION}', s.area_id, NULL::smallint, s.minutes
          FROM ({SESSION_TIMES}) s
          JOIN ({{scopes}}) AS sc ON sc.ticket_id = s.ticket_id
       ) AS measured
 GROUP BY day, scope_area, scope_institution, measure, area_id, hour, minutes
"""  # noqa: S608

UNROLLED_DAYS = f"""
SELECT d::date FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
 WHERE d >= (SELECT min(day) FROM {TICKETS})
   AND (d >= %(start)s OR d <= %(previous_end)s)
   AND NOT EXISTS (SELECT 1 FROM {RolledDay._meta.db_table} r WHERE r.day = d::date)
"""  # noqa: S608

# {live} and {edges} are conditions on days (see `days_condition`), {rolled} picks the scope's rows.
COUNTS = f"""
WITH facts AS (
    SELECT day, breakdown, key, visits, done, no_shows, cancelled, walk_ins
      FROM {DailyCount._meta.db_table}
     WHERE {{rolled}} AND day BETWEEN %(first)s AND %(last)s AND (day >= %(start)s OR day <= %(previous_end)s)
    UNION ALL
    SELECT day, breakdown, key, visits, done, no_shows, cancelled, walk_ins
      FROM ({COUNT_FACTS.format(days="{live}", scopes=one_scope("{live}"))}) AS live
)
SELECT day < %(start)s AS previous, breakdown, key,
       CASE WHEN breakdown = '{Breakdown.ALL}' THEN date_trunc(%(unit)s, day)::date END AS bucket,
       sum(visits)::int, sum(done)::int, sum(no_shows)::int, sum(cancelled)::int, sum(walk_ins)::int
  FROM facts
 GROUP BY 1, 2, 3, 4
"""  # noqa: S608

# Medians and 90th percentiles (nearest rank) from the summed histograms, by area, by hour and overall.
# Whole months come from the monthly histograms, the days at the edges from the daily ones. Waits by
# hour are not needed for the previous period.
DURATIONS = f"""
WITH facts AS (
    SELECT month AS day, measure, area_id, hour, minutes, visits
      FROM {MonthlyDuration._meta.db_table}
     WHERE {{rolled}} AND month = ANY(%(months)s) AND (month >= %(start)s OR hour IS NULL)
    UNION ALL
    SELECT day, measure, area_id, hour, minutes, visits
      FROM {DailyDuration._meta.db_table}
     WHERE {{rolled}} AND {{edges}} AND (day >= %(start)s OR hour IS NULL)
    UNION ALL
    SELECT day, measure, area_id, hour, minutes, visits
      FROM ({DURATION_FACTS.format(days="{live}", scopes=one_scope("{live}"))}) AS live
), histogram AS (
    SELECT day < %(start)s AS previous, measure, area_id, hour, minutes, sum(visits) AS visits
      FROM facts GROUP BY 1, 2, 3, 4, 5
), with_overall AS (
    SELECT * FROM histogram
    UNION ALL
    SELECT previous, measure, NULL, NULL, minutes, sum(visits)
      FROM histogram WHERE area_id IS NOT NULL GROUP BY previous, measure, minutes
), running AS (
    SELECT *, sum(visits) OVER (PARTITION BY previous, measure, area_id, hour ORDER BY minutes) AS running,
              sum(visits) OVER (PARTITION BY previous, measure, area_id, hour) AS total
      FROM with_overall
)
SELECT previous, measure, area_id, hour, max(total)::int AS visits,
       min(minutes) FILTER (WHERE running >= 0.5 * total) AS median,
       min(minutes) FILTER (WHERE running >= 0.9 * total) AS p90
  FROM running
 GROUP BY 1, 2, 3, 4
"""  # noqa: S608


def day_ranges(days):
    """[(first, last)] of the runs of consecutive dates in `days`."""
    ranges = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + datetime.timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [tuple(r) for r in ranges]


def days_condition(column, ranges, name):
    """SQL and parameters for "`column` falls in one of `ranges`": ranges let PostgreSQL use its
    index on days (and plan for the rows it will really find), which a list of dates does not."""
    if not ranges:
        return "FALSE", {}
    params = {}
    terms = []
    for n, (first, last) in enumerate(ranges):
        params[f"{name}{n}a"], params[f"{name}{n}b"] = first, last
        terms.append(f"{column} BETWEEN %({name}{n}a)s AND %({name}{n}b)s")
    return "(" + " OR ".join(terms) + ")", params


@dataclass(frozen=True)
class Scope:
    """The visits a page is narrowed to: those that ended in an area, those in which a counsellor
    seconded by a partner institution held a session, or both. Never a counsellor: no figure ranks one.

    The rollup tables hold every scope's counts (stats.models.Scoped), so a narrowed page reads its
    closed days from the rows of its scope and counts the others from the tickets and sessions, by
    the same SQL, with this condition on the ticket `t`."""

    area: int | None = None
    institution: int | None = None

    def __bool__(self):
        return self.area is not None or self.institution is not None

    def params(self):
        return {"scope_area": self.area, "scope_institution": self.institution}

    def condition(self):
        """SQL on the ticket `t` (TRUE when nothing narrows the visits); its parameters are `params()`."""
        terms = []
        if self.area is not None:
            terms.append("t.area_id = %(scope_area)s")
        if self.institution is not None:
            terms.append(SEEN_BY_INSTITUTION)
        return " AND ".join(terms) or "TRUE"

    def rolled(self):
        """SQL picking this scope's rows of a rollup table (IS NULL, not IS NOT DISTINCT FROM: both
        can use the tables' indexes, which begin with the scope)."""
        area = "scope_area_id IS NULL" if self.area is None else "scope_area_id = %(scope_area)s"
        institution = (
            "scope_institution_id IS NULL"
            if self.institution is None
            else "scope_institution_id = %(scope_institution)s"
        )
        return f"{area} AND {institution}"


@dataclass(frozen=True)
class Counted:
    visits: int = 0
    done: int = 0
    no_shows: int = 0
    cancelled: int = 0
    walk_ins: int = 0


@dataclass(frozen=True)
class Durations:
    visits: int = 0
    median: int | None = None
    p90: int | None = None


class Figures:
    """A period's figures beside its previous period's: each kind is read from the database once."""

    def __init__(self, period, *, today=None, shared=None, scope=None):
        self.period = period
        self.scope = scope or Scope()
        self.today = today or timezone.localdate()
        self.previous = period.compared_with(self.today)
        if shared is not None:  # the lists of another Figures, read once for both
            self.__dict__.update(
                {key: shared.__dict__[key] for key in ("areas", "profile_items") if key in shared.__dict__}
            )

    def _params(self):
        return {
            "first": self.previous.start,
            "previous_end": self.previous.end,
            "last": self.period.end,
            "start": self.period.start,
            "tz": settings.TIME_ZONE,
            "unit": "month" if self.period.series_unit == "month" else "day",
        }

    @cached_property
    def live_days(self):
        """Days of both periods, up to today, that the rollup does not hold: counted from the tickets."""
        last = min(self.period.end, timezone.localdate())
        if last < self.previous.start:
            return []
        with connection.cursor() as cursor:
            cursor.execute(UNROLLED_DAYS, {**self._params(), "last": last})
            return [row[0] for row in cursor.fetchall()]

    def _run(self, sql, *, edges=None, **params):
        live, live_params = days_condition("day", day_ranges(self.live_days), "live")
        if self.scope and live != "FALSE":
            live = f"{live} AND {self.scope.condition()}"
        edge_sql, edge_params = days_condition("day", edges or [], "edge")
        with connection.cursor() as cursor:
            cursor.execute(
                sql.format(live=live, edges=edge_sql, rolled=self.scope.rolled()),
                {**self._params(), **live_params, **edge_params, **self.scope.params(), **params},
            )
            return cursor.fetchall()

    @cached_property
    def _counted(self):
        counts, series = {}, {}
        for previous, breakdown, key, bucket, *values in self._run(COUNTS):
            if bucket is not None:
                series[previous, bucket] = values[0]
            # `all` comes once per day or month: its buckets add up to the period's counts.
            old = counts.get((previous, breakdown, key), Counted())
            counts[previous, breakdown, key] = Counted(
                *(a + b for a, b in zip(old.__dict__.values(), values, strict=True))
            )
        return counts, series

    @property
    def counts(self):
        """{(previous?, breakdown, key): Counted}."""
        return self._counted[0]

    @property
    def series(self):
        """{(previous?, first day of the bucket): visits}: visits by day or by month."""
        return self._counted[1]

    def count(self, breakdown, key=None, *, previous=False):
        return self.counts.get((previous, breakdown, key), Counted())

    def keys(self, breakdown):
        return {key for (_previous, kind, key) in self.counts if kind == breakdown}

    @cached_property
    def durations(self):
        """{(previous?, measure, area id, hour): Durations}; area and hour None for the whole centre."""
        months, edges = self.months_and_edges
        return {
            (previous, measure, area, hour): Durations(visits, median, p90)
            for previous, measure, area, hour, visits, median, p90 in self._run(DURATIONS, edges=edges, months=months)
        }

    @cached_property
    def months_and_edges(self):
        """The whole months of both periods (read from the monthly rollups) and the ranges of the
        other days (read from the daily ones)."""
        months = [*whole_months(self.previous), *whole_months(self.period)]
        covered = set(months)
        edges = day_ranges(
            day
            for period in (self.previous, self.period)
            for day in (period.start + datetime.timedelta(days=n) for n in range(period.days))
            if day.replace(day=1) not in covered
        )
        return months, edges

    def duration(self, measure, *, area=None, hour=None, previous=False):
        return self.durations.get((previous, measure, area, hour), Durations())

    @cached_property
    def areas(self):
        """Every area, inactive ones too (they have a history), in their order."""
        return list(Area.objects.order_by("order", "letter"))

    @cached_property
    def profile_items(self):
        return profile_items()


def profile_items():
    """{breakdown: [items in order]} for the five profile lists, in one query."""
    fields = ["pk", "code", "label_fr", "label_en", "order", "is_active"]
    querysets = [
        model.objects.annotate(breakdown=Value(index, IntegerField())).values(*fields, "breakdown")
        for index, (_breakdown, model, _key, _title) in enumerate(PROFILE_LISTS)
    ]
    items = {breakdown: [] for breakdown, *_rest in PROFILE_LISTS}
    for row in querysets[0].union(*querysets[1:], all=True):
        breakdown, model = PROFILE_LISTS[row.pop("breakdown")][:2]
        items[breakdown].append(model(**row))
    for values in items.values():
        values.sort(key=lambda item: (item.order, item.code))
    return items


# What the dashboard will show once cite records it (network keys of the sections to come).
PLANNED = [
    ("topics", gettext_lazy("Topics discussed in sessions")),
    (
        "occupations_isco_major",
        gettext_lazy("Occupations explored, by ISCO-08 major and sub-major group, and the most asked-about ones"),
    ),
    ("referrals_by_institution_kind", gettext_lazy("Referrals by institution")),
    ("workshop_attendance_by_kind", gettext_lazy("Workshops and attendance")),
    ("documents_by_kind", gettext_lazy("Most handed-out documents")),
    ("sessions_by_institution_kind", gettext_lazy("Activity per partner institution")),
]


def planned_sections(tables):
    """Labels of the sections to come that no registered section provides yet."""
    present = {table.network for table in tables}
    return [label for key, label in PLANNED if key not in present]


def definitions():
    """What the figures count, as the report states it under "About these figures" (in the current
    language); docs/statistics-definitions.md says the same at length."""
    return [
        _(
            "Visitors are anonymous: every figure comes from the anonymous profile of a visit (its ticket), "
            "never from an identity."
        ),
        _(
            "A visit is a ticket, walk-ins included, whatever became of it; its area is the one it ended in. "
            "Days and hours are local time."
        ),
        _(
            "Waiting time is counted for each stint in a queue, from the moment the ticket enters it (on arrival, "
            "or when the visitor is referred to another area after a session) to its call: a referred visitor "
            "waits twice, a walk-in does not wait. Session time is each session's own start to end, as the "
            "counsellor recorded or corrected it; a referred visitor has a session in each area. Both count on "
            "the day of the visit, in whole minutes; the median is the time half of the waits (or sessions) did "
            "not exceed, the 90th percentile the time nine in ten did not exceed."
        ),
        statement(),
    ]


def sections():
    """cite's own sections, then those other apps list in `statistics_sections` on their AppConfig."""
    from stats.sections import SECTIONS
    from stats.sessions import SECTIONS as SESSION_SECTIONS

    extra = [
        import_string(path) for config in apps.get_app_configs() for path in getattr(config, "statistics_sections", [])
    ]
    return [*SECTIONS, *SESSION_SECTIONS, *extra]


def dashboard(period, *, today=None, scope=None):
    """Every table of the dashboard for `period`, small counts withheld: a fixed number of queries.

    Whatever shows a period (its screen, its files, its report, its network file) is made of these
    tables, so all of them withhold the same cells. The previous period beside it is withheld as its
    own dashboard withholds it, which its tables, built here too, tell."""
    figures = Figures(period, today=today, scope=scope)
    tables = _tables(figures)
    previous = Figures(figures.previous, today=figures.today, shared=figures, scope=scope)
    return protect(tables, previous_tables=_tables(previous))


def _tables(figures):
    tables = []
    for section in sections():
        result = section(figures)
        if result is not None:
            tables.extend(result if isinstance(result, list) else [result])
    return tables


# ---------------------------------------------------------------------------------------------------
# Reception today (a counsellor's own figures are counselling's: counselling.selectors)


@dataclass(frozen=True)
class TodayPanel:
    arrivals: int
    waiting: int
    longest_wait: datetime.timedelta | None
    served: int
    areas: list  # [AreaQueue with .arrivals]
    on_duty: list  # [(first name, desk name)]


def today_panel():
    """Arrivals so far, who waits now and the longest wait, who is on duty: live, for reception."""
    from reception.selectors import queue_overview

    today = timezone.localdate()
    queues = queue_overview(areas=Area.objects.active())
    counted = {
        row["area"]: row
        for row in Ticket.objects.filter(day=today)
        .values("area")
        .annotate(arrivals=Count("id"), served=Count("id", filter=Q(status=Status.DONE)))
        .order_by()
    }
    for queue in queues:
        queue.arrivals = counted.get(queue.area.pk, {}).get("arrivals", 0)
    oldest = [q.oldest_arrival for q in queues if q.oldest_arrival]
    on_duty = list(
        Duty.objects.filter(ended_at__isnull=True, desk__is_active=True)
        .order_by("desk__order", "desk__name")
        .values_list("user__first_name", "desk__name")
    )
    return TodayPanel(
        arrivals=sum(row["arrivals"] for row in counted.values()),
        waiting=sum(q.waiting for q in queues),
        longest_wait=timezone.now() - min(oldest) if oldest else None,
        served=sum(row["served"] for row in counted.values()),
        areas=queues,
        on_duty=on_duty,
    )


def code_headers():
    """{network breakdown: header of its first column}, for the comparison with other centres."""
    headers = dict.fromkeys(
        ["visits_by_area", "no_shows_by_area", "waiting_by_area", "sessions_by_area", "referrals_to_area"], _("Area")
    )
    headers.update({str(breakdown): capfirst(model._meta.verbose_name) for breakdown, model, *_rest in PROFILE_LISTS})
    headers.update(
        {
            "topics": _("Topic"),
            "occupations_isco_major": _("ISCO-08 group"),
            "occupations_isco_sub_major": _("ISCO-08 group"),
            "occupations_esco": _("Occupation"),
            "referrals_by_institution_kind": _("Kind of institution"),
            "sessions_by_institution_kind": _("Kind of institution"),
            "documents_by_kind": _("Kind of record"),
            "first_visit": _("Visit"),
            "arrivals_by_weekday_hour": pgettext("weekday", "Day"),
            "waiting_by_hour": _("Hour"),
        }
    )
    return headers


def code_labels():
    """{(network breakdown, code): label in the current language} for the codes this centre knows."""
    labels = {}
    for area in Area.objects.order_by("order", "letter"):
        for key in ("visits_by_area", "no_shows_by_area", "waiting_by_area", "sessions_by_area", "referrals_to_area"):
            labels[key, area.code] = area.name
    labels["first_visit", "first"] = _("First visit")
    labels["first_visit", "return"] = _("Return")
    for breakdown, items in profile_items().items():
        for item in items:
            labels[str(breakdown), item.code] = item.label
    labels.update(_session_code_labels())
    for hour in range(24):
        time = formats.time_format(datetime.time(hour), "TIME_FORMAT")
        labels["waiting_by_hour", f"{hour:02d}"] = time
        for weekday in range(1, 8):
            labels["arrivals_by_weekday_hour", f"{weekday}-{hour:02d}"] = f"{dates.WEEKDAYS[weekday - 1]} {time}"
    return labels


def _session_code_labels():
    """Labels of the codes of the breakdowns on sessions: topics, ISCO-08 groups, the ESCO occupations
    this centre's sessions explored, kinds of institution and of record."""
    from counselling.models import Topic
    from partners.models import Institution
    from resources.models import IscoGroup, Occupation, Record

    labels = {("topics", topic.code): topic.label for topic in Topic.objects.all()}
    for group in IscoGroup.objects.filter(level__lte=2):
        key = "occupations_isco_major" if group.level == 1 else "occupations_isco_sub_major"
        labels[key, group.code] = f"{group.code} {group.label}"
    for occupation in Occupation.objects.filter(sessions__isnull=False).distinct():
        labels["occupations_esco", occupation.uri] = occupation.label
    for kind, label in Institution.Kind.choices:
        labels["referrals_by_institution_kind", kind] = labels["sessions_by_institution_kind", kind] = capfirst(label)
    for kind, label in Record.Kind.choices:
        labels["documents_by_kind", kind] = capfirst(label)
    return labels
