"""Small-count suppression (stats.disclosure): no cell shows fewer than 5 visitors, and no
combination of the published numbers gives a withheld one back, on screen or in a file.

The hand-worked cases below name the reader's arithmetic; tests.stats.disclosure_check is a reader
who tries every value the withheld cells could take.
"""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from stats import figures
from stats.disclosure import protect
from stats.periods import Period
from stats.tables import CHANGE, COUNT, MINUTES, SHARE, Column, Row, Stat, Table
from tests.stats.dataset import OCTOBER, october
from tests.stats.disclosure_check import recomputable


def breakdown(*counts, total=None):
    rows = [
        Row(str(n), f"line {n}", {"visits": Stat(count), "share": Stat(count * 10.0, SHARE, basis=count)})
        for n, count in enumerate(counts)
    ]
    total_row = Row(None, "Total", {"visits": Stat(total or sum(counts), whole=True)})
    columns = [Column("label", "", "label"), Column("visits", "Visits", COUNT), Column("share", "Share", SHARE)]
    return protect([Table(key="t", title="t", columns=columns, rows=rows, total=total_row)])[0]


def texts(table, column="visits"):
    return [row.cells[column].text for row in table.rows]


def test_counts_of_one_to_four_show_as_less_than_five_and_their_shares_are_withheld():
    table = breakdown(12, 3, 4, 0, 25)
    assert texts(table) == ["12", "< 5", "< 5", "0", "25"]
    assert texts(table, "share") == ["120,0 %", "—", "—", "0,0 %", "250,0 %"]
    assert table.total.cells["visits"].text == "44"  # the total of the period is never suppressed


def test_a_lone_small_cell_takes_the_next_smallest_with_it_so_subtraction_cannot_reveal_it():
    table = breakdown(12, 3, 9, 0, 25)
    # 9 is withheld too (49 − 12 − 25 would give 3 away), and shown as masked, not as "< 5": it is not small.
    assert texts(table) == ["12", "< 5", "—", "0", "25"]
    assert [row.cells["visits"].export_value for row in table.rows] == [12, "< 5", "", 0, 25]
    assert texts(table, "share") == ["120,0 %", "—", "—", "0,0 %", "250,0 %"]


def test_no_cell_is_withheld_when_none_is_small():
    assert texts(breakdown(12, 9, 25)) == ["12", "9", "25"]


