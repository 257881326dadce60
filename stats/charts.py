"""Charts drawn on the server as SVG: the geometry of each chart, which templates/stats/charts/*.html draw.

Every chart is an image with a title and a description (role="img"), followed on the page by the
table it is drawn from; colours come from the stylesheet through classes (a strict CSP forbids
inline styles), and small counts are never drawn (a suppressed bar or point is left out and the
table says "< 5").
"""

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stats.tables import COUNT

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 90
ROW = 30
BAR = 16
MAX_LABEL = 28  # characters: longer labels are cut, the table beside gives them whole
MOST_TICKS = 5  # steps of a bar chart's axis at most: 320 px of plot, so tick labels stay 64 px apart


def nice_ticks(value, *, most=5, whole=False):
    """Round ticks from 0 to at least `value`: steps of 1, 2 or 5 × 10ⁿ (1 000, 2 000…, never 625), at
    most `most` steps, and whole numbers only when `whole` (counts, minutes). Returns (the ticks, the
    top of the axis)."""
    if value <= 0:
        return [0, 1], 1
    rough = value / most
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    if whole:
        step = max(step, 1)
    if step >= 1:
        step = int(step)
    count = math.ceil(value / step - 1e-9)
    return [n * step for n in range(count + 1)], count * step


def _wrapped(label, width=MAX_LABEL):
    """A label on one or two lines of about `width` characters, cut on words; a longer one ends with "…"
    (the full label is the text's title and is in the table)."""
    words, lines = str(label).split(), [""]
    for word in words:
        if len(lines[-1]) + len(word) + bool(lines[-1]) <= width:
            lines[-1] = f"{lines[-1]} {word}".strip()
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}"
    if len(lines[-1]) > width:
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    lines = [line if len(line) <= width else line[: width - 1] + "…" for line in lines]
    return lines


def _label(label):
    """What a chart draws of a line's label: its lines, and its full text when they shorten it."""
    lines = _wrapped(label)
    return {"full": str(label), "lines": lines, "shortened": " ".join(lines) != " ".join(str(label).split())}


def chart_for(table):
    """The chart of `table` (a dict for its template), or None for tables drawn as tables only."""
    builder = {"bars": bars, "minutes": minutes, "heatmap": heatmap, "lines": lines}.get(table.chart)
    return builder(table) if builder and table.rows else None  # an empty table says so, without a chart


def _bar_column(table):
    keys = [c.key for c in table.columns]
    for key in ("share", "no_show_rate"):
        if key in keys:
            return key
    return next(c.key for c in table.value_columns)


def bars(table):
    """Horizontal bars of the current period's shares, with a mark at the previous period's."""
    key = _bar_column(table)
    previous_key = "previous_share" if key == "share" and "previous_share" in {c.key for c in table.columns} else None
    values = [row.cells[key] for row in table.rows]
    scale_values = [s.value for s in values if s.value is not None and not s.suppressed]
    if previous_key:
        scale_values += [r.cells[previous_key].value for r in table.rows if _drawable(r.cells[previous_key])]
    kind = table.column(key).kind
    ticks, top = nice_ticks(max(scale_values, default=0), most=MOST_TICKS, whole=kind == COUNT)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for index, row in enumerate(table.rows):
        stat = row.cells[key]
        y = index * ROW
        bar = {
            "y": y + (ROW - BAR) / 2,
            "text_y": y + ROW / 2 + 5,
            "label": _label(row.label),
            "css": row.css,
            "width": round(plot * stat.value / top, 1) if _drawable(stat) else 0,
            "text": stat.text,
            "drawn": _drawable(stat),
        }
        bar["text_x"] = LABEL_WIDTH + bar["width"] + 6
        if previous_key and _drawable(row.cells[previous_key]):
            bar["previous_x"] = round(LABEL_WIDTH + plot * row.cells[previous_key].value / top, 1)
            bar["previous_y1"], bar["previous_y2"] = y + 3, y + ROW - 3
            # The value goes beyond the previous period's mark, never over it.
            bar["text_x"] = round(max(bar["text_x"], bar["previous_x"] + 6), 1)
        rows.append(bar)
    return {
        "template": "stats/charts/bars.html",
        "id": f"chart-{table.key}",
        "title": table.title,
        "description": _("Bar chart: %(column)s for each line of the table below, which gives every figure.")
        % {"column": table.column(key).label.lower()}
        + (" " + _("A vertical mark shows the previous period.") if previous_key else ""),
        "width": WIDTH,
        "height": max(len(rows), 1) * ROW + (48 if previous_key else 24),
        "rows": rows,
        "axis_y": len(rows) * ROW + 4,
        "axis_text_y": len(rows) * ROW + 18,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR,
        "plot_end": LABEL_WIDTH + plot,
        "ticks": _ticks(ticks, top, plot, len(rows), lambda tick: _scale_text(tick, kind)),
        "has_previous": bool(previous_key),
        "legend_y": len(rows) * ROW + 40,
        "legend": [
            {"css": "chart-bar", "text": _("This period"), "x": LABEL_WIDTH},
            {"css": "chart-previous", "text": _("Previous period"), "x": LABEL_WIDTH + 150},
        ]
        if previous_key
        else [],
    }


