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
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Code", "Tranche d’âge", "Visites", "Part", "Période précédente", "Part précédente", "Évolution"]
    # September had 2 visits, both unanswered: 0, 0 and "< 5" would give the 2 away, so its column is
    # withheld whole, zeros included.
    assert rows[1] == ["18-25", "18 à 25 ans", "5", "45.5", "", "", ""]
    assert rows[2] == ["26-35", "26 à 35 ans", "< 5", "", "", "", ""]
    assert rows[3] == ["", "Sans réponse", "< 5", "", "", "", ""]
    assert rows[4][:5] == ["", "Total", "11", "100.0", "2"]


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
    assert len(names) == len(sheets) == 27
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
