"""Every table as CSV and XLSX, with the same suppressed cells as the screen."""

import csv
import io
import re
import zipfile

import pytest

from tests.stats.dataset import october

pytestmark = pytest.mark.django_db
QUERY = "period=month&date=2025-10-01"


@pytest.fixture
def month(visit, training, job, ages):
    october(visit, training, job, ages)


def test_a_table_downloads_as_csv_with_codes_and_small_counts_suppressed(client, manager, month):
    client.force_login(manager)
    response = client.get(f"/statistics/export/age-bands.csv?{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="cite-des-metiers-age-bands-2025-10-01-2025-10-31.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))  # French: ";" and "45,5"
    assert rows[0] == ["Code", "Tranche d’âge", "Visites", "Part", "Période précédente", "Part précédente", "Évolution"]
    # September had 2 visits, both unanswered: 0, 0 and "< 5" would give the 2 away, so its column is
    # withheld whole, zeros included.
    assert rows[1] == ["18-25", "18 à 25 ans", "5", "45,5", "", "", ""]
    assert rows[2] == ["26-35", "26 à 35 ans", "< 5", "", "", "", ""]
    assert rows[3] == ["", "Sans réponse", "< 5", "", "", "", ""]
    assert rows[4][:5] == ["", "Total", "11", "100,0", "2"]


def test_every_table_downloads_as_one_workbook_with_a_sheet_each(client, manager, month):
    client.force_login(manager)
    response = client.get(f"/statistics/export/all.xlsx?{QUERY}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/sheet")]
    names = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert names[:3] == ["Chiffres clés", "Visites par jour", "Visites par pôle"]
    assert len(names) == len(sheets) == 28  # 27 tables of figures and visitors’ feedback
    assert "&lt; 5" in strings  # small counts are text cells "< 5"
    assert "Les effectifs inférieurs à 5 visiteurs" in strings


def test_one_table_downloads_as_xlsx(client, manager, month):
    client.force_login(manager)
    response = client.get(f"/statistics/export/visits-by-area.xlsx?{QUERY}")
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode()) == ["Visites par pôle"]


def test_an_unknown_table_is_not_found_and_a_wrong_period_goes_back_to_the_dashboard(client, manager):
    client.force_login(manager)
    assert client.get(f"/statistics/export/favourite-colours.csv?{QUERY}").status_code == 404
    assert client.get(f"/statistics/export/favourite-colours.xlsx?{QUERY}").status_code == 404
    response = client.get("/statistics/export/visits-by-area.csv?period=custom&start=2025-10-09")
    assert response.status_code == 302
    assert response["Location"] == "/statistics/?period=custom&start=2025-10-09"


FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def harvested_formula(month, counsellor):
    """A record harvested from a sister centre, titled like a formula, handed in five October sessions."""
    from cite.models import Centre
    from counselling.models import Session
    from reception.models import Ticket
    from resources.models import Record

    sister = Centre.objects.create(name="Cité des métiers de Lisière", country="FR")
    record = Record.objects.create(title=FORMULA, source_centre=sister, origin_identifier="oai:lisiere:1")
    served = Ticket.objects.filter(started_at__isnull=False, day__month=10).order_by("arrived_at")[:5]
    for ticket in served:
        session = Session.objects.create(
            ticket=ticket, counsellor=counsellor, area=ticket.area, started_at=ticket.started_at
        )
        session.documents.set([record])
    return record


def test_a_harvested_title_that_looks_like_a_formula_comes_out_of_the_csv_as_text(client, manager, harvested_formula):
    client.force_login(manager)
    response = client.get(f"/statistics/export/documents-most-handed.csv?{QUERY}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")), delimiter=";"))
    assert [str(harvested_formula.pk), "'" + FORMULA, "5"] == rows[1][:3]


def _cells(book, sheet):
    """{reference: (type, has a formula, value or shared text)} of a worksheet, read from its XML."""
    from lxml import etree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    shared = [
        "".join(item.itertext()) for item in etree.fromstring(book.read("xl/sharedStrings.xml")).iterfind("m:si", ns)
    ]
    cells = {}
    for cell in etree.fromstring(book.read(sheet)).iterfind(".//m:c", ns):
        value = cell.find("m:v", ns)
        text = value.text if value is not None else None
        text = shared[int(text)] if cell.get("t") == "s" else text
        cells[cell.get("r")] = (cell.get("t"), cell.find("m:f", ns) is not None, text)
    return cells


def test_a_harvested_title_that_looks_like_a_formula_is_a_string_cell_of_the_xlsx(client, manager, harvested_formula):
    client.force_login(manager)
    response = client.get(f"/statistics/export/documents-most-handed.xlsx?{QUERY}")
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        cells = _cells(book, "xl/worksheets/sheet1.xml")
    assert cells["B6"] == ("s", False, FORMULA)  # a shared string, shown as it is, never run
    assert not any(has_formula for _type, has_formula, _text in cells.values())
    assert cells["C6"] == (None, False, "5")  # the count stays a number cell


def test_negative_figures_stay_numbers_and_text_is_neutralised_in_both_files():
    import xlsxwriter

    from cite import spreadsheets

    row = [-12.5, "-12.5", "@SUM(A1)", "+1", "\tx", "18-25", None]
    buffer = io.StringIO()
    spreadsheets.csv_writer(buffer).writerow(row)
    assert buffer.getvalue() == "-12.5,'-12.5,'@SUM(A1),'+1,'\tx,18-25,\r\n"

    file = io.BytesIO()
    book = xlsxwriter.Workbook(file, {"in_memory": True})
    sheet = book.add_worksheet()
    for column, value in enumerate(row):
        spreadsheets.write_xlsx_cell(sheet, 0, column, value)
    book.close()
    with zipfile.ZipFile(file) as written:
        cells = _cells(written, "xl/worksheets/sheet1.xml")
    assert cells["A1"] == (None, False, "-12.5")  # a number cell
    assert [cells[f"{column}1"] for column in "BCD"] == [
        ("s", False, "-12.5"),
        ("s", False, "@SUM(A1)"),
        ("s", False, "+1"),
    ]


def test_csv_follows_the_spreadsheet_of_the_interface_language_and_can_be_asked_for(client, manager, month):
    client.force_login(manager)
    french = client.get(f"/statistics/export/age-bands.csv?{QUERY}").content.decode("utf-8")
    assert french.startswith("\ufeff")
    assert french.splitlines()[1] == "18-25;18 à 25 ans;5;45,5;;;"
    client.cookies["django_language"] = "en"
    english = client.get(f"/statistics/export/age-bands.csv?{QUERY}").content.decode("utf-8")
    assert english.startswith("\ufeff")
    assert english.splitlines()[1] == "18-25,18 to 25,5,45.5,,,"
    asked = client.get(f"/statistics/export/age-bands.csv?{QUERY}&csv=fr").content.decode("utf-8")
    assert asked.splitlines()[1] == "18-25;18 to 25;5;45,5;;;"  # English labels, French spreadsheet
    nonsense = client.get(f"/statistics/export/age-bands.csv?{QUERY}&csv=klingon").content.decode("utf-8")
    assert nonsense.splitlines()[1] == "18-25,18 to 25,5,45.5,,,"


def test_a_negative_change_in_french_csv_is_a_number_not_a_neutralised_formula():
    from cite.spreadsheets import csv_writer

    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";", decimal=",").writerow(["-12", -12.5, "=1+1", 3])
    assert buffer.getvalue().strip() == "'-12;-12,5;'=1+1;3"