def _drawable(stat):
    return stat is not None and stat.value is not None and not stat.suppressed


def _scale_text(value, kind):
    decimals = 0 if value == int(value) else 1  # a share axis of small values steps by 0.2 or 0.5 %
    if kind == COUNT:
        return number_format(value, decimals, force_grouping=True)
    return f"{number_format(value, decimals)} %"


def _ticks(ticks, top, plot, count, text):
    """The round ticks of a horizontal bar chart's axis (0, 1 000, 2 000… or 0, 10, 20… min), each past
    0 with a faint vertical line across the `count` bars; the first label starts at 0, the others are
    centred on their tick (the last one in the room left for the values): at most MOST_TICKS steps, so
    two labels never touch."""
    return [
        {
            "x": round(LABEL_WIDTH + plot * tick / top, 1),
            "text": text(tick),
            "anchor": "middle" if n else "start",
            "grid": n > 0,
            "grid_y2": count * ROW + 4,
        }
        for n, tick in enumerate(ticks)
    ]


def minutes(table):
    """Horizontal bars of median and 90th percentile times, in minutes."""
    values = [row.cells[key].value for row in table.rows for key in ("median", "p90") if _drawable(row.cells.get(key))]
    ticks, top = nice_ticks(max(values, default=0), most=MOST_TICKS, whole=True)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for index, row in enumerate(table.rows):
        median, p90 = row.cells["median"], row.cells["p90"]
        y = index * ROW
        entry = {
            "label": _label(row.label),
            "css": row.css,
            "y": y + (ROW - BAR) / 2,
            "median_y": y + (ROW - BAR) / 2 + 3,
            "text_y": y + ROW / 2 + 5,
            "median": round(plot * median.value / top, 1) if _drawable(median) else 0,
            "p90": round(plot * p90.value / top, 1) if _drawable(p90) else 0,
            "drawn": _drawable(median),
            "text": f"{median.text} · {p90.text}" if _drawable(median) else median.text,
        }
        entry["text_x"] = LABEL_WIDTH + max(entry["median"], entry["p90"]) + 6
        rows.append(entry)
    return {
        "template": "stats/charts/minutes.html",
        "id": f"chart-{table.key}",
        "title": table.title,
        "description": _(
            "Bar chart: median time (dark) and 90th percentile (light) for each line of the table below, in minutes."
        ),
        "width": WIDTH,
        "height": max(len(rows), 1) * ROW + 24,
        "rows": rows,
        "axis_y": len(rows) * ROW + 4,
        "axis_text_y": len(rows) * ROW + 18,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR,
        "median_height": BAR - 6,
        "plot_end": LABEL_WIDTH + plot,
        "ticks": _ticks(ticks, top, plot, len(rows), lambda tick: _("%(minutes)d min") % {"minutes": tick}),
    }


HEAT_CELL_WIDTH = 44
HEAT_CELL_HEIGHT = 30
HEAT_LABEL = 96
HEAT_LEVELS = 5


