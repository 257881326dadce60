"""A reader who tries to recompute withheld counts: every whole-number value of the withheld cells
that agrees with everything published, found by search, independently of stats.disclosure.
The search is exhaustive, so it is meant for small sets of tables (a day, a few linked tables).

What the reader knows: every published number; that a "< t" is 1 to t − 1, a "—" count t or more
(any number, zero included, in a relation whose counts are all withheld); that the same number is
the same wherever it is shown; that each table's rows add up to its total and the relations the
tables state hold. A withheld count other than zero is recomputed when a single value of it fits (a
withheld zero known to be zero tells no more than a zero shown).
"""

from stats.tables import COUNT, threshold


def recomputable(tables):
    """{ref: value} of the withheld counts of `tables` that the published numbers pin to one value."""
    t = threshold()
    value, withheld, public, stats = {}, {}, {}, {}
    for table in tables:
        for row in [*table.rows, *([table.total] if table.total else [])]:
            for stat in row.cells.values():
                if stat.kind == COUNT and stat.value is not None:
                    value[stat.ref] = int(stat.value)
                    withheld[stat.ref] = stat.suppressed
                    public[stat.ref] = public.get(stat.ref, True) and stat.whole
                    stats.setdefault(stat.ref, []).append(stat)
    for ref, shown in stats.items():
        assert len({s.text for s in shown}) == 1, f"{ref} reads differently: {[s.text for s in shown]}"
    equations = []
    for table in tables:
        if table.partition and table.total is not None:
            for column in table.value_columns:
                total = table.total.cells.get(column.key)
                if column.kind == COUNT and total is not None and total.value is not None:
                    parts = [row.cells.get(column.key) for row in table.rows]
                    equations.append(([total.ref], [p.ref for p in parts if p is not None and p.value is not None]))
        equations += table.relations
    terms = []
    for totals, parts in equations:
        coefficients = {}
        for refs, sign in ((totals, 1), (parts, -1)):
            for ref in refs:
                coefficients[ref] = coefficients.get(ref, 0) + sign
        coefficients = {r: c for r, c in coefficients.items() if c}
        known = coefficients and all(r in value for r in coefficients)
        if known and sum(c * value[r] for r, c in coefficients.items()) == 0:  # only what is true can be used
            terms.append(coefficients)
    anything = {r for eq in terms if all(withheld[x] or public[x] for x in eq) for r in eq}
    says_small = {ref for ref, shown in stats.items() if shown[0].shown_as_small}
    ceiling = max([*value.values(), t])  # every count of these tables is at most the largest one published
    domain = {}
    for ref in value:
        if not withheld[ref]:
            domain[ref] = [value[ref]]
        elif ref in says_small:
            domain[ref] = list(range(1, t))
        else:  # a "—" withheld with its whole relation (rule 5) may be anything wherever it is shown
            anywhere = ref in anything or not stats[ref][0].bounded
            domain[ref] = list(range(0 if anywhere else t, ceiling + 1))
    for ref in value:  # the true counts are one of the solutions: the reader's model fits them
        assert value[ref] in domain[ref], f"the reader's model does not fit the truth at {ref}"
    unknown = [r for r in value if withheld[r]]
    seen = {r: set() for r in unknown}
    known = {r: value[r] for r in value if not withheld[r]}
    for group in _groups(unknown, terms):  # counts tied by no equation are searched apart
        _search(group, domain, [eq for eq in terms if any(r in eq for r in group)], known, seen)
    return {ref: value[ref] for ref in unknown if len(seen[ref]) == 1 and value[ref]}


def _groups(unknown, terms):
    """The withheld counts, in groups tied together by equations."""
    group_of = {r: {r} for r in unknown}
    for eq in terms:
        tied = [r for r in eq if r in group_of]
        for r in tied[1:]:
            if group_of[r] is not group_of[tied[0]]:
                merged = group_of[tied[0]] | group_of[r]
                for x in merged:
                    group_of[x] = merged
    groups = {id(g): g for g in group_of.values()}
    return [[r for r in unknown if r in g] for g in groups.values()]


def _search(unknown, domain, terms, known, seen):
    """Every assignment of `unknown` that satisfies `terms`, recorded in `seen` (forced values first)."""
    known = dict(known)
    while True:  # an equation with one unknown left forces it
        forced = False
        for eq in terms:
            left = [r for r in eq if r not in known]
            if len(left) == 1:
                r = left[0]
                rest = -sum(c * known[x] for x, c in eq.items() if x != r)
                if rest % eq[r] or rest // eq[r] not in domain[r]:
                    return
                known[r], forced = rest // eq[r], True
            elif not left and sum(c * known[x] for x, c in eq.items()):
                return
        if not forced:
            break
    free = [r for r in unknown if r not in known]
    if not free:
        for r in unknown:
            seen[r].add(known[r])
        return
    if all(len(seen[r]) > 1 for r in unknown):
        return  # nothing left to learn
    ref = free[0]
    for v in domain[ref]:
        _search(unknown, domain, terms, {**known, ref: v}, seen)
