"""The tables every figure is given as, and small-count suppression, shared by the screen, the exports,
the printed report and the network export, so that all of them show the same cells.

Suppression (`suppress`): a count of 1 to threshold − 1 visitors shows as "< 5"; a figure computed
from so few visitors (a share, a median, a change) is withheld ("—", an empty cell in files). When a
breakdown whose total is shown has exactly one such cell, the next smallest cell is withheld too
("—", never "< 5": it is not small), or the hidden one could be worked out by subtraction. Totals
of a whole period are never suppressed; zero is shown as zero.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COUNT = "count"  # visitors: suppressed when small
SHARE = "share"  # percent of the table's total
RATE = "rate"  # percent of another figure (no-shows among called visitors)
MINUTES = "minutes"
CHANGE = "change"  # percent change from the previous period
NUMBER = "number"  # a count of something other than visitors (days open): never suppressed


def threshold():
    return settings.STATS_SUPPRESSION_THRESHOLD


@dataclass
class Stat:
    """One cell: its value, what kind of number it is, and the count of visitors it rests on."""

    value: float | None
    kind: str = COUNT
    basis: int | None = None  # visitors behind the figure; a COUNT is its own basis
    whole: bool = False  # a figure of the whole period (total visits): never suppressed
    suppressed: bool = False

    def __post_init__(self):
        if self.basis is None and self.kind == COUNT and self.value is not None:
            self.basis = int(self.value)

    @property
    def small(self):
        return not self.whole and self.basis is not None and 0 < self.basis < threshold() and self.kind != NUMBER

    @property
    def text(self):
        """The cell as people read it, in the current language."""
        if self.suppressed:
            # A small count says so; a count withheld to protect another one, or a figure computed
            # from a small count, is only masked.
            return _("< %(threshold)s") % {"threshold": threshold()} if self.kind == COUNT and self.small else "—"
        if self.value is None:
            return "—"
        if self.kind in (COUNT, NUMBER):
            return number_format(self.value, 0, force_grouping=True)
        if self.kind == MINUTES:
            return _("%(minutes)d min") % {"minutes": int(self.value)}
        if self.kind == CHANGE:
            sign = "+" if self.value > 0 else "−" if self.value < 0 else "±"
            return f"{sign}{number_format(round(abs(self.value)), 0)} %"
        # number_format cuts decimals off: round first (45.45… % reads 45.5 %).
        return f"{number_format(round(self.value, 1), 1)} %"

    @property
    def export_value(self):
        """The cell in a file: a plain number, "< 5" for a small count, empty for a withheld figure."""
        if self.suppressed:
            return _("< %(threshold)s") % {"threshold": threshold()} if self.kind == COUNT and self.small else ""
        if self.value is None:
            return ""
        if self.kind in (COUNT, NUMBER):
            return int(self.value)
        return round(self.value, 1)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Row:
    code: str | None  # the stable code shared by the network (area code, profile code…); None: not answered
    label: str
    cells: dict  # column key -> Stat
    css: str = ""  # a class for the chart (area colour)


@dataclass
class Table:
    key: str  # stable, in URLs and file names: "visits-by-area"
    title: str
    columns: list
    rows: list
    group: str = ""
    description: str = ""
    total: Row | None = None
    chart: str | None = None  # "bars", "minutes", "heatmap", "lines" (see charts.py)
    network: str | None = None  # key of this breakdown in the network export
    partition: bool = True  # the rows split the total: complementary suppression applies
    public_total: bool = True  # the total is the period's (shown anyway); False: a small total is withheld too
    notes: list = field(default_factory=list)

    @property
    def label_header(self):
        return self.columns[0].label if self.columns and self.columns[0].kind == "label" else ""

    @property
    def value_columns(self):
        return [c for c in self.columns if c.kind != "label"]

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    @property
    def grid(self):
        """[(row, [its cells in the order of the value columns])], for templates and files."""
        keys = [c.key for c in self.value_columns]
        return [(row, [row.cells.get(key) for key in keys]) for row in self.rows]

    @property
    def total_cells(self):
        return [self.total.cells.get(c.key) for c in self.value_columns] if self.total else []


def suppress(table):
    """Mark the table's small cells, and what rests on them, as suppressed (see the module's docstring)."""
    for row in [*table.rows, *([table.total] if table.total else [])]:
        for stat in row.cells.values():
            stat.suppressed = stat.small and (row is not table.total or not table.public_total)
    if table.partition and table.total is not None:
        for column in table.value_columns:
            if column.kind != COUNT:
                continue
            cells = [row.cells[column.key] for row in table.rows if row.cells.get(column.key) is not None]
            hidden = [s for s in cells if s.suppressed]
            if len(hidden) == 1:
                others = sorted((s for s in cells if not s.suppressed and s.value), key=lambda s: s.value)
                if others:
                    others[0].suppressed = True
    # Shares, rates and changes follow the counts they are computed from.
    for row in table.rows:
        for key, stat in row.cells.items():
            sources = [row.cells.get(source) for source in DERIVED_FROM.get(key, ())]
            if any(source is not None and source.suppressed for source in sources):
                stat.suppressed = True
    return table


# The counts a derived column is computed from: it is withheld when one of them is.
DERIVED_FROM = {
    "share": ("visits",),
    "previous_share": ("previous",),
    "change": ("visits", "previous"),
    "no_show_rate": ("no_shows", "called"),
}

NOT_ANSWERED = gettext_lazy("Not answered")