def test_the_threshold_is_a_setting(settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 10
    assert texts(breakdown(12, 9, 8, 25)) == ["12", "< 10", "< 10", "25"]


def test_a_median_of_fewer_than_five_visitors_is_withheld_and_so_is_a_change_resting_on_a_small_count():
    median = Stat(12, MINUTES, basis=4)
    change = Stat(200.0, CHANGE, basis=3)
    (table,) = protect(
        [
            Table(
                key="t",
                title="t",
                columns=[Column("label", "", "label"), Column("m", "m", MINUTES), Column("c", "c", CHANGE)],
                rows=[Row("a", "a", {"m": median, "c": change})],
                partition=False,
            )
        ]
    )
    assert (median.text, change.text) == ("—", "—")
    assert (median.export_value, change.export_value) == ("", "")
    assert table.rows[0].cells["m"].suppressed


@pytest.mark.django_db
def test_the_dashboard_of_a_small_month_suppresses_every_small_cell(visit, training, job, ages):
    october(visit, training, job, ages)
    tables = {t.key: t for t in figures.dashboard(Period.of("month", OCTOBER))}
    by_area = tables["visits-by-area"]
    # 7 in B, 4 in C: C is small, and B would give it away (11 − 7).
    assert [row.cells["visits"].text for row in by_area.rows] == ["—", "< 5"]
    assert by_area.total.cells["visits"].text == "11"
    key = {row.code: row.cells["value"] for row in tables["key-figures"].rows}
    assert key["visits"].text == "11"
    assert key["no-shows"].text == "< 5"
    assert key["wait-median"].text == "10 min"  # 9 waits
    waiting = {row.code: row.cells["median"] for row in tables["waiting-by-area"].rows}
    assert waiting["find-job"].suppressed and waiting["find-job"].text == "—"  # 2 waits
    assert not waiting["find-training"].suppressed  # 7 waits
    heat = [s for row in tables["arrivals-heatmap"].rows for s in row.cells.values() if s.value]
    assert heat and all(s.suppressed for s in heat)  # no weekday-hour cell reaches 5


# --- Linked tables, worked by hand ---------------------------------------------------------------
# A count is named by its ref, the same in every table that shows it; V is the period's visits.

COLUMNS = [Column("label", "", "label"), Column("visits", "Visits", COUNT)]


def counts(key, cells, *, total=None, relations=(), partition=True):
    """A table of counts: `cells` is [(ref, value)], `total` (ref, value, public?) or None."""
    rows = [Row(str(ref), str(ref), {"visits": Stat(value, ref=(False, ref))}) for ref, value in cells]
    total_row = None
    if total is not None:
        ref, value, public = total
        total_row = Row(None, "Total", {"visits": Stat(value, whole=public, ref=(False, ref))})
    return Table(
        key=key,
        title=key,
        columns=COLUMNS,
        rows=rows,
        total=total_row,
        partition=partition,
        relations=[([(False, r) for r in totals], [(False, r) for r in parts]) for totals, parts in relations],
    )


def shown(tables):
    """{ref: text} of every count, checking that each reads the same in every table."""
    result = {}
    for table in tables:
        for row in [*table.rows, *([table.total] if table.total else [])]:
            stat = row.cells["visits"]
            assert result.setdefault(stat.ref[1], stat.text) == stat.text
    return result


def test_the_key_figures_cannot_give_back_the_first_visit_breakdown_s_small_cell():
    """The issue: 20 first visits, 30 returns, 2 unanswered out of 52. The breakdown withholds the 2 and
    the 20 beside it; the key figures showed 52, 20 and 30, and 52 − 20 − 30 = 2."""
    breakdown = counts("first-visits", [("first", 20), ("return", 30), ("unanswered", 2)], total=("V", 52, True))
    key_figures = counts("key-figures", [("V", 52), ("first", 20), ("return", 30)], partition=False)
    key_figures.rows[0].cells["visits"].whole = True
    tables = protect([breakdown, key_figures])
    assert shown(tables) == {"V": "52", "first": "—", "return": "30", "unanswered": "< 5"}
    assert recomputable(tables) == {}


def test_two_small_cells_that_add_up_to_two_are_each_one_so_a_third_is_withheld():
    """12, 1, 1, 25 of 39: the two withheld cells add up to 39 − 12 − 25 = 2, and each is at least 1."""
    tables = protect([counts("t", [("a", 12), ("b", 1), ("c", 1), ("d", 25)], total=("V", 39, True))])
    assert shown(tables) == {"a": "—", "b": "< 5", "c": "< 5", "d": "25", "V": "39"}
    assert recomputable(tables) == {}


def test_the_next_smallest_cell_is_not_enough_when_it_is_five_and_the_small_one_is_one():
    """12, 1, 5, 25 of 43: withholding the 5 leaves 1 + 5 = 6 to share between a "< 5" (at least 1)
    and a "—" (at least 5): 1 and 5, both given away. The 12 goes too."""
    tables = protect([counts("t", [("a", 12), ("b", 1), ("c", 5), ("d", 25)], total=("V", 43, True))])
    assert shown(tables) == {"a": "—", "b": "< 5", "c": "—", "d": "25", "V": "43"}
    assert recomputable(tables) == {}


def test_a_breakdown_with_nothing_left_to_withhold_beside_its_small_count_withholds_its_zeros_too():
    """3 visits, all first visits: 0 and 0 beside a "< 5" say it is the 3 of the total. The zeros are
    withheld too, and nothing says the 3 is small, or the reader would still know it is the 3."""
    tables = protect([counts("t", [("first", 3), ("return", 0), ("unanswered", 0)], total=("V", 3, True))])
    assert shown(tables) == {"first": "—", "return": "—", "unanswered": "—", "V": "3"}
    assert [row.cells["visits"].export_value for row in tables[0].rows] == ["", "", ""]
    assert recomputable(tables) == {}


def test_a_total_split_into_small_counts_only_does_not_say_they_are_small():
    """8 visits: 4 first visits and 4 returns. Two "< 5" that add up to 8 are two 4s."""
    tables = protect([counts("t", [("first", 4), ("return", 4)], total=("V", 8, True))])
    assert shown(tables) == {"first": "—", "return": "—", "V": "8"}
    assert recomputable(tables) == {}


def test_served_no_shows_and_left_add_up_to_the_visits():
    """40 visits: 30 served, 3 no-shows, 7 left. The 3 would be 40 − 30 − 7."""
    key_figures = counts(
        "key-figures",
        [("V", 40), ("served", 30), ("no-shows", 3), ("left", 7)],
        partition=False,
        relations=[(["V"], ["served", "no-shows", "left"])],
    )
    key_figures.rows[0].cells["visits"].whole = True
    tables = protect([key_figures])
    assert shown(tables) == {"V": "40", "served": "30", "no-shows": "< 5", "left": "—"}
    assert recomputable(tables) == {}


def test_relations_solved_together_can_give_back_what_none_gives_alone():
    """a = 2 is withheld with b in one table and with c in another; b and c share a third table. Each
    table then has two withheld cells, yet a + b = 10, b + c = 17 and a + c = 11 give a = 2: a
    third cell of a's tables is withheld too (the smallest, 20)."""
    tables = protect(
        [
            counts("t1", [("a", 2), ("b", 8), ("p1", 20)], total=("V1", 30, True)),
            counts("t2", [("b", 8), ("c", 9), ("p2", 30)], total=("V2", 47, True)),
            counts("t3", [("a", 2), ("c", 9), ("p3", 40)], total=("V3", 51, True)),
        ]
    )
    assert shown(tables) == {
        "a": "< 5",
        "b": "—",
        "c": "—",
        "p1": "—",
        "p2": "30",
        "p3": "40",
        "V1": "30",
        "V2": "47",
        "V3": "51",
    }
    assert recomputable(tables) == {}


def test_a_relation_that_does_not_hold_is_not_used():
    """A stated relation the counts do not satisfy (a visit counted under two institutions of the same
    kind) tells a reader nothing, and withholds nothing."""
    table = counts("t", [("a", 12), ("b", 7)], partition=False, relations=[(["a"], ["b"])])
    assert shown(protect([table])) == {"a": "12", "b": "7"}


def test_a_count_is_withheld_the_same_in_every_table_that_shows_it():
    """The arrivals of 10:00 are a row of the hours and the total of a column of weekday × hour."""
    hours = counts("hours", [("h9", 6), ("h10", 4), ("h11", 5)], total=("V", 15, True))
    heatmap = counts("heatmap", [("tue-10", 4), ("wed-10", 0)], total=("h10", 4, False))
    tables = protect([hours, heatmap])
    assert shown(tables) == {"h9": "6", "h10": "< 5", "h11": "—", "V": "15", "tue-10": "< 5", "wed-10": "0"}
    assert recomputable(tables) == {}


def test_the_previous_period_is_withheld_as_its_own_tables_withhold_it():
    """September alone: a second relation of its own (not shown beside October) withholds its 9.
    Beside October, its cells keep that decision, so the two pages together give nothing away."""

    def month(previous, values):
        ref = lambda name: (previous, name)  # noqa: E731
        cells = [("a", values[0]), ("b", values[1]), ("c", values[2])]
        return Table(
            key="t",
            title="t",
            columns=COLUMNS,
            rows=[Row(n, n, {"visits": Stat(v, ref=ref(n))}) for n, v in cells],
            total=Row(None, "Total", {"visits": Stat(sum(values), whole=True, ref=ref("V"))}),
        )

    september_alone = [month(False, (3, 9, 30)), counts("other", [("b", 9), ("d", 20)], total=("W", 29, True))]
    october = [month(True, (3, 9, 30))]  # September's cells as October's previous column
    protect(october, previous_tables=september_alone)
    protect(september_alone)
    assert [row.cells["visits"].text for row in october[0].rows] == ["< 5", "—", "30"]
    assert [row.cells["visits"].text for row in september_alone[0].rows] == ["< 5", "—", "30"]


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    grid=st.integers(min_value=2, max_value=3).flatmap(
        lambda rows: st.integers(min_value=2, max_value=3).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(min_value=0, max_value=7), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_withheld_count_of_a_table_with_both_margins_can_be_recomputed(grid):
    """Weekday × hour with its hour totals and its weekdays' totals (the series by day) published,
    and the period's visits: a reader who tries every value finds none pinned."""
    rows, cols = len(grid), len(grid[0])
    by_row = [sum(line) for line in grid]
    by_col = [sum(grid[r][c] for r in range(rows)) for c in range(cols)]
    total = ("V", sum(by_row), True)
    tables = [
        counts("rows", [(f"r{r}", by_row[r]) for r in range(rows)], total=total),
        counts("cols", [(f"c{c}", by_col[c]) for c in range(cols)], total=total),
    ]
    cells = Table(
        key="grid",
        title="grid",
        columns=[Column("label", "", "label"), *[Column(f"c{c}", "", COUNT) for c in range(cols)]],
        rows=[
            Row(f"r{r}", "", {f"c{c}": Stat(grid[r][c], ref=(False, "cell", r, c)) for c in range(cols)})
            for r in range(rows)
        ],
        total=Row(None, "Total", {f"c{c}": Stat(by_col[c], ref=(False, f"c{c}")) for c in range(cols)}),
        relations=[([(False, f"r{r}")], [(False, "cell", r, c) for c in range(cols)]) for r in range(rows)],
    )
    tables = protect([*tables, cells])
    small = [
        stat
        for table in tables
        for row in [*table.rows, table.total]
        for stat in row.cells.values()
        if 0 < stat.value < 5 and not stat.whole
    ]
    assert all(stat.suppressed for stat in small)
    assert recomputable(tables) == {}
