"""The dashboard's sections on reception's tickets: each a function of a `Figures`, returning Tables.

They only arrange what `Figures` has read (two queries for every section together); the sections
of counselling, workshops and documents come from the apps that record them (figures.sections()).
Each count names the number it is (`Stat.ref`, `(previous?, what, key…)`: the same number carries
the same ref in every table) and the tables list how their numbers add up, for stats.disclosure.
"""

import datetime

from django.utils import dates, formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stats.models import PROFILE_LISTS, Breakdown, Measure
from stats.periods import next_month
from stats.tables import CHANGE, COUNT, MINUTES, NOT_ANSWERED, RATE, SHARE, Column, Row, Stat, Table, change, share


def CHANGE_LABEL():
    return pgettext("compared with the previous period", "Change")


def visits_ref(breakdown, key=None, *, previous=False):
    """The ref of the visits of one value of a breakdown (all visits: `Breakdown.ALL`)."""
    return (previous, "visits", str(breakdown), key)


def count_ref(what, *, previous=False):
    """The ref of a count of the whole period other than visits: "done", "no_shows", "cancelled"…"""
    return (previous, what, str(Breakdown.ALL), None)


def breakdown_table(figures, breakdown, choices, *, key, title, group, network, label, description=""):
    """Visits by the values of one breakdown, with shares and the previous period's, then "not answered"."""
    total = figures.count(Breakdown.ALL)
    before = figures.count(Breakdown.ALL, previous=True)
    rows = []
    for choice_key, code, text, css in [*choices, (None, None, NOT_ANSWERED, "")]:
        now, then = figures.count(breakdown, choice_key), figures.count(breakdown, choice_key, previous=True)
        if choice_key is None and not (now.visits or then.visits):
            continue
        rows.append(
            _visits_row(
                code, text, now.visits, then.visits, total.visits, before.visits, css=css, ref=(breakdown, choice_key)
            )
        )
    return Table(
        key=key,
        title=title,
        group=group,
        description=description,
        columns=_visits_columns(label),
        rows=rows,
        total=_visits_row(
            None,
            _("Total"),
            total.visits,
            before.visits,
            total.visits,
            before.visits,
            whole=True,
            ref=(Breakdown.ALL, None),
        ),
        chart="bars",
        network=network,
    )


def _visits_columns(label):
    return [
        Column("label", label, "label"),
        Column("visits", _("Visits"), COUNT),
        Column("share", pgettext("part of a total", "Share"), SHARE),
        Column("previous", _("Previous period"), COUNT),
        Column("previous_share", pgettext("part of a total", "Previous share"), SHARE),
        Column("change", CHANGE_LABEL(), CHANGE),
    ]


def _visits_row(code, label, now, then, total, total_before, *, ref, css="", whole=False):
    """A line of visits; `ref` is (breakdown, key) of its visits."""
    return Row(
        code=code,
        label=label,
        css=css,
        cells={
            "visits": Stat(now, COUNT, whole=whole, ref=visits_ref(*ref)),
            "share": Stat(share(now, total), SHARE, basis=now, whole=whole),
            "previous": Stat(then, COUNT, whole=whole, ref=visits_ref(*ref, previous=True)),
            "previous_share": Stat(share(then, total_before), SHARE, basis=then, whole=whole),
            "change": Stat(change(now, then), CHANGE, basis=min(now, then) or None, whole=whole),
        },
    )


def _used(items, figures, breakdown):
    """Active items, and inactive ones that still have visits in one of the periods."""
    keys = figures.keys(breakdown)
    return [item for item in items if getattr(item, "is_active", True) or item.pk in keys]


def visits_by_area(figures):
    choices = [(a.pk, a.code, a.name, f"area-{a.letter}") for a in _used(figures.areas, figures, Breakdown.AREA)]
    return breakdown_table(
        figures,
        Breakdown.AREA,
        choices,
        key="visits-by-area",
        title=_("Visits by area"),
        label=_("Area"),
        group=_("Visitors"),
        network="visits_by_area",
        description=_("The area a visit ended in, after any transfer."),
    )


