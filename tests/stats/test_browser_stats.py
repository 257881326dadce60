"""The statistics in a real browser, in French: the dashboard, the network comparison, the annual report."""

import json

import pytest
from playwright.sync_api import expect

from stats.periods import Period
from tests.conftest import PASSWORD, screenshot
from tests.stats.dataset import OCTOBER, busy, october

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(visit, training, job, ages):
    october(visit, training, job, ages)
    busy(visit, [training, job], ages)


def log_in(page, manager):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(manager.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_manager_reads_the_month_then_the_year_on_the_dashboard(page, manager, data):
    log_in(page, manager)
    page.goto("/statistics/?period=month&date=2025-10-01")
    expect(page.locator("h1")).to_have_text("Statistiques")
    expect(page.locator(".period-title")).to_contain_text("octobre 2025")
    chart = page.get_by_role("img", name="Visites par pôle")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Visites par pôle")).to_contain_text("Trouver une formation")
    expect(page.locator("[data-period=custom]").first).to_be_hidden()  # shown only for a custom period
    screenshot(page, "stats-dashboard-fr")

    page.get_by_label("Période :").select_option("year")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**period=year**")
    expect(page.locator(".period-title")).to_contain_text("2025")
    expect(page.get_by_role("img", name="Visites par mois")).to_be_visible()
    assert page.console_errors == []


def test_a_manager_compares_with_a_sister_centre_from_its_exported_file(page, manager, data, tmp_path):
    from stats import network

    log_in(page, manager)
    theirs = network.export(Period.of("month", OCTOBER))
    theirs["centre"] = {"name": "Cité des métiers de Genève", "country": "CH"}
    theirs["totals"]["visits"] = 3 * theirs["totals"]["visits"]
    for breakdown in theirs["breakdowns"].values():
        if breakdown:
            breakdown["total"] *= 3
            breakdown["cells"] = {code: (n * 2 if n else n) for code, n in breakdown["cells"].items()}
    path = tmp_path / "geneve.json"
    path.write_text(json.dumps(theirs))
    broken = tmp_path / "cassé.json"
    broken.write_text("{ pas du JSON")

    page.goto("/statistics/network/")
    page.get_by_label("Chiffres d’autres Cités").set_input_files([path, broken])
    page.get_by_role("button", name="Charger").click()
    expect(page.locator(".message.error")).to_contain_text("cassé.json n’est pas un JSON valide")
    expect(page.locator(".message.success")).to_contain_text("1 fichier chargé.")
    table = page.get_by_role("table", name="Visites par pôle")
    expect(table.get_by_role("columnheader", name="Cité des métiers de Genève")).to_be_visible()
    screenshot(page, "stats-network-fr")
    assert page.console_errors == []


def test_a_manager_prints_the_annual_report(page, manager, data):
    log_in(page, manager)
    page.goto("/statistics/report/?year=2025")
    expect(page.locator("h1")).to_have_text("Rapport d’activité 2025")
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".report-tools")).to_be_hidden()
    expect(page.get_by_role("img", name="Visites par mois")).to_be_visible()
    screenshot(page, "stats-report-print-fr")
    assert page.console_errors == []
