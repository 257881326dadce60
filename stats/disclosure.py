"""Small-count suppression of everything a period publishes, written once: which counts are withheld
so that no combination of the published numbers gives a withheld one back.

The rule is the threshold rule with complementary (secondary) suppression that statistical offices
apply to tables of counts of people (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
chapter 5; Eurostat's *Handbook on Statistical Disclosure Control*), applied to all the tables of a
period together, as linked tables, and audited. In words (docs/statistics-definitions.md):

1. Threshold: a count of 1 to t − 1 (STATS_SUPPRESSION_THRESHOLD, 5) is withheld, shown "< t".
2. One number, one decision: a count shown in several places (first visits in the key figures and in
   their breakdown, the arrivals of an hour in three tables, a period shown as itself or as the
   previous period of the next one) is withheld everywhere or nowhere.
3. Totals of the whole period (its visits, its sessions, the waits measured…) are published.
4. Complementary suppression: the published counts are tied by additive relations (a breakdown adds
   up to its total; visits = served + no-shows + left; the arrivals of a weekday add up to its
   days…). While a withheld count other than zero can be worked out from the published ones —
   through one relation, knowing that a "< t" is 1 to t − 1 and a "—" is t or more, or by solving
   the relations together — the smallest other non-zero count of a relation it belongs to is
   withheld too, shown "—" (or, when there is none, of a relation tied to those by a withheld count).
5. When no such count is left (a total under t, or whose every part is small), every count of the
   relations of the count at risk is withheld, zeros included, and shown "—" without saying it is
   small: only their sum is known. A reader can no longer tell a "—" of such a relation from any
   other number, zero included.
6. A figure computed from a withheld count (a share, a rate, a change) is withheld, and so is a
   median or a percentile of fewer than t times.

Each `Stat` of kind COUNT names the number it shows (`ref`: `(previous?, what, key…)`); every table
whose rows split its total adds up (`Table.partition`), and a table lists the other relations its
numbers take part in (`Table.relations`). A relation is used only if the true counts satisfy it.
"""

import math
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from stats.tables import COUNT, threshold

INFINITY = math.inf
ROUNDS = 30  # bound narrowing stops after this many passes over the relations (it only ever narrows)
PROBED = 20  # a withheld count whose bounds leave at most this many values has each of them tried


@dataclass
class _Count:
    """One published number and its decision."""

    ref: tuple
    value: int
    public: bool
    order: int
    stats: list = field(default_factory=list)
    withheld: bool = False
    bounded: bool = True  # a withheld count under t says so ("< t"); False: rule 5, shown "—"
    fixed: bool = False  # decided elsewhere (the previous period, shown on its own)


def statement():
    """The rule in a sentence, for readers (the report's definitions)."""
    return _(
        "Counts of fewer than %(threshold)s visitors show as “< %(threshold)s” (the threshold rule with "
        "complementary suppression that statistical offices apply): any other count that would let one be worked "
        "out from the totals and the other published counts is withheld too (“—”), a withheld count is withheld in "
        "every table and file of the period, and figures computed from withheld counts are left out. Totals of the "
        "whole period are always shown."
    ) % {"threshold": threshold()}


def protect(tables, *, previous_tables=None):
    """Withhold the counts of `tables` (a period's tables, with its previous period beside it) that the
    rule says, and what is computed from them. `previous_tables` are the previous period's own tables
    (as the dashboard of that period shows them): its counts are withheld here exactly as there."""
    fixed = {}
    if previous_tables is not None:
        decided = _decide(previous_tables, fixed={})
        fixed = {(True, *ref[1:]): decision for ref, decision in decided.items() if ref[0] is False}
    decided = _decide(tables, fixed=fixed)
    for table in tables:
        for row in _rows(table):
            for stat in row.cells.values():
                if stat.kind == COUNT and stat.value is not None and stat.ref in decided:
                    stat.suppressed, stat.bounded = decided[stat.ref]
                else:
                    stat.suppressed = stat.small and stat.kind != COUNT
        for row in _rows(table):
            for key, stat in row.cells.items():
                sources = [row.cells.get(source) for source in DERIVED_FROM.get(key, ())]
                if any(source is not None and source.suppressed for source in sources):
                    stat.suppressed = True
    return tables


