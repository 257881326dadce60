"""One day built by hand, its every figure worked out below, read through every output: the dashboard,
each CSV file, the XLSX workbook, the annual report and the network file agree with the figures and
with each other, counted live or from the rollup, and no published number gives a withheld one back.

Tuesday 7 October 2025, areas B (find training) and C (find a job), fifteen visits:

    visit  arrives  area  visit      waits (min)   sessions (min)
     1     09:00    B     first      4             12 (the ticket says 20: the session was corrected)
     2     09:05    B     first      6             15
     3     09:10    B     return     8             18
     4     09:20    B     first      10            22
     5     09:30    C     return     3             12
     6     09:40    C     return     5             14
     7     10:00    B→C   first      5 in B, 10 in C (a referral after 25 min)   25 in B, 15 in C
     8     10:05    C     first      7             — (a no-show)
     9     10:30    C     return     — (a walk-in) 16
    10     10:45    B     return     9             11
    11     11:00    C     first      6             19
    12     11:10    B     return     12            13
    13     11:20    C     —          2             10
    14     11:30    B     —          4             17
    15     11:40    B     return     8             21

Visits 15: 6 first visits, 7 returns, 2 not answered; 8 ended in B, 7 in C (the referral ends in C).
Served 14, no-shows 1, left 0, walk-ins 1. Arrivals by hour: 6 at 9:00, 4 at 10:00, 5 at 11:00.
Waits (15, one per stint; the walk-in has none): 2 3 4 4 5 5 6 6 7 8 8 9 10 10 12, median the 8th
(6 min), 90th percentile the 14th (10 min); in B 4 4 5 6 8 8 9 10 12 (8 and 12), in C 2 3 5 6 7 10
(5 and 10); by the hour they began: 9:00 3 4 5 6 8 10 (5, 10), 10:00 four waits (5, 7, 9 and the
referral's second, which began at 10:30), 11:00 2 4 6 8 12 (6, 12).
Sessions (15, the referral's two each in its area, the corrected one at 12): 10 11 12 12 13 14 15 15
16 17 18 19 21 22 25, median 15, 90th percentile 22; in B 11 12 13 15 17 18 21 22 25 (17, 25), in C
10 12 14 15 16 19 (14, 19).

Withheld (threshold 5): the 2 not answered ("< 5") and, so that 15 − 7 cannot give them back, the 6
first visits ("—"), in the breakdown and the key figures alike; the no-show ("< 5") and, so that
15 − 0 cannot give it back, the 14 served ("—"); the walk-in ("< 5"); the 4 arrivals and 4 waits of
10:00 ("< 5") and, so that 15 − 6 cannot give them back, the 5 of 11:00 ("—"), in the series, the
weekday × hour chart and the waits by hour alike; the median of the 4 waits of 10:00; the referral
to C and its total ("< 5").
"""

import csv
import datetime
import io
import json
import re
import zipfile
from html import unescape

import pytest
from lxml import etree

from counselling.models import Referral, Session
from reception.models import Ticket
from stats import figures, network
from stats.models import RolledDay
from stats.periods import Period
from stats.services import roll_up
from tests.factories import local
from tests.stats.disclosure_check import recomputable

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 10, 7)
QUERY = f"period=day&date={DAY}"


@pytest.fixture
def day(visit, referral, training, job):
    def at(hour, minute):
        return local(DAY, hour, minute)

    corrected = visit(training, at(9, 0), wait=4, session=20, first_visit=True)
    session = Session.objects.get(ticket=corrected)
    Session.objects.filter(pk=session.pk).update(ended_at=session.started_at + datetime.timedelta(minutes=12))
    visit(training, at(9, 5), wait=6, session=15, first_visit=True)
    visit(training, at(9, 10), wait=8, session=18, first_visit=False)
    visit(training, at(9, 20), wait=10, session=22, first_visit=True)
    visit(job, at(9, 30), wait=3, session=12, first_visit=False)
    visit(job, at(9, 40), wait=5, session=14, first_visit=False)
    referred = referral(training, job, at(10, 0), waits=(5, 10), sessions=(25, 15), first_visit=True)
    Referral.objects.create(session=referred.sessions.get(area=training), area=job)
    visit(job, at(10, 5), wait=7, status=Ticket.Status.NO_SHOW, first_visit=True)
    visit(job, at(10, 30), walk_in=True, session=16, first_visit=False)
    visit(training, at(10, 45), wait=9, session=11, first_visit=False)
    visit(job, at(11, 0), wait=6, session=19, first_visit=True)
    visit(training, at(11, 10), wait=12, session=13, first_visit=False)
    visit(job, at(11, 20), wait=2, session=10)
    visit(training, at(11, 30), wait=4, session=17)
    visit(training, at(11, 40), wait=8, session=21, first_visit=False)


def dashboard():
    return {table.key: table for table in figures.dashboard(Period.of("day", DAY))}


def texts(table, column):
    rows = [*table.rows, *([table.total] if table.total else [])]
    return {row.code: row.cells[column].text for row in rows if column in row.cells}