def first_visits(figures):
    choices = [(1, "first", _("First visit"), ""), (0, "return", _("Return"), "")]
    return breakdown_table(
        figures,
        Breakdown.FIRST_VISIT,
        choices,
        key="first-visits",
        title=_("First visits and returns"),
        label=_("Visit"),
        group=_("Visitors"),
        network="first_visit",
    )


def profiles(figures):
    tables = []
    for breakdown, model, key, title in PROFILE_LISTS:
        items = _used(figures.profile_items[breakdown], figures, breakdown)
        choices = [(item.pk, item.code, item.label, "") for item in items]
        tables.append(
            breakdown_table(
                figures,
                breakdown,
                choices,
                key=key,
                title=str(title),
                label=capfirst(model._meta.verbose_name),
                group=_("Visitors"),
                network=str(breakdown),
            )
        )
    return tables


def key_figures(figures):
    """The period's totals beside the previous period's."""
    now, then = figures.count(Breakdown.ALL), figures.count(Breakdown.ALL, previous=True)

    def counted(breakdown, key, *, previous=False):
        return figures.count(breakdown, key, previous=previous).visits

    def row(code, label, value, previous, kind=COUNT, *, ref=None, basis=None, basis_before=None, whole=False):
        current = Stat(value, kind, basis=basis, whole=whole, ref=ref and (False, *ref))
        before = Stat(previous, kind, basis=basis_before, whole=whole, ref=ref and (True, *ref))
        # A change rests on both figures: it is withheld when either of them is.
        bases = [b for b in (current.basis, before.basis) if b]
        moved = change(value, previous) if value is not None and previous is not None else None
        return Row(
            code=code,
            label=label,
            cells={
                "value": current,
                "previous": before,
                "change": Stat(moved, CHANGE, basis=min(bases) if bases else None, whole=whole),
            },
        )

    def ref(what):
        return visits_ref(*what)[1:] if isinstance(what, tuple) else count_ref(what)[1:]

    first, returns = (Breakdown.FIRST_VISIT, 1), (Breakdown.FIRST_VISIT, 0)
    rows = [
        row("visits", _("Visits"), now.visits, then.visits, whole=True, ref=ref((Breakdown.ALL, None))),
        row("first-visits", _("First visits"), counted(*first), counted(*first, previous=True), ref=ref(first)),
        row("returns", _("Returns"), counted(*returns), counted(*returns, previous=True), ref=ref(returns)),
        row("served", _("Served"), now.done, then.done, ref=ref("done")),
        row(
            "walk-ins",
            _("Walk-ins (met at a desk without a ticket)"),
            now.walk_ins,
            then.walk_ins,
            ref=ref("walk_ins"),
        ),
        row("no-shows", _("No-shows"), now.no_shows, then.no_shows, ref=ref("no_shows")),
        row("left", _("Left without being served"), now.cancelled, then.cancelled, ref=ref("cancelled")),
    ]
    for measure, label_median, label_p90 in [
        (Measure.WAIT, _("Waiting time, median"), _("Waiting time, 90th percentile")),
        (Measure.SESSION, _("Session time, median"), _("Session time, 90th percentile")),
    ]:
        d, p = figures.duration(measure), figures.duration(measure, previous=True)
        rows.append(
            row(f"{measure}-median", label_median, d.median, p.median, MINUTES, basis=d.visits, basis_before=p.visits)
        )
        rows.append(row(f"{measure}-p90", label_p90, d.p90, p.p90, MINUTES, basis=d.visits, basis_before=p.visits))
    return Table(
        key="key-figures",
        title=_("Key figures"),
        group=_("Overview"),
        columns=[
            Column("label", _("Figure"), "label"),
            Column("value", figures.period.label, COUNT),
            Column("previous", figures.previous.label, COUNT),
            Column("change", CHANGE_LABEL(), CHANGE),
        ],
        rows=rows,
        partition=False,
        # Every visit of a closed day was served, a no-show or left: the three add up to the visits.
        relations=[
            (
                [visits_ref(Breakdown.ALL, previous=previous)],
                [count_ref(what, previous=previous) for what in ("done", "no_shows", "cancelled")],
            )
            for previous in (False, True)
        ],
    )