# The counts a derived column is computed from: it is withheld when one of them is.
DERIVED_FROM = {
    "share": ("visits",),
    "previous_share": ("previous",),
    "change": ("visits", "value", "previous"),
    "no_show_rate": ("no_shows", "called"),
    "average": ("people",),
}


def _rows(table):
    return [*table.rows, *([table.total] if table.total else [])]


def _decide(tables, *, fixed):
    """{ref: (withheld?, bounded?)} of every count of `tables`; those in `fixed` keep the decision given."""
    t = threshold()
    counts = _counts(tables, fixed)
    relations = _relations(tables, counts)
    for count in counts.values():
        if not count.fixed:
            count.withheld = not count.public and 0 < count.value < t
    exposed = set()  # counts the published totals alone give away, whatever else is withheld
    while (ref := _first_recomputable(counts, relations, t, exposed)) is not None:
        partner = _complement(ref, counts, relations)
        if partner is not None:
            counts[partner].withheld = True
        elif not _withhold_whole(ref, counts, relations):
            exposed.add(ref)
    return {ref: (count.withheld, count.bounded) for ref, count in counts.items()}


def _counts(tables, fixed):
    counts = {}
    for table in tables:
        for index, row in enumerate(_rows(table)):
            for key, stat in row.cells.items():
                if stat.kind != COUNT or stat.value is None:
                    continue
                if stat.ref is None:
                    stat.ref = (False, "cell", table.key, index, key)
                count = counts.get(stat.ref)
                if count is None:
                    count = counts[stat.ref] = _Count(stat.ref, int(stat.value), stat.whole, len(counts))
                elif count.value != int(stat.value):
                    raise ValueError(f"{stat.ref} is {count.value} in one table and {stat.value} in {table.key}")
                count.public = count.public and stat.whole  # public only if every table says so
                count.stats.append(stat)
    for ref, (withheld, bounded) in fixed.items():
        if ref in counts:
            counts[ref].fixed, counts[ref].withheld, counts[ref].bounded = True, withheld, bounded
    return counts


def _relations(tables, counts):
    """The additive relations between the counts, as {ref: coefficient} summing to zero, that hold."""
    relations, seen = [], set()

    def add(totals, parts):
        terms = {}
        for refs, sign in ((totals, 1), (parts, -1)):
            for ref in refs:
                terms[ref] = terms.get(ref, 0) + sign
        terms = {ref: coefficient for ref, coefficient in terms.items() if coefficient}
        if len(terms) < 2 or any(ref not in counts for ref in terms):
            return  # a number not published ties nothing
        if sum(coefficient * counts[ref].value for ref, coefficient in terms.items()) != 0:
            return  # not true of these counts: nobody can use it
        key = frozenset(terms.items())
        if key not in seen:
            seen.add(key)
            relations.append(terms)

    for table in tables:
        if table.partition and table.total is not None:
            for column in table.value_columns:
                total = table.total.cells.get(column.key)
                if column.kind != COUNT or total is None or total.value is None:
                    continue
                cells = [row.cells.get(column.key) for row in table.rows]
                add([total.ref], [cell.ref for cell in cells if cell is not None and cell.value is not None])
        for totals, parts in table.relations:
            add(totals, parts)
    return relations


def _free(count):
    return not count.withheld and not count.public and not count.fixed


def _layers(ref, counts, relations):
    """The relations of `ref`, then those tied to them through withheld counts, and so on (nearest
    first): what pins `ref` down may be another relation of the counts withheld beside it (visits −
    called = left)."""
    reached, withheld, layer = set(), {ref}, [r for r in relations if ref in r]
    while layer:
        yield layer
        reached.update(id(r) for r in layer)
        withheld |= {r for relation in layer for r in relation if counts[r].withheld}
        layer = [r for r in relations if id(r) not in reached and any(x in withheld for x in r)]


def _complement(ref, counts, relations):
    """The smallest published non-zero count that may be withheld, in the nearest relations of `ref`."""
    for layer in _layers(ref, counts, relations):
        candidates = {r for relation in layer for r in relation if _free(counts[r]) and counts[r].value > 0}
        if candidates:
            return min((counts[r] for r in candidates), key=lambda c: (c.value, c.order)).ref
    return None


