"""The dashboard page: the period form, charts with their tables, and a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import local
from tests.stats.dataset import october

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_charts_with_titles_descriptions_and_their_tables(
    client, manager, visit, training, job, ages
):
    october(visit, training, job, ages)
    client.force_login(manager)
    response = client.get("/statistics/?period=month&date=2025-10-15")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Statistiques</h1>" in page
    assert "octobre 2025" in page and "(comparaison : septembre 2025)" in page
    assert page.count('role="img"') == page.count("<title id=") == page.count("<desc id=") == 13
    assert 'aria-labelledby="chart-visits-by-area-title" aria-describedby="chart-visits-by-area-desc"' in page
    assert "<caption>Visites par pôle</caption>" in page
    assert "style=" not in page and "<script>" not in page  # strict CSP
    assert "Temps d’attente, médiane" in page and "10 min" in page
    assert "Pas encore comptés" not in page and "Thèmes abordés en entretien" in page
    assert response.context["previous_url"] == "/statistics/?period=month&date=2025-09-01"
    assert response.context["next_url"] == "/statistics/?period=month&date=2025-11-01"


def test_the_dashboard_shows_this_month_by_default(client, manager):
    client.force_login(manager)
    response = client.get("/statistics/")
    today = timezone.localdate()
    assert response.context["period"].start == today.replace(day=1)
    assert response.context["form"]["period"].value() == "month"


def test_a_wrong_period_says_why_beside_the_field_and_keeps_what_was_typed(client, manager):
    client.force_login(manager)
    response = client.get("/statistics/?period=custom&start=2025-10-20&end=2025-10-01")
    page = response.content.decode()
    assert response.status_code == 200
    assert "La période doit se terminer le jour de son début ou après." in page
    assert 'value="2025-10-20"' in page and 'value="2025-10-01"' in page
    response = client.get("/statistics/?period=custom&start=2020-01-01&end=2025-01-01")
    assert "Une période dure au plus trois ans." in response.content.decode()
    response = client.get("/statistics/?period=fortnight&date=yesterday")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"period", "date"}


def test_a_custom_period_compares_with_as_many_days_before(client, manager):
    client.force_login(manager)
    response = client.get("/statistics/?period=custom&start=2025-10-10&end=2025-10-19")
    assert response.context["previous"].start == datetime.date(2025, 9, 30)
    assert response.context["previous"].end == datetime.date(2025, 10, 9)


def test_the_page_runs_the_same_queries_for_one_visit_or_many(
    client, manager, visit, training, job, ages, django_assert_num_queries
):
    client.force_login(manager)
    visit(training, local(datetime.date(2025, 10, 6), 9, 0), wait=3, session=5)
    client.get("/statistics/?period=month&date=2025-10-01")  # sessions and caches warm
    # 2 of them: the filters' lists; 2: visitors' feedback, this period and the previous; and the
    # staff's groups and permissions are one query (cite.middleware.load_access), not two
    with django_assert_num_queries(21) as one:
        client.get("/statistics/?period=month&date=2025-10-01")
    october(visit, training, job, ages)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/statistics/?period=month&date=2025-10-01")


def test_the_annual_report_is_a_printable_page_of_the_year(client, manager, visit, training, job, ages):
    october(visit, training, job, ages)
    client.force_login(manager)
    response = client.get("/statistics/report/?year=2025")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Rapport d’activité 2025</h1>" in page
    assert "Visites de l’année 2025 ; l’année précédente ne compte aucune visite à comparer." in page
    assert 'class="report-sheet"' in page and "data-print" in page
    assert "Les effectifs inférieurs à 5 visiteurs s’affichent « &lt; 5 »" in page
    assert '<td class="num">11</td>' in page  # visits of the year
    assert response.context["period"].kind == "year"
    assert [choice for choice, _label in response.context["form"].fields["year"].choices][-1] == 2025


def test_the_report_falls_back_to_last_year_for_a_year_it_does_not_offer(client, manager):
    client.force_login(manager)
    response = client.get("/statistics/report/?year=1850")
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year  # no visit yet: only this year is offered