def _series_buckets(period, unit=None):
    """[(bucket, label)] of a period: its days or months (`unit`, by default the period's own)."""
    if (unit or period.series_unit) == "month":
        form = "F" if period.start.year == period.end.year else "M Y"
        months, day = [], period.start.replace(day=1)
        while day <= period.end:
            months.append((day, capfirst(formats.date_format(day, form))))
            day = next_month(day)
        return months
    return [
        (day, formats.date_format(day, "D j"))
        for day in (period.start + datetime.timedelta(days=n) for n in range(period.days))
    ]


def visits_over_time(figures):
    """Visits by hour (a day), by day (up to two months) or by month, beside the previous period's."""
    period = figures.period
    if period.series_unit == "hour":
        hours = _hour_range(figures.keys(Breakdown.HOUR))
        pairs = [(f"{hour:02d}", formats.time_format(datetime.time(hour), "TIME_FORMAT"), hour, hour) for hour in hours]

        def value(key, previous):
            return figures.count(Breakdown.HOUR, key, previous=previous).visits

        def ref(key, previous):
            return visits_ref(Breakdown.HOUR, key, previous=previous)
    else:
        # The compared period is cut like this one: a running year compared with its first weeks
        # last year still goes by month.
        now, before = _series_buckets(period), _series_buckets(figures.previous, period.series_unit)
        pairs = [
            (bucket.isoformat(), label, bucket, before[n][0] if n < len(before) else None)
            for n, (bucket, label) in enumerate(now)
        ]

        today = figures.today

        def value(key, previous):
            if key is None or key > today:
                return None  # no such day in the previous period, or a day still to come
            return figures.series.get((previous, key), 0)

        def ref(key, previous):
            return series_ref(key, previous=previous)

    rows = [
        Row(
            code=code,
            label=label,
            cells={
                "visits": Stat(value(key, False), ref=ref(key, False)),
                "previous": Stat(value(key_before, True), ref=ref(key_before, True)),
            },
        )
        for code, label, key, key_before in pairs
    ]
    total, before = figures.count(Breakdown.ALL), figures.count(Breakdown.ALL, previous=True)
    title = {
        "hour": _("Visits by hour of arrival"),
        "day": _("Visits by day"),
        "month": _("Visits by month"),
    }[period.series_unit]
    label = {"hour": _("Hour"), "day": pgettext("date", "Day"), "month": _("Month")}[period.series_unit]
    return Table(
        key="visits-over-time",
        title=title,
        group=_("Overview"),
        columns=[
            Column("label", label, "label"),
            Column("visits", period.label, COUNT),
            Column("previous", figures.previous.label, COUNT),
        ],
        rows=rows,
        total=Row(
            None,
            _("Total"),
            {
                "visits": Stat(total.visits, whole=True, ref=visits_ref(Breakdown.ALL)),
                "previous": Stat(before.visits, whole=True, ref=visits_ref(Breakdown.ALL, previous=True)),
            },
        ),
        chart="lines",
    )


def series_ref(bucket, *, previous=False):
    """The ref of the visits of a day or a month (its first day) of the series."""
    return (previous, "series", bucket)


def _hour_range(hours):
    """Every hour from the first to the last one with arrivals, and at least the usual 9:00 to 17:00."""
    hours = {hour for hour in hours if hour is not None} | {9, 17}
    return list(range(min(hours), max(hours) + 1))


