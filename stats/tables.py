"""The tables every figure is given as, shared by the screen, the exports, the printed report and the
network export, so that all of them show the same cells.

Which cells are withheld (small-count suppression) is decided for all the tables of a period at
once by stats.disclosure: a withheld count under the threshold reads "< 5", any other withheld
figure "—" (an empty cell in files).
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
    ref: tuple | None = None  # a COUNT: which number it is, the same wherever it is shown (disclosure.py)
    bounded: bool = True  # a withheld count under the threshold may say so; False: only "—"

    def __post_init__(self):
        if self.basis is None and self.kind == COUNT and self.value is not None:
            self.basis = int(self.value)

    @property
    def small(self):
        return not self.whole and self.basis is not None and 0 < self.basis < threshold() and self.kind != NUMBER

    @property
    def shown_as_small(self):
        """A withheld count under the threshold: it reads "< 5" (any other withheld figure is only masked)."""
        return (
            self.suppressed
            and self.bounded
            and self.kind == COUNT
            and self.value is not None
            and self.value < threshold()
        )

    @property
    def text(self):
        """The cell as people read it, in the current language."""
        if self.suppressed:
            return _("< %(threshold)s") % {"threshold": threshold()} if self.shown_as_small else "—"
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
            return _("< %(threshold)s") % {"threshold": threshold()} if self.shown_as_small else ""
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
    partition: bool = True  # the rows add up to the total, column by column
    relations: list = field(default_factory=list)  # [(refs, refs)]: other sums of counts that are equal
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


NOT_ANSWERED = gettext_lazy("Not answered")


def share(part, whole):
    """`part` as a percentage of `whole` (None when there is no whole)."""
    return 100 * part / whole if whole else None


def change(now, before):
    """The change from `before` to `now`, in percent (None when there was nothing before)."""
    return 100 * (now - before) / before if before else None