def _withhold_whole(ref, counts, relations):
    """Rule 5: withhold every count of the nearest relations of `ref` that still tell something (zeros
    included, none saying it is small). False when nothing is left to withhold."""
    for layer in _layers(ref, counts, relations):
        changed = False
        for relation in layer:
            for r in relation:
                count = counts[r]
                if not count.public and not count.fixed and (not count.withheld or count.bounded):
                    count.withheld, count.bounded, changed = True, False, True
        if changed:
            return True
    return False


def _first_recomputable(counts, relations, t, exposed):
    """A withheld count someone could work out from the published ones, or None. A count withheld to
    protect another comes first: once it is safe, the small count it protects often is too.

    The reader's means, cheapest first: the relations solved together; the bounds of every count
    narrowed through the relations, one at a time and solved together, until nothing moves; then each
    value a withheld count could take, tried in turn, kept only if the bounds still hold with it."""

    def at_risk(refs):  # a withheld zero known to be zero tells no more than a zero shown
        return [counts[r] for r in refs if r != ONE and counts[r].withheld and counts[r].value and r not in exposed]

    def first(found):
        return min(found, key=lambda c: (c.value < t, c.order)).ref if found else None

    solved = _solved(counts, relations)
    determined = [next(r for r in row if r != ONE) for row in solved if len([r for r in row if r != ONE]) == 1]
    if found := at_risk(determined):
        return first(found)
    network = _Network([*relations, *solved], counts)
    shown = _bounds(counts, relations, t)
    bounds = network.narrowed(shown) or shown  # (the true counts always fit: never None)
    if found := at_risk(r for r, (low, high) in bounds.items() if low == high):
        return first(found)
    # Trying values only tells more where relations meet: one relation alone is read exactly above.
    for refs, size in network.groups():
        if size < 2:
            continue
        for count in sorted(at_risk(refs), key=lambda c: (c.value >= t, c.order)):
            low, high = bounds[count.ref]
            if high - low <= PROBED and network.fits_once(count.ref, bounds):
                return count.ref
    return None


class _Network:
    """The relations with a withheld count, to narrow bounds through (only where something moved)."""

    def __init__(self, rows, counts):
        self.counts = counts
        self.rows = [row for row in rows if any(r != ONE and counts[r].withheld for r in row)]
        self.rows_of = {}
        for index, row in enumerate(self.rows):
            for ref in row:
                if ref != ONE and counts[ref].withheld:
                    self.rows_of.setdefault(ref, []).append(index)

    def groups(self):
        """[(withheld refs, number of rows)] of the rows tied together by withheld counts."""
        seen, groups = set(), []
        for ref in self.rows_of:
            if ref in seen:
                continue
            refs, rows, stack = set(), set(), [ref]
            while stack:
                r = stack.pop()
                if r in refs:
                    continue
                refs.add(r)
                for index in self.rows_of[r]:
                    if index not in rows:
                        rows.add(index)
                        stack += [x for x in self.rows[index] if x in self.rows_of and x not in refs]
            seen |= refs
            groups.append((refs, len(rows)))
        return groups

    def fits_once(self, ref, bounds):
        """Whether a single value of `ref` lets the bounds hold through the relations."""
        fitting = 0
        low, high = bounds[ref]
        for value in range(low, high + 1):
            if self.narrowed({**bounds, ref: (value, value)}, start=self.rows_of[ref]) is not None:
                fitting += 1
                if fitting > 1:
                    return False
        return fitting == 1

    def narrowed(self, bounds, start=None):
        """The bounds narrowed through the relations until nothing moves (from those of `start`, rows
        that changed), or None if they cannot all hold."""
        bounds = dict(bounds)
        queue = deque(range(len(self.rows)) if start is None else start)
        queued = set(queue)
        budget = ROUNDS * max(len(self.rows), 1)
        while queue and budget:
            budget -= 1
            index = queue.popleft()
            queued.discard(index)
            for ref in self._narrow(self.rows[index], bounds):
                if ref is None:
                    return None
                for other in self.rows_of[ref]:
                    if other not in queued:
                        queue.append(other)
                        queued.add(other)
        return bounds

    def _narrow(self, relation, bounds):
        """Narrow the withheld counts of one relation (Σ c·x = 0); yield those that moved, None if one
        cannot hold."""
        terms = {}
        for ref, c in relation.items():
            a, b = -c * bounds[ref][0], -c * bounds[ref][1]
            terms[ref] = (min(a, b), max(a, b))
        low_sum, low_infinite = _sum(term[0] for term in terms.values())
        high_sum, high_infinite = _sum(term[1] for term in terms.values())
        for ref, coefficient in relation.items():
            if ref == ONE or not self.counts[ref].withheld:
                continue
            # c·x = −Σ of the others: their range is the whole sum's less x's own term.
            own_low, own_high = terms[ref]
            low = -INFINITY if low_infinite - (own_low == -INFINITY) else low_sum - _finite(own_low)
            high = INFINITY if high_infinite - (own_high == INFINITY) else high_sum - _finite(own_high)
            if coefficient < 0:
                low, high = -high, -low
            size = abs(coefficient)
            low = math.ceil(low / size) if low != -INFINITY else low
            high = math.floor(high / size) if high != INFINITY else high
            old = bounds[ref]
            new = (max(old[0], low), min(old[1], high))
            if new[0] > new[1]:
                yield None
                return
            if new != old:
                bounds[ref] = new
                yield ref