def arrivals_heatmap(figures):
    """Arrivals by weekday and hour: when the centre is busiest."""
    keys = figures.keys(Breakdown.WEEKDAY_HOUR)
    hours = _hour_range({key % 100 for key in keys})
    weekdays = sorted({key // 100 for key in keys} | set(range(1, 6)))
    rows = [
        Row(
            code=str(weekday),
            label=str(dates.WEEKDAYS[weekday - 1]),
            cells={
                f"{hour:02d}": Stat(
                    figures.count(Breakdown.WEEKDAY_HOUR, weekday * 100 + hour).visits,
                    ref=visits_ref(Breakdown.WEEKDAY_HOUR, weekday * 100 + hour),
                )
                for hour in hours
            },
        )
        for weekday in weekdays
    ]
    total = Row(
        None,
        _("Total"),
        {
            f"{hour:02d}": Stat(figures.count(Breakdown.HOUR, hour).visits, ref=visits_ref(Breakdown.HOUR, hour))
            for hour in hours
        },
    )
    return Table(
        key="arrivals-heatmap",
        title=_("Arrivals by weekday and hour"),
        group=_("Visitors"),
        description=_("Local time of arrival; the darker the cell, the more arrivals."),
        columns=[
            Column("label", pgettext("weekday", "Day"), "label"),
            *[Column(f"{hour:02d}", formats.time_format(datetime.time(hour), "TIME_FORMAT"), COUNT) for hour in hours],
        ],
        rows=rows,
        total=total,
        chart="heatmap",
        network="arrivals_by_weekday_hour",
        relations=_weekday_relations(figures, rows),
    )


def _weekday_relations(figures, rows):
    """A weekday's arrivals add up to the visits of its days, which the series by day shows."""
    period = figures.period
    if period.series_unit == "month":
        return []
    days = [period.start + datetime.timedelta(days=n) for n in range(period.days)]
    relations = []
    for row in rows:
        weekday = int(row.code)
        if period.series_unit == "hour":
            totals = [visits_ref(Breakdown.ALL)] if days[0].isoweekday() == weekday else []
        else:
            totals = [series_ref(day) for day in days if day.isoweekday() == weekday and day <= figures.today]
        relations.append((totals, [cell.ref for cell in row.cells.values()]))
    return relations


def _duration_columns(count_label):
    return [
        Column("label", _("Area"), "label"),
        Column("measured", count_label, COUNT),
        Column("median", _("Median"), MINUTES),
        Column("p90", _("90th percentile"), MINUTES),
        Column("previous_median", _("Median, previous period"), MINUTES),
    ]


def measured_ref(measure, *, area=None, hour=None):
    """The ref of the number of waits (or sessions) measured, by area or by hour (None: all)."""
    return (False, "measured", str(measure), area, hour)


def _duration_row(code, label, now, before, *, ref, css="", whole=False):
    return Row(
        code=code,
        label=label,
        css=css,
        cells={
            "measured": Stat(now.visits, COUNT, whole=whole, ref=ref),
            "median": Stat(now.median, MINUTES, basis=now.visits),
            "p90": Stat(now.p90, MINUTES, basis=now.visits),
            "previous_median": Stat(before.median, MINUTES, basis=before.visits),
        },
    )


def waiting_by_area(figures):
    return _durations_by_area(
        figures,
        Measure.WAIT,
        key="waiting-by-area",
        title=_("Waiting time by area"),
        count_label=_("Waits"),
        network="waiting_by_area",
        description=_(
            "Each wait in a queue, from entering it (on arrival or after a referral) to the call, in minutes; "
            "walk-ins do not wait."
        ),
    )


def sessions_by_area(figures):
    return _durations_by_area(
        figures,
        Measure.SESSION,
        key="sessions-by-area",
        title=_("Session time by area"),
        count_label=_("Sessions"),
        network="sessions_by_area",
        description=_("Each session, from its start to its end as recorded, in minutes."),
    )


def _durations_by_area(figures, measure, *, key, title, count_label, network, description):
    rows = [
        _duration_row(
            area.code,
            area.name,
            figures.duration(measure, area=area.pk),
            figures.duration(measure, area=area.pk, previous=True),
            css=f"area-{area.letter}",
            ref=measured_ref(measure, area=area.pk),
        )
        for area in _used(figures.areas, figures, Breakdown.AREA)
    ]
    return Table(
        key=key,
        title=title,
        group=_("Queue and sessions"),
        description=description,
        columns=_duration_columns(count_label),
        rows=rows,
        total=_duration_row(
            None,
            _("All areas"),
            figures.duration(measure),
            figures.duration(measure, previous=True),
            whole=True,
            ref=measured_ref(measure),
        ),
        chart="minutes",
        network=network,
    )


def waiting_by_hour(figures):
    hours = sorted(
        {hour for (previous, measure, _area, hour) in figures.durations if hour is not None and not previous}
        | figures.keys(Breakdown.HOUR)
    )
    rows = []
    for hour in hours:
        arrivals = figures.count(Breakdown.HOUR, hour).visits
        waits = figures.duration(Measure.WAIT, hour=hour)
        rows.append(
            Row(
                code=f"{hour:02d}",
                label=formats.time_format(datetime.time(hour), "TIME_FORMAT"),
                cells={
                    "arrivals": Stat(arrivals, ref=visits_ref(Breakdown.HOUR, hour)),
                    "measured": Stat(waits.visits, ref=measured_ref(Measure.WAIT, hour=hour)),
                    "median": Stat(waits.median, MINUTES, basis=waits.visits),
                    "p90": Stat(waits.p90, MINUTES, basis=waits.visits),
                },
            )
        )
    overall = figures.duration(Measure.WAIT)
    return Table(
        key="waiting-by-hour",
        title=_("Waiting time by hour of arrival"),
        group=_("Queue and sessions"),
        description=_("Each wait, from entering the queue to the call, in minutes, by the local hour it began."),
        columns=[
            Column("label", _("Hour"), "label"),
            Column("arrivals", _("Arrivals"), COUNT),
            Column("measured", _("Waits"), COUNT),
            Column("median", _("Median"), MINUTES),
            Column("p90", _("90th percentile"), MINUTES),
        ],
        rows=rows,
        total=Row(
            None,
            _("All hours"),
            {
                "arrivals": Stat(figures.count(Breakdown.ALL).visits, whole=True, ref=visits_ref(Breakdown.ALL)),
                "measured": Stat(overall.visits, whole=True, ref=measured_ref(Measure.WAIT)),
                "median": Stat(overall.median, MINUTES, basis=overall.visits),
                "p90": Stat(overall.p90, MINUTES, basis=overall.visits),
            },
        ),
        chart="minutes",
        network="waiting_by_hour",
    )


def no_shows_by_area(figures):
    def row(code, label, counted, before, *, breakdown, key=None, css=""):
        called = counted.done + counted.no_shows
        return Row(
            code=code,
            label=label,
            css=css,
            cells={
                "no_shows": Stat(counted.no_shows, ref=(False, "no_shows", str(breakdown), key)),
                "called": Stat(called, ref=(False, "called", str(breakdown), key)),
                "no_show_rate": Stat(share(counted.no_shows, called), RATE, basis=counted.no_shows),
                "previous": Stat(before.no_shows, ref=(True, "no_shows", str(breakdown), key)),
            },
        )

    rows = [
        row(
            area.code,
            area.name,
            figures.count(Breakdown.AREA, area.pk),
            figures.count(Breakdown.AREA, area.pk, previous=True),
            breakdown=Breakdown.AREA,
            key=area.pk,
            css=f"area-{area.letter}",
        )
        for area in _used(figures.areas, figures, Breakdown.AREA)
    ]
    return Table(
        key="no-shows-by-area",
        title=_("No-shows by area"),
        group=_("Queue and sessions"),
        description=_("Visitors called who never came to the desk, among those called (served or no-show)."),
        columns=[
            Column("label", _("Area"), "label"),
            Column("no_shows", _("No-shows"), COUNT),
            Column("called", _("Called"), COUNT),
            Column("no_show_rate", _("No-show rate"), RATE),
            Column("previous", _("No-shows, previous period"), COUNT),
        ],
        rows=rows,
        total=row(
            None,
            _("All areas"),
            figures.count(Breakdown.ALL),
            figures.count(Breakdown.ALL, previous=True),
            breakdown=Breakdown.ALL,
        ),
        chart="bars",
        network="no_shows_by_area",
        # The visitors called were served or did not come.
        relations=[([count_ref("called")], [count_ref("done"), count_ref("no_shows")])],
    )


# The dashboard's sections, in order. Sections on counselling sessions (topics, occupations explored
# by ISCO-08 group, referrals by institution, activity per partner institution), workshops and
# documents handed come from the apps that record them, through `statistics_sections`.
SECTIONS = [
    key_figures,
    visits_over_time,
    visits_by_area,
    first_visits,
    profiles,
    arrivals_heatmap,
    waiting_by_area,
    waiting_by_hour,
    sessions_by_area,
    no_shows_by_area,
]
