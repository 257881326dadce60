"""Small-count suppression: no cell of a breakdown shows fewer than 5 visitors, on screen or in a file."""

import pytest

from stats import figures
from stats.periods import Period
from stats.tables import CHANGE, COUNT, MINUTES, SHARE, Column, Row, Stat, Table, suppress
from tests.stats.dataset import OCTOBER, october


def breakdown(*counts, total=None):
    rows = [
        Row(str(n), f"line {n}", {"visits": Stat(count), "share": Stat(count * 10.0, SHARE, basis=count)})
        for n, count in enumerate(counts)
    ]
    total_row = Row(None, "Total", {"visits": Stat(total or sum(counts), whole=True)})
    columns = [Column("label", "", "label"), Column("visits", "Visits", COUNT), Column("share", "Share", SHARE)]
    return suppress(Table(key="t", title="t", columns=columns, rows=rows, total=total_row))


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
    table = suppress(
        Table(
            key="t",
            title="t",
            columns=[Column("label", "", "label"), Column("m", "m", MINUTES), Column("c", "c", CHANGE)],
            rows=[Row("a", "a", {"m": median, "c": change})],
            partition=False,
        )
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
