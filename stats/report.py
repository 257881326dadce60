"""What the dashboard's summary and the annual report show, and the tables as the screen shows them
when there is no previous period to compare with.

The summary answers "how was this period?": the key figures, the visits day by day (or month by
month), then the six charts managers read first.
The report is a few A4 pages: a summary, the key tables and charts section by section, each with the
manager's commentary (stats.models.ReportComment), and the definitions.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from stats.models import REPORT_SECTIONS

SUMMARY = [
    "visits-over-time",
    "visits-by-area",
    "arrivals-heatmap",
    "waiting-by-area",
    "topics",
    "occupations-isco-major",
    "referrals-by-institution-kind",
]

# (section, title, [(table key, drawn as a chart?)]): tables a period lacks are left out.
REPORT = [
    ("summary", _("Summary"), [("key-figures", False), ("visits-over-time", True)]),
    (
        "visitors",
        _("Visitors"),
        [
            ("visits-by-area", True),
            ("arrivals-heatmap", True),
            ("first-visits", False),
            ("age-bands", False),
            ("situations", False),
            ("residence-zones", False),
            ("heard-from", False),
        ],
    ),
    (
        "queue",
        _("Waiting and sessions"),
        [("waiting-by-area", True), ("sessions-by-area", False), ("no-shows-by-area", False)],
    ),
    (
        "desk",
        _("At the desk"),
        [
            ("session-figures", False),
            ("topics", True),
            ("occupations-isco-major", True),
            ("occupations-most-asked", False),
            ("referrals-by-institution-kind", True),
            ("sessions-by-institution-kind", False),
        ],
    ),
    ("workshops", _("Workshops and documents"), [("workshops", False), ("documents-by-kind", False)]),
]
assert tuple(key for key, *_rest in REPORT) == REPORT_SECTIONS

# Columns that set the period beside the previous one.
PREVIOUS_COLUMNS = {"previous", "previous_share", "change", "previous_median", "previous_held"}


def has_previous(key_figures):
    """Whether the previous period had any visit: without one, no column compares with it."""
    row = next(row for row in key_figures.rows if row.code == "visits")
    return bool(row.cells["previous"].value)


def without_previous(table):
    """`table` without the columns comparing with a previous period that had nothing."""
    columns = [c for c in table.columns if c.key not in PREVIOUS_COLUMNS]
    if len(columns) == len(table.columns):
        return table
    return dataclasses.replace(table, columns=columns)
