"""The network's figures format (docs/network-figures-v1.md): export a period, read other centres' files,
and set centres side by side as shares.

Files are keyed only by stable codes (area codes, profile-list codes, ISCO-08 codes, ESCO URIs,
institution kinds), never by a label or an id of this database, and carry suppressed cells as null.
Reading is strict: a file that does not follow version 1 exactly is refused with a message saying
what is wrong, and nothing of it is kept.
"""

import json
import re

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cite.dates import BadDate, parse_date
from stats import figures as stats_figures
from stats.periods import Kind
from stats.tables import COUNT, MINUTES, SHARE, Column, Row, Stat, Table, threshold

FORMAT = "cite-network-figures"
VERSION = 1

# Breakdowns of visitors (counts) and of times (durations) of version 1. Keys listed as reserved
# are null until cite records what they count (counselling sessions, workshops, documents).
COUNT_BREAKDOWNS = [
    "visits_by_area",
    "first_visit",
    "age_band",
    "situation",
    "gender",
    "residence_zone",
    "heard_from",
    "arrivals_by_weekday_hour",
    "no_shows_by_area",
]
RESERVED_BREAKDOWNS = [
    "topics",  # counselling topic codes
    "occupations_isco_major",  # ISCO-08 major group codes (1 digit)
    "occupations_isco_sub_major",  # ISCO-08 sub-major group codes (2 digits)
    "occupations_esco",  # ESCO occupation URIs
    "referrals_by_institution_kind",  # partner institution kinds (employment, guidance, …)
    "referrals_to_area",  # area codes
    "sessions_by_institution_kind",  # activity per partner institution, by kind
    "workshop_attendance_by_kind",  # workshop kinds
    "documents_by_kind",  # kinds of records handed (occupation-sheet, guide, …)
]
DURATION_BREAKDOWNS = ["waiting_by_area", "waiting_by_hour", "sessions_by_area"]
TOTALS = ["visits", "served", "no_shows", "walk_ins", "left_without_service"]
RESERVED_TOTALS = ["sessions", "workshops_held", "workshop_attendance", "documents_handed", "referrals"]

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/#?=&%+-]{0,254}$")
MAX_CELLS = 5000


# ---------------------------------------------------------------------------------------------------
# Export


