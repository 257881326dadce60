"""The bar and duration charts' axes: round ticks between 0 and the end, labels that never touch,
in both languages."""

import itertools
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from stats import charts
from stats.tables import COUNT, MINUTES, SHARE, Column, Row, Stat, Table

LONGEST_AREA = "Changer sa vie professionnelle et travailler à l’international"


def counts_table(*values):
    columns = [Column("label", "Area", "label"), Column("visits", "Visits", COUNT)]
    rows = [Row(f"a{n}", f"{LONGEST_AREA} {n}", {"visits": Stat(value, COUNT)}) for n, value in enumerate(values)]
    return Table(key="counts", title="Visits", columns=columns, rows=rows, chart="bars")


def shares_table(now, before):
    columns = [
        Column("label", "Area", "label"),
        Column("share", "Share", SHARE),
        Column("previous_share", "Previous share", SHARE),
    ]
    rows = [
        Row(f"a{n}", LONGEST_AREA, {"share": Stat(a, SHARE, basis=50), "previous_share": Stat(b, SHARE, basis=50)})
        for n, (a, b) in enumerate(zip(now, before, strict=True))
    ]
    return Table(key="shares", title="Shares", columns=columns, rows=rows, chart="bars")


def minutes_table(*pairs):
    columns = [Column("label", "Area", "label"), Column("median", "Median", MINUTES), Column("p90", "P90", MINUTES)]
    rows = [
        Row(f"a{n}", LONGEST_AREA, {"median": Stat(m, MINUTES, basis=40), "p90": Stat(p, MINUTES, basis=40)})
        for n, (m, p) in enumerate(pairs)
    ]
    return Table(key="waits", title="Waits", columns=columns, rows=rows, chart="minutes")


def label_extents(ticks, char_width=7):
    """Where each tick label is drawn, [start, end] in px (11 px text: at most 7 px a character)."""
    extents = []
    for tick in ticks:
        width = char_width * len(tick["text"])
        start = {"start": tick["x"], "middle": tick["x"] - width / 2, "end": tick["x"] - width}[tick["anchor"]]
        extents.append((start, start + width))
    return extents


def assert_readable(chart):
    ticks = chart["ticks"]
    assert 3 <= len(ticks) <= charts.MOST_TICKS + 1
    xs = [t["x"] for t in ticks]
    assert xs[0] == chart["label_width"] and xs[-1] == chart["plot_end"]
    steps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert max(steps) - min(steps) <= 0.2  # evenly spaced
    extents = label_extents(ticks)
    assert all(a[1] + 8 <= b[0] for a, b in itertools.pairwise(extents)), extents  # never touching
    assert extents[-1][1] <= chart["width"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["0", "1,000", "2,000", "3,000", "4,000", "5,000"]),
        ("fr", ["0", "1 000", "2 000", "3 000", "4 000", "5 000"]),
    ],
)
def test_a_bar_chart_of_counts_has_round_thousands_between_0_and_its_end(language, expected):
    with translation.override(language):
        chart = charts.chart_for(counts_table(4321, 1250, 830))
        texts = [t["text"].replace("\u202f", " ").replace("\xa0", " ") for t in chart["ticks"]]
        assert texts[:2] == expected[:2] and texts[-1] in expected  # never 625 / 1 250 / 1 875
        assert all(int(re.sub(r"\D", "", text)) % 1000 == 0 for text in texts)
        assert_readable(chart)
        svg = render_to_string(chart["template"], {"chart": chart})
    assert svg.count('class="chart-grid"') == len(chart["ticks"]) - 1  # a faint line at each tick past 0
    for tick in chart["ticks"]:
        assert f'text-anchor="{tick["anchor"]}">{tick["text"]}</text>' in svg


def test_a_bar_chart_of_shares_steps_by_round_percentages_and_keeps_the_previous_mark_off_the_value():
    with translation.override("en"):
        chart = charts.chart_for(shares_table([37.5, 12.0, 50.5], [41.0, 8.0, 50.0]))
    assert [t["text"] for t in chart["ticks"]] == ["0 %", "20 %", "40 %", "60 %"]
    assert_readable(chart)
    for row in chart["rows"]:
        assert row["text_x"] >= row.get("previous_x", 0) + 6  # the value is past the previous period's mark


def test_small_shares_get_decimal_ticks_and_small_counts_whole_ones():
    with translation.override("en"):
        shares = charts.chart_for(shares_table([0.8, 0.3], [0.5, 0.2]))
        counts = charts.chart_for(counts_table(3, 2))
    assert [t["text"] for t in shares["ticks"]] == ["0 %", "0.2 %", "0.4 %", "0.6 %", "0.8 %"]
    assert [t["text"] for t in counts["ticks"]] == ["0", "1", "2", "3"]  # no half visitor


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_duration_chart_has_round_minutes_and_whole_ones_only(language):
    with translation.override(language):
        chart = charts.chart_for(minutes_table((12, 47), (5, 31)))
        assert [t["text"] for t in chart["ticks"]] == ["0 min", "10 min", "20 min", "30 min", "40 min", "50 min"]
        assert_readable(chart)
        short = charts.chart_for(minutes_table((0, 1)))
        assert [t["text"] for t in short["ticks"]] == ["0 min", "1 min"]
        svg = render_to_string(chart["template"], {"chart": chart})
    assert svg.count('class="chart-grid"') == 5
    assert chart["rows"][0]["label"]["shortened"]  # the longest label is wrapped, whole in its title
