"""Filters by area and by partner institution: every table, every file and the report narrow alike,
and small counts of the narrowed figures are withheld with their complements."""

import csv
import io
import zipfile

import pytest

from counselling.models import Session
from partners.models import Institution
from stats import figures
from stats.figures import Scope
from stats.periods import Period
from tests.stats.dataset import OCTOBER, october
from tests.stats.disclosure_check import recomputable

pytestmark = pytest.mark.django_db
QUERY = "period=month&date=2025-10-01"


@pytest.fixture
def month(visit, training, job, ages):
    october(visit, training, job, ages)


def table(response, key):
    tables = {t.key: t for t in [response.context["key_figures"], *[t for t, _c in response.context["summary"]]]}
    tables.update({t.key: t for _group, items in response.context["groups"] for t, _c in items})
    return tables[key]


def total_visits(table_):
    return table_.total.cells["visits"].value


def test_an_area_filter_narrows_every_table_to_the_visits_that_ended_there(client, manager, month, training, job):
    client.force_login(manager)
    everything = figures.dashboard(Period.of("month", OCTOBER))
    narrowed = figures.dashboard(Period.of("month", OCTOBER), scope=Scope(area=job.pk))
    whole = {t.key: t for t in everything}
    changed = [t.key for t in narrowed if t.total and repr(t.total.cells) != repr(whole[t.key].total.cells)]
    # Area C had 4 of October's 11 visits: every table of visits counts only those.
    key = {row.code: row.cells["value"].value for row in narrowed[0].rows}
    assert key["visits"] == 4 and key["served"] == 2 and key["no-shows"] == 1 and key["left"] == 1
    areas = next(t for t in narrowed if t.key == "visits-by-area")
    by_area = {row.code: row.cells["visits"].value for row in areas.rows}
    assert by_area == {"find-training": 0, "find-job": 4}
    for key_ in ("visits-by-area", "age-bands", "first-visits", "visits-over-time", "arrivals-heatmap"):
        assert key_ in changed, key_
    # The page says it, and its links carry the filter into every file and the report.
    response = client.get(f"/statistics/?{QUERY}&area={job.pk}")
    page = response.content.decode()
    query = QUERY.replace("&", "&amp;")
    assert response.context["scope"] == Scope(area=job.pk)
    assert f"/statistics/export/age-bands.csv?{query}&amp;area={job.pk}" in page
    assert f"/statistics/export/all.xlsx?{query}&amp;area={job.pk}" in page
    assert f"/statistics/report/?area={job.pk}" in page
    assert 'class="filter-chip">Trouver un emploi<' in page
    assert f'<option value="{job.pk}" selected>' in page


def test_the_files_carry_the_filter(client, manager, month, job):
    client.force_login(manager)
    response = client.get(f"/statistics/export/visits-by-area.csv?{QUERY}&area={job.pk}&csv=en")
    assert "trouver-un-emploi" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[-1][:3] == ["", "Total", "4"]  # not October's 11
    unfiltered = client.get(f"/statistics/export/visits-by-area.csv?{QUERY}&csv=en")
    assert list(csv.reader(io.StringIO(unfiltered.content.decode().lstrip("\ufeff"))))[-1][:3] == ["", "Total", "11"]
    book = client.get(f"/statistics/export/all.xlsx?{QUERY}&area={job.pk}")
    with zipfile.ZipFile(io.BytesIO(book.content)) as archive:
        assert "Trouver un emploi" in archive.read("xl/sharedStrings.xml").decode()


def test_an_institution_filter_keeps_the_visits_its_counsellors_received(client, manager, month, training):
    partner = Institution.objects.create(name="Mission locale", kind=Institution.Kind.choices[0][0])
    sessions = Session.objects.filter(ticket__area=training, ticket__day__month=10).order_by("started_at")[:5]
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(institution=partner)
    client.force_login(manager)
    response = client.get(f"/statistics/?{QUERY}&institution={partner.pk}")
    visits = {row.code: row.cells["value"].value for row in response.context["key_figures"].rows}["visits"]
    assert visits == 5
    assert total_visits(table(response, "visits-by-area")) == 5
    assert "Mission locale" in response.content.decode()
    other = Institution.objects.create(name="Chambre de métiers", kind=Institution.Kind.choices[0][0])
    response = client.get(f"/statistics/?{QUERY}&institution={other.pk}")
    assert {row.code: row.cells["value"].value for row in response.context["key_figures"].rows}["visits"] == 0


def test_a_filtered_output_still_withholds_the_complement_of_a_small_count(month, job):
    # Area C alone: 4 visits, so every breakdown has small cells; the reader of the narrowed tables
    # cannot work any of them out from the totals.
    tables = figures.dashboard(Period.of("month", OCTOBER), scope=Scope(area=job.pk))
    ages = next(t for t in tables if t.key == "age-bands")
    texts = [row.cells["visits"].text for row in ages.rows]
    assert "< 5" in texts and all(text in ("< 5", "—", "0") for text in texts)
    linked = [t for t in tables if t.key in ("key-figures", "age-bands", "first-visits", "visits-by-area")]
    assert recomputable(linked) == {}


def test_a_wrong_filter_says_why_and_keeps_the_period(client, manager, month):
    client.force_login(manager)
    response = client.get(f"/statistics/?{QUERY}&area=999999")
    assert response.status_code == 200
    assert "Choisissez un pôle de la liste." in response.content.decode()
    assert response.context["scope"] == Scope()
    assert response.context["period"] == Period.of("month", OCTOBER)