def test_the_dashboard_shows_the_figures_worked_out_by_hand(day):
    tables = dashboard()
    assert texts(tables["key-figures"], "value") == {
        "visits": "15",
        "first-visits": "—",
        "returns": "7",
        "served": "—",
        "walk-ins": "< 5",
        "no-shows": "< 5",
        "left": "0",
        "wait-median": "6 min",
        "wait-p90": "10 min",
        "session-median": "15 min",
        "session-p90": "22 min",
    }
    assert texts(tables["first-visits"], "visits") == {"first": "—", "return": "7", None: "15"}
    assert tables["first-visits"].rows[-1].cells["visits"].text == "< 5"  # not answered
    assert texts(tables["visits-by-area"], "visits") == {"find-training": "8", "find-job": "7", None: "15"}
    for key, column in [("visits-over-time", "visits"), ("waiting-by-hour", "arrivals")]:
        shown = texts(tables[key], column)
        assert (shown["09"], shown["10"], shown["11"]) == ("6", "< 5", "—"), key
    heatmap = tables["arrivals-heatmap"]
    tuesday = next(row for row in heatmap.rows if row.code == "2")
    assert [tuesday.cells[hour].text for hour in ("09", "10", "11", "12")] == ["6", "< 5", "—", "0"]
    assert [heatmap.total.cells[hour].text for hour in ("09", "10", "11")] == ["6", "< 5", "—"]

    def durations(key):
        return {
            row.code: tuple(row.cells[c].text for c in ("measured", "median", "p90"))
            for row in [*tables[key].rows, tables[key].total]
        }

    assert durations("waiting-by-area") == {
        "find-training": ("9", "8 min", "12 min"),
        "find-job": ("6", "5 min", "10 min"),
        None: ("15", "6 min", "10 min"),
    }
    assert durations("sessions-by-area") == {
        "find-training": ("9", "17 min", "25 min"),
        "find-job": ("6", "14 min", "19 min"),
        None: ("15", "15 min", "22 min"),
    }
    assert durations("waiting-by-hour") == {
        "09": ("6", "5 min", "10 min"),
        "10": ("< 5", "—", "—"),
        "11": ("—", "6 min", "12 min"),
        None: ("15", "6 min", "10 min"),
    }
    no_shows = {row.code: [cell.text for cell in cells] for row, cells in tables["no-shows-by-area"].grid}
    assert no_shows == {"find-training": ["0", "8", "0,0 %", "0"], "find-job": ["< 5", "7", "—", "0"]}
    assert [cell.text for cell in tables["no-shows-by-area"].total_cells] == ["< 5", "15", "—", "0"]
    assert texts(tables["session-figures"], "value") == {
        "sessions": "15",
        "visits-with-session": "14",
        "outcome-yes": "0",
        "outcome-partly": "0",
        "outcome-no": "0",
        "referrals": "1",
        "documents-handed": "0",
    }
    assert texts(tables["referrals-to-area"], "visits") == {"find-job": "< 5", None: "< 5"}


def test_no_combination_of_the_published_numbers_gives_a_withheld_one_back(day):
    assert recomputable(list(dashboard().values())) == {}


def csv_files(client):
    """{table key: rows of its CSV file}, every table of the dashboard downloaded."""
    files = {}
    for key in dashboard():
        response = client.get(f"/statistics/export/{key}.csv?{QUERY}&csv=en")  # commas: the values as written
        assert response.status_code == 200
        files[key] = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    return files


def workbook(client):
    """{sheet title: rows from the header down}, of the workbook of every table."""
    response = client.get(f"/statistics/export/all.xlsx?{QUERY}")
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        strings = [
            "".join(si.itertext()) for si in etree.fromstring(book.read("xl/sharedStrings.xml")).findall("x:si", ns)
        ]
        names = [unescape(n) for n in re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode())]
        sheets = {}
        for n, name in enumerate(names, start=1):
            rows = []
            for row in etree.fromstring(book.read(f"xl/worksheets/sheet{n}.xml")).iterfind(".//x:row", ns):
                line = {}
                for cell in row.findall("x:c", ns):
                    column = re.match(r"[A-Z]+", cell.get("r")).group()
                    value = cell.findtext("x:v", default="", namespaces=ns)
                    if cell.get("t") == "s":
                        value = strings[int(value)]
                    line[ord(column) - ord("A")] = value
                rows.append((int(row.get("r")), line))
            sheets[name] = [[line.get(c, "") for c in range(max(line) + 1)] for r, line in rows if r >= 5]
    return sheets


def same(line):
    """A line of a file with its numbers as numbers: 100.0 in a CSV file is 100 in a workbook."""

    def number(text):
        try:
            return float(text)
        except ValueError:
            return text

    return [number(value) for value in line]