def _bounds(counts, relations, t):
    """{ref: (lowest, highest)} a reader can tell of each count from how it is shown.

    A "< t" is 1 to t − 1. A "—" is t or more, unless it belongs to a relation whose counts are all
    withheld: there it may be any number (rule 5), and the reader cannot tell which. A count withheld
    by rule 5 may be any number wherever it is shown (the previous period's, say, is withheld as in
    its own tables, where its relation is withheld whole)."""
    anything = {
        ref
        for relation in relations
        if all(counts[r].withheld or counts[r].public for r in relation)
        for ref in relation
    }
    bounds = {ONE: (1, 1)}
    for ref, count in counts.items():
        if not count.withheld:
            bounds[ref] = (count.value, count.value)
        elif not count.bounded:
            bounds[ref] = (0, INFINITY)
        elif count.value < t:
            bounds[ref] = (1, t - 1)
        else:
            bounds[ref] = (0 if ref in anything else t, INFINITY)
    return bounds


def _finite(value):
    return 0 if math.isinf(value) else value


def _sum(values):
    """The sum of the finite values, and how many are infinite."""
    total = infinite = 0
    for value in values:
        if math.isinf(value):
            infinite += 1
        else:
            total += value
    return total, infinite


ONE = ("1",)  # the constant term of a solved relation: a "count" that is always 1


def _solved(counts, relations):
    """The relations solved together for the withheld counts (exact Gaussian elimination, reduced row
    echelon form), each as {ref: coefficient, ONE: constant} in whole numbers summing to zero. A row of
    a single count is a count the relations fix on their own."""
    unknown = [ref for ref in sorted(counts, key=lambda r: counts[r].order) if counts[ref].withheld]
    column = {ref: n for n, ref in enumerate(unknown)}
    pivots = {}  # column -> its row, reduced; the key -1 holds the constant
    for relation in relations:
        if not any(ref in column for ref in relation):
            continue  # no withheld count: it holds (relations are true of the counts) and solves nothing
        row = {}
        for ref, c in relation.items():
            key = column.get(ref, -1)
            value = row.get(key, 0) + c * (1 if key >= 0 else counts[ref].value)
            if value:
                row[key] = value
            else:
                row.pop(key, None)
        for col, pivot_row in pivots.items():
            if col in row:
                _subtract(row, pivot_row, _ratio(row[col], pivot_row[col]))
        if not any(key >= 0 for key in row):
            continue
        col = min(key for key in row if key >= 0)
        for other in pivots.values():  # keep the pivot rows reduced against the new pivot
            if col in other:
                _subtract(other, row, _ratio(other[col], row[col]))
        pivots[col] = row
    solved = []
    for row in pivots.values():
        scale = math.lcm(*(value.denominator for value in row.values()))
        solved.append({(unknown[k] if k >= 0 else ONE): int(v * scale) for k, v in row.items()})
    return solved


def _ratio(a, b):
    """a / b exactly: a whole number while it divides (most coefficients are 1 or -1, and whole numbers
    are several times quicker than fractions), a Fraction otherwise."""
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    return Fraction(a) / b


def _subtract(row, other, factor):
    for key, value in other.items():
        result = row.get(key, 0) - factor * value
        if result:
            row[key] = result
        else:
            row.pop(key, None)