def export(period, tables=None):
    """This centre's figures for `period` as a version 1 document (a dict ready for json.dumps)."""
    tables = {t.key: t for t in (tables if tables is not None else stats_figures.dashboard(period))}
    by_network = {t.network: t for t in tables.values() if t.network}
    key_figures = {row.code: row.cells["value"] for row in tables["key-figures"].rows}
    totals = {
        "visits": key_figures["visits"],
        "served": key_figures["served"],
        "no_shows": key_figures["no-shows"],
        "walk_ins": key_figures["walk-ins"],
        "left_without_service": key_figures["left"],
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "centre": {"name": settings.CENTRE_NAME, "country": settings.CENTRE_COUNTRY},
        "period": {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "suppression": {"threshold": threshold()},
        "totals": {
            **{key: _number(stat) for key, stat in totals.items()},
            **dict.fromkeys(RESERVED_TOTALS),
            **_session_totals(tables.get("session-figures")),
            **_workshop_totals(tables.get("workshops")),
        },
        "breakdowns": {
            key: _counts(by_network[key]) if key in by_network else None
            for key in [*COUNT_BREAKDOWNS, *RESERVED_BREAKDOWNS]
        },
        "durations": {key: _durations(by_network[key]) if key in by_network else None for key in DURATION_BREAKDOWNS},
    }


def _session_totals(table):
    """sessions, referrals and documents_handed from the dashboard's table of sessions, when it has one."""
    if table is None:
        return {}
    values = {row.code: row.cells["value"] for row in table.rows}
    names = {"sessions": "sessions", "referrals": "referrals", "documents_handed": "documents-handed"}
    return {key: _number(values[code]) for key, code in names.items() if code in values}


def _workshop_totals(table):
    """workshops_held and workshop_attendance from the dashboard's table of workshops."""
    if table is None:
        return {}
    return {
        "workshops_held": _number(table.total.cells["held"]),
        "workshop_attendance": _number(table.total.cells["people"]),
    }


def _number(stat):
    if stat is None or stat.suppressed or stat.value is None:
        return None
    return int(stat.value) if stat.kind == COUNT or stat.kind == MINUTES else stat.value


def _counts(table):
    if table.chart == "heatmap":
        cells = {
            f"{row.code}-{column.key}": _number(row.cells[column.key])
            for row in table.rows
            for column in table.value_columns
            if row.cells[column.key].value or row.cells[column.key].suppressed  # a withheld zero is null too
        }
        total = sum(int(s.value) for s in table.total_cells if s.value)
        return {"total": total, "cells": cells, "not_answered": None}
    column = next(c.key for c in table.value_columns if c.kind == COUNT)
    if table.total.cells[column].suppressed:
        return None  # a total of mentions too small to show: the whole breakdown is withheld
    cells = {row.code: _number(row.cells[column]) for row in table.rows if row.code is not None}
    unanswered = next((row.cells[column] for row in table.rows if row.code is None), None)
    return {
        "total": int(table.total.cells[column].value or 0),
        "cells": cells,
        "not_answered": _number(unanswered) if unanswered is not None else 0,
    }


def _duration(row):
    return {
        "visits": _number(row.cells["measured"]),
        "median": _number(row.cells["median"]),
        "p90": _number(row.cells["p90"]),
    }


def _durations(table):
    return {"all": _duration(table.total), "cells": {row.code: _duration(row) for row in table.rows}}


def dumps(document):
    return json.dumps(document, ensure_ascii=False, indent=2)


def filename(period):
    from django.utils.text import slugify

    return f"{slugify(settings.CENTRE_NAME) or 'cite'}-{period.start}-{period.end}.json"


# ---------------------------------------------------------------------------------------------------
# Reading other centres' files


class InvalidFile(Exception):
    """A file refused: `messages` says every problem found, one sentence each."""

    def __init__(self, message):
        self.messages = list(message) if isinstance(message, list | tuple) else [message]
        self.message = " ".join(str(m) for m in self.messages)
        super().__init__(self.message)


def parse(raw, name):
    """The document in `raw` (bytes) if it follows version 1; InvalidFile saying why otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidFile(_("%(name)s is not a text file in UTF-8.") % {"name": name}) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidFile(
            _("%(name)s is not valid JSON (line %(line)s, column %(column)s).")
            % {"name": name, "line": error.lineno, "column": error.colno}
        ) from None
    _Checker(name).document(document)
    problems = consistency_problems(document)
    if problems:
        raise InvalidFile([_("%(name)s: %(problem)s") % {"name": name, "problem": p} for p in problems])
    return document


# Breakdowns of every visit: each visit is in exactly one of their cells (or "not answered").
PARTITIONS = ["visits_by_area", "first_visit", "age_band", "situation", "gender", "residence_zone", "heard_from"]
FIXED_CODES = {
    "first_visit": re.compile(r"^(first|return)$"),
    "arrivals_by_weekday_hour": re.compile(r"^[1-7]-([01][0-9]|2[0-3])$"),
    "waiting_by_hour": re.compile(r"^([01][0-9]|2[0-3])$"),
    "occupations_isco_major": re.compile(r"^[0-9]$"),
    "occupations_isco_sub_major": re.compile(r"^[0-9]{2}$"),
}


def consistency_problems(doc):
    """What does not add up in a well-formed file, one sentence per problem: breakdowns of every visit
    whose totals differ from the visits or whose cells do not add up to their total (shares that do not
    make 100 %), totals that exceed the visits, codes of the wrong shape, counts published under the
    file's own threshold. A file that passes may still differ from this centre's; it is at least whole."""
    problems = []
    visits = doc["totals"]["visits"]
    threshold_ = doc["suppression"]["threshold"]
    titles = BREAKDOWN_TITLES()

    def named(key):
        return _("“%(title)s” (%(key)s)") % {"title": titles.get(key, key), "key": key}

    def quoted(codes):
        return ", ".join(_("“%(code)s”") % {"code": code[:40]} for code in codes[:5])

    outcomes = [doc["totals"][key] for key in ("served", "no_shows", "left_without_service")]
    if None not in outcomes and sum(outcomes) > visits:
        problems.append(
            _("served, no-shows and those who left add up to %(sum)s, more than the %(visits)s visits.")
            % {"sum": sum(outcomes), "visits": visits}
        )
    for key in ("served", "no_shows", "walk_ins", "left_without_service"):
        value = doc["totals"][key]
        if value is not None and value > visits:
            problems.append(
                _("totals.%(key)s (%(value)s) is more than the %(visits)s visits.")
                % {"key": key, "value": value, "visits": visits}
            )
    for key, breakdown in doc["breakdowns"].items():
        if not breakdown:
            continue
        cells = [*breakdown["cells"].values(), breakdown.get("not_answered")]
        known = sum(n for n in cells if n)
        if key in PARTITIONS and breakdown["total"] != visits:
            problems.append(
                _("%(breakdown)s has a total of %(total)s, not the %(visits)s visits of the file.")
                % {"breakdown": named(key), "total": breakdown["total"], "visits": visits}
            )
        if key in PARTITIONS and None not in cells and known != breakdown["total"] and breakdown["total"]:
            problems.append(
                _(
                    "the shares of %(breakdown)s add up to %(share)s %%, not 100 %%: "
                    "its cells count %(known)s of %(total)s."
                )
                % {
                    "breakdown": named(key),
                    "share": number_format(round(100 * known / breakdown["total"], 1), 1),
                    "known": known,
                    "total": breakdown["total"],
                }
            )
        small = sorted(code for code, n in breakdown["cells"].items() if n and 0 < n < threshold_)
        if small:
            problems.append(
                _(
                    "%(breakdown)s publishes counts under its own threshold of %(threshold)s (%(codes)s): "
                    "they should be withheld (null)."
                )
                % {"breakdown": named(key), "threshold": threshold_, "codes": ", ".join(small[:5])}
            )
        shape = FIXED_CODES.get(key)
        wrong = sorted(code for code in breakdown["cells"] if shape and not shape.match(code))
        if wrong:
            problems.append(
                _("%(breakdown)s has codes that are not of its kind: %(codes)s.")
                % {"breakdown": named(key), "codes": quoted(wrong)}
            )
    for key, durations in doc["durations"].items():
        shape = FIXED_CODES.get(key)
        wrong = sorted(code for code in (durations or {}).get("cells", {}) if shape and not shape.match(code))
        if wrong:
            problems.append(
                _("%(breakdown)s has codes that are not of its kind: %(codes)s.")
                % {"breakdown": named(key), "codes": quoted(wrong)}
            )
    return problems


class _Checker:
    """Checks a document against version 1, naming the first thing that is wrong."""

    def __init__(self, name):
        self.name = name

    def fail(self, where, problem):
        raise InvalidFile(
            _("%(name)s: %(where)s %(problem)s") % {"name": self.name, "where": where, "problem": problem}
        )

    def keys(self, value, where, required, optional=()):
        if not isinstance(value, dict):
            self.fail(where, _("must be an object."))
        missing = [key for key in required if key not in value]
        if missing:
            self.fail(where, _("lacks “%(key)s”.") % {"key": missing[0]})
        unknown = sorted(set(value) - set(required) - set(optional))
        if unknown:
            self.fail(where, _("has an unknown entry “%(key)s”.") % {"key": unknown[0]})

    def count(self, value, where, nullable=True):
        if value is None and nullable:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(
                where,
                _("must be a whole number, 0 or more%(or_null)s.") % {"or_null": _(", or null") if nullable else ""},
            )

    def document(self, doc):
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise InvalidFile(
                _("%(name)s is not a file of network figures (its “format” is not “%(format)s”).")
                % {"name": self.name, "format": FORMAT}
            )
        version = doc.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
            raise InvalidFile(
                _("%(name)s uses version %(version)s of the format; this cite reads version %(ours)s. Update cite.")
                % {"name": self.name, "version": version, "ours": VERSION}
            )
        if version != VERSION:
            self.fail("version", _("must be %(version)s.") % {"version": VERSION})
        self.keys(
            doc,
            _("The file"),
            ["format", "version", "centre", "period", "suppression", "totals", "breakdowns", "durations"],
            ["generated_at"],
        )
        self.keys(doc["centre"], "centre", ["name", "country"])
        name = doc["centre"]["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            self.fail("centre.name", _("must be a name of 1 to 200 characters."))
        if not isinstance(doc["centre"]["country"], str) or not re.fullmatch(r"[A-Z]{2}", doc["centre"]["country"]):
            self.fail("centre.country", _("must be a two-letter ISO 3166 code such as FR."))
        self.period(doc["period"])
        self.keys(doc["suppression"], "suppression", ["threshold"])
        self.count(doc["suppression"]["threshold"], "suppression.threshold", nullable=False)
        self.keys(doc["totals"], "totals", TOTALS, RESERVED_TOTALS)
        self.count(doc["totals"]["visits"], "totals.visits", nullable=False)
        for key, value in doc["totals"].items():
            self.count(value, f"totals.{key}")
        self.keys(doc["breakdowns"], "breakdowns", COUNT_BREAKDOWNS, RESERVED_BREAKDOWNS)
        for key, value in doc["breakdowns"].items():
            if value is not None:
                self.breakdown(value, f"breakdowns.{key}")
        self.keys(doc["durations"], "durations", DURATION_BREAKDOWNS)
        for key, value in doc["durations"].items():
            if value is not None:
                self.durations(value, f"durations.{key}")

    def period(self, period):
        self.keys(period, "period", ["kind", "start", "end"])
        if period["kind"] not in Kind.values:
            self.fail("period.kind", _("must be one of %(kinds)s.") % {"kinds": ", ".join(Kind.values)})
        dates = []
        for key in ("start", "end"):
            try:
                if not isinstance(period[key], str):
                    raise BadDate("")
                dates.append(parse_date(period[key]))
            except BadDate as error:
                problem = _("must be a date such as 2025-01-31.")
                if error.code == "out_of_range":
                    problem = _("must be a date such as 2025-01-31, of the years %(first)s to %(last)s.") % {
                        "first": settings.DATES_FIRST_YEAR,
                        "last": settings.DATES_LAST_YEAR,
                    }
                self.fail(f"period.{key}", problem)
        if dates[1] < dates[0]:
            self.fail("period.end", _("must not come before period.start."))

    def cells(self, cells, where):
        if not isinstance(cells, dict):
            self.fail(where, _("must be an object."))
        if len(cells) > MAX_CELLS:
            self.fail(where, _("has more than %(count)s entries.") % {"count": MAX_CELLS})
        for code in cells:
            if not CODE.match(code):
                self.fail(where, _("has a key that is not a code: “%(code)s”.") % {"code": code[:80]})

    def breakdown(self, value, where):
        self.keys(value, where, ["total", "cells"], ["not_answered"])
        self.count(value["total"], f"{where}.total", nullable=False)
        self.cells(value["cells"], f"{where}.cells")
        for code, count in value["cells"].items():
            self.count(count, f"{where}.cells.{code}")
        self.count(value.get("not_answered"), f"{where}.not_answered")
        known = sum(n for n in [*value["cells"].values(), value.get("not_answered")] if n)
        if known > value["total"]:
            self.fail(where, _("counts more than its total."))

    def duration(self, value, where):
        self.keys(value, where, ["visits", "median", "p90"])
        for key in ("visits", "median", "p90"):
            self.count(value[key], f"{where}.{key}")
        if value["median"] is not None and value["p90"] is not None and value["median"] > value["p90"]:
            self.fail(where, _("has a median above its 90th percentile."))

    def durations(self, value, where):
        self.keys(value, where, ["all", "cells"])
        self.duration(value["all"], f"{where}.all")
        self.cells(value["cells"], f"{where}.cells")
        for code, duration in value["cells"].items():
            self.duration(duration, f"{where}.cells.{code}")


class TooManyCentres(Exception):
    pass


def add(documents, document, *, limit):
    """`documents` with `document` in it: it replaces a file of the same centre for the same period,
    and TooManyCentres is raised rather than going beyond `limit` files."""
    same = [
        n for n, d in enumerate(documents) if d["centre"] == document["centre"] and d["period"] == document["period"]
    ]
    if same:
        return [document if n == same[0] else d for n, d in enumerate(documents)]
    if len(documents) >= limit:
        raise TooManyCentres
    return [*documents, document]


# ---------------------------------------------------------------------------------------------------
# Comparison


def comparison(ours, theirs, labels, headers):
    """Tables setting `ours` beside each of `theirs` (documents): shares of each total, medians in minutes.

    `labels` maps (breakdown key, code) to a label in the current language (codes this centre does
    not know show as themselves); `headers` maps a breakdown key to the header of its first column.
    """
    documents = [ours, *theirs]
    tables = [_totals_table(documents)]
    for key in [*COUNT_BREAKDOWNS, *RESERVED_BREAKDOWNS]:
        present = [d["breakdowns"].get(key) for d in documents]
        if not any(present):
            continue
        codes = _codes(present)
        columns = [Column("label", headers.get(key, _("Code")), "label")] + [
            Column(f"c{n}", document["centre"]["name"], SHARE) for n, document in enumerate(documents)
        ]
        rows = []
        for code in codes:
            cells = {}
            for n, breakdown in enumerate(present):
                cells[f"c{n}"] = _share_stat(breakdown, code)
            rows.append(Row(code, labels.get((key, code), code), cells))
        if any(b and b.get("not_answered") for b in present):
            rows.append(
                Row(None, str(_("Not answered")), {f"c{n}": _share_stat(b, None) for n, b in enumerate(present)})
            )
        tables.append(
            Table(
                key=key,
                title=BREAKDOWN_TITLES().get(key, key),
                columns=columns,
                rows=rows,
                partition=False,
            )
        )
    for key in DURATION_BREAKDOWNS:
        present = [d["durations"].get(key) for d in documents]
        if not any(present):
            continue
        minutes_columns = [Column("label", headers.get(key, _("Code")), "label")] + [
            Column(f"c{n}", document["centre"]["name"], MINUTES) for n, document in enumerate(documents)
        ]
        rows = [Row("all", str(_("All visits")), {f"c{n}": _median_stat(p, None) for n, p in enumerate(present)})]
        for code in _codes(present):
            rows.append(
                Row(
                    code, labels.get((key, code), code), {f"c{n}": _median_stat(p, code) for n, p in enumerate(present)}
                )
            )
        tables.append(
            Table(
                key=key,
                title=BREAKDOWN_TITLES().get(key, key),
                columns=minutes_columns,
                rows=rows,
                partition=False,
                description=str(_("Median, in minutes.")),
            )
        )
    return tables


def with_bars(table):
    """(table, [(row, [(cell, bar width in % of the row's largest share or None)])]) for the page's
    table of shares: each cell has a bar, this centre's column first and marked."""
    shares = [c for c in table.value_columns if c.kind == SHARE]
    top = max((s.value for row in table.rows for s in row.cells.values() if s.value and not s.suppressed), default=0)
    lines = []
    for row, cells in table.grid:
        bars = [
            round(100 * cell.value / top, 1)
            if shares and top and cell is not None and cell.value is not None and not cell.suppressed
            else None
            for cell in cells
        ]
        lines.append((row, list(zip(cells, bars, strict=True))))
    return table, lines


def _codes(breakdowns):
    codes = []
    for breakdown in breakdowns:
        for code in (breakdown or {}).get("cells", {}):
            if code not in codes:
                codes.append(code)
    return codes


def _share_stat(breakdown, code):
    if not breakdown:
        return Stat(None, SHARE)
    if code is not None and code not in breakdown["cells"]:
        return Stat(None, SHARE)  # the centre has no such area or list item
    count = breakdown.get("not_answered") if code is None else breakdown["cells"][code]
    if count is None:
        return Stat(None, SHARE, suppressed=True)
    total = breakdown["total"]
    return Stat(100 * count / total if total else None, SHARE)


def _median_stat(durations, code):
    if not durations:
        return Stat(None, MINUTES)
    value = durations["all"] if code is None else durations["cells"].get(code)
    if value is None:
        return Stat(None, MINUTES)
    if value["median"] is None and value["visits"] is None:
        return Stat(None, MINUTES, suppressed=True)
    return Stat(value["median"], MINUTES)


def _totals_table(documents):
    columns = [Column("label", _("Figure"), "label")] + [
        Column(f"c{n}", d["centre"]["name"], COUNT) for n, d in enumerate(documents)
    ]
    rows = [
        Row(
            "visits",
            str(_("Visits")),
            {f"c{n}": Stat(d["totals"]["visits"], whole=True) for n, d in enumerate(documents)},
        ),
    ]
    return Table(key="totals", title=str(_("Visits in the period")), columns=columns, rows=rows, partition=False)


def BREAKDOWN_TITLES():
    return {
        "visits_by_area": _("Visits by area"),
        "first_visit": _("First visits and returns"),
        "age_band": _("Age bands"),
        "situation": _("Situations"),
        "gender": _("Genders"),
        "residence_zone": _("Residence zones"),
        "heard_from": _("How they heard of the Cité"),
        "arrivals_by_weekday_hour": _("Arrivals by weekday and hour"),
        "no_shows_by_area": _("No-shows by area"),
        "waiting_by_area": _("Waiting time by area"),
        "waiting_by_hour": _("Waiting time by hour of arrival"),
        "sessions_by_area": _("Session time by area"),
        "topics": _("Topics"),
        "occupations_isco_major": _("Occupations explored, by ISCO-08 major group"),
        "occupations_isco_sub_major": _("Occupations explored, by ISCO-08 sub-major group"),
        "occupations_esco": _("Occupations explored"),
        "referrals_by_institution_kind": _("Referrals, by kind of institution"),
        "referrals_to_area": _("Referrals to another area"),
        "sessions_by_institution_kind": _("Sessions, by kind of partner institution"),
        "workshop_attendance_by_kind": _("Workshop attendance"),
        "documents_by_kind": _("Documents handed, by kind"),
    }