def heatmap(table):
    """Weekday × hour grid: the more arrivals, the darker the cell; each cell also says its count."""
    columns = table.value_columns
    highest = max((s.value for row in table.rows for s in row.cells.values() if _drawable(s)), default=0)
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, column in enumerate(columns):
            stat = row.cells[column.key]
            level = math.ceil(HEAT_LEVELS * stat.value / highest) if _drawable(stat) and highest else 0
            cells.append(
                {
                    "x": HEAT_LABEL + c * HEAT_CELL_WIDTH,
                    "text_x": HEAT_LABEL + c * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH / 2,
                    "css": "heat-small" if stat.suppressed else f"heat-{level}",
                    "text": "" if stat.value == 0 and not stat.suppressed else stat.text,
                }
            )
        rows.append(
            {
                "y": 24 + r * HEAT_CELL_HEIGHT,
                "label_x": HEAT_LABEL - 8,
                "text_y": 24 + r * HEAT_CELL_HEIGHT + HEAT_CELL_HEIGHT / 2 + 4,
                "label": row.label,
                "cells": cells,
            }
        )
    return {
        "template": "stats/charts/heatmap.html",
        "id": f"chart-{table.key}",
        "title": table.title,
        "description": _(
            "Heat map: one line per weekday, one column per hour; the darker the cell, the more arrivals. "
            "Each cell gives its count; the table below gives them too."
        ),
        "width": HEAT_LABEL + len(columns) * HEAT_CELL_WIDTH + 4,
        "height": 24 + len(rows) * HEAT_CELL_HEIGHT + 4,
        "cell_width": HEAT_CELL_WIDTH - 2,
        "cell_height": HEAT_CELL_HEIGHT - 2,
        "hours": [
            {"x": HEAT_LABEL + c * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH / 2, "text": column.label}
            for c, column in enumerate(columns)
        ],
        "rows": rows,
    }


LINE_WIDTH = 960
LINE_LEFT = 64
LINE_TOP = 16
LINE_HEIGHT = 220
MAX_X_LABELS = 16


def lines(table):
    """Visits over the period (solid) and over the previous period (dashed), bucket by bucket."""
    plot = LINE_WIDTH - LINE_LEFT - 48  # room for the last label, centred on the last point
    keys = [key for key in ("previous", "visits") if key in {c.key for c in table.columns}]
    # The axis stops where the data stops: the days still to come of a running period are left out.
    rows = list(table.rows)
    while len(rows) > 1 and rows[-1].cells["visits"].value is None and not rows[-1].cells["visits"].suppressed:
        rows.pop()
    count = len(rows)
    values = [row.cells[key].value for row in rows for key in keys if _drawable(row.cells[key])]
    ticks, top = nice_ticks(max(values, default=0))
    step = plot / max(count - 1, 1)

    def point(index, stat):
        return round(LINE_LEFT + index * step, 1), round(LINE_TOP + LINE_HEIGHT * (1 - stat.value / top), 1)

    series = []
    for key, css in [("previous", "line-previous"), ("visits", "line-current")]:
        if key not in keys:
            continue
        label = table.column(key).label
        segments, current = [], []
        for index, row in enumerate(rows):
            stat = row.cells[key]
            if _drawable(stat):
                current.append(point(index, stat))
            elif current:
                segments.append(current)
                current = []
        if current:
            segments.append(current)
        series.append(
            {
                "css": css,
                "label": label,
                "segments": [" ".join(f"{x},{y}" for x, y in segment) for segment in segments],
                "dots": [xy for segment in segments for xy in segment] if count <= 40 else [],
            }
        )
    every = max(1, math.ceil(count / MAX_X_LABELS))
    return {
        "template": "stats/charts/lines.html",
        "id": f"chart-{table.key}",
        "title": table.title,
        "description": _(
            "Line chart: visits of the period (solid line) and of the previous period (dashed line), "
            "in the order of the table below, which gives every figure."
        ),
        "width": LINE_WIDTH,
        "height": LINE_TOP + LINE_HEIGHT + 44,
        "left": LINE_LEFT,
        "right": LINE_LEFT + plot,
        "bottom": LINE_TOP + LINE_HEIGHT,
        "label_y": LINE_TOP + LINE_HEIGHT + 18,
        "tick_x": LINE_LEFT - 8,
        "grid": [
            {
                "y": round(LINE_TOP + LINE_HEIGHT * (1 - tick / top), 1),
                "text_y": round(LINE_TOP + LINE_HEIGHT * (1 - tick / top) + 4, 1),
                "text": number_format(tick, 0, force_grouping=True),
            }
            for tick in ticks
        ],
        "legend": _legend(series[::-1], LINE_TOP + LINE_HEIGHT + 40) if len(series) > 1 else [],
        "x_labels": [
            {"x": round(LINE_LEFT + index * step, 1), "text": row.label}
            for index, row in enumerate(rows)
            if index % every == 0
        ],
        "series": series,
    }


def _legend(series, y):
    """A line sample and its label for each series, side by side."""
    items, x = [], LINE_LEFT
    for entry in series:
        items.append(
            {
                "x1": x,
                "x2": x + 24,
                "line_y": y - 4,
                "text_x": x + 30,
                "y": y,
                "css": entry["css"],
                "text": entry["label"],
            }
        )
        x += 30 + 7 * len(str(entry["label"])) + 24
    return items