def test_the_csv_files_the_workbook_the_report_and_the_network_file_say_the_same(client, manager, day):
    client.force_login(manager)
    tables = dashboard()
    files = csv_files(client)
    sheets = workbook(client)

    # Each CSV file is its table as the dashboard shows it, and the workbook's sheet holds the same rows.
    def value(cell):
        return "" if cell is None else cell.export_value

    for key, table in tables.items():
        expected = [[row.code or "", str(row.label), *[value(c) for c in cells]] for row, cells in table.grid]
        if table.total:
            expected.append(["", str(table.total.label), *[value(c) for c in table.total_cells]])
        assert files[key][1:] == [[str(v) for v in line] for line in expected], key
        sheet = next(rows for title, rows in sheets.items() if title.startswith(str(table.title)[:25]))
        assert [same(line + [""] * (len(files[key][0]) - len(line))) for line in sheet] == [
            same(line) for line in files[key]
        ], key
    # The two files of the issue: key-figures.csv and first-visits.csv withhold the same first visits.
    key_figures = {line[0]: line[2] for line in files["key-figures"][1:]}
    first_visits = {line[0]: line[2] for line in files["first-visits"][1:]}
    assert key_figures["visits"] == "15" and key_figures["first-visits"] == first_visits["first"] == ""
    assert key_figures["returns"] == first_visits["return"] == "7"
    assert first_visits[""] == "15" and files["first-visits"][3][2] == "< 5"  # Total, then not answered

    report = client.get("/statistics/report/?year=2025").content.decode()
    assert "compté pour chaque passage dans une file" in report  # the definitions
    assert "secret secondaire" in report

    document = json.loads(client.get(f"/statistics/network/figures.json?{QUERY}").content)
    assert document["totals"] == {
        "visits": 15,
        "served": None,
        "no_shows": None,
        "walk_ins": None,
        "left_without_service": 0,
        "sessions": 15,
        "referrals": 1,
        "documents_handed": 0,
        "workshops_held": 0,
        "workshop_attendance": 0,
    }
    assert document["breakdowns"]["first_visit"] == {
        "total": 15,
        "cells": {"first": None, "return": 7},
        "not_answered": None,
    }
    assert document["breakdowns"]["visits_by_area"]["cells"] == {"find-training": 8, "find-job": 7}
    heat = document["breakdowns"]["arrivals_by_weekday_hour"]
    assert (heat["total"], heat["cells"]) == (15, {"2-09": 6, "2-10": None, "2-11": None})
    assert document["durations"]["waiting_by_area"] == {
        "all": {"visits": 15, "median": 6, "p90": 10},
        "cells": {
            "find-training": {"visits": 9, "median": 8, "p90": 12},
            "find-job": {"visits": 6, "median": 5, "p90": 10},
        },
    }
    assert document["durations"]["sessions_by_area"]["all"] == {"visits": 15, "median": 15, "p90": 22}
    assert document["durations"]["waiting_by_hour"]["cells"]["10"] == {"visits": None, "median": None, "p90": None}
    assert document["durations"]["waiting_by_hour"]["cells"]["11"] == {"visits": None, "median": 6, "p90": 12}
    assert document["breakdowns"]["referrals_to_area"] is None  # a total of one mention: withheld whole
    # Every count of the file is the table's, withheld or not alike.
    for key, breakdown in document["breakdowns"].items():
        table = next((t for t in tables.values() if t.network == key), None)
        if table is None or breakdown is None or table.chart == "heatmap":
            continue
        column = next(c.key for c in table.value_columns if c.kind == "count")
        cells = {row.code: network._number(row.cells[column]) for row in table.rows if row.code is not None}
        assert breakdown["cells"] == cells, key


def test_the_figures_counted_live_and_from_the_rollup_are_the_same(client, manager, day):
    client.force_login(manager)

    def everything():
        document = json.loads(client.get(f"/statistics/network/figures.json?{QUERY}").content)
        document.pop("generated_at")
        tables = dashboard()
        cells = {
            key: [(row.code, {k: (s.value, s.text) for k, s in row.cells.items()}) for row in [*t.rows, t.total] if row]
            for key, t in tables.items()
        }
        return cells, csv_files(client), document

    live = everything()
    roll_up(days=[DAY, DAY - datetime.timedelta(days=1)])
    assert RolledDay.objects.filter(day=DAY).exists()
    assert everything() == live


def test_a_harvested_title_like_a_formula_handed_out_that_day_is_text_in_every_file(client, manager, day):
    """The day with one more thing: a record harvested from a sister centre, titled like a formula, handed
    in a session. Every CSV file writes it as text, the workbook as a string cell, and no file of the
    day holds a formula."""
    from cite.models import Centre
    from resources.models import Record

    formula = '=HYPERLINK("http://x","y")'
    sister = Centre.objects.create(name="Cité des métiers de Lisière", country="FR")
    record = Record.objects.create(title=formula, source_centre=sister, origin_identifier="oai:lisiere:1")
    Session.objects.filter(ticket__day=DAY).order_by("started_at").first().documents.set([record])
    client.force_login(manager)

    cells = [value for rows in csv_files(client).values() for row in rows for value in row]
    assert "'" + formula in cells
    assert not any(value.startswith(("=", "+", "@")) for value in cells)
    response = client.get(f"/statistics/export/all.xlsx?{QUERY}")
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/")]
        assert not any(b"<f>" in book.read(name) or b"<f " in book.read(name) for name in sheets)
    assert formula in [value for rows in workbook(client).values() for row in rows for value in row]
