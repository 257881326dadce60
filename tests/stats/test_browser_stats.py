"""The statistics in a real browser, in French: the dashboard, the network comparison, the annual report."""

import json
import re

import pytest
from playwright.sync_api import expect

from stats.periods import Period
from tests.conftest import PASSWORD, keep_file, screenshot
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
    expect(page.locator("#visits-by-area table")).to_contain_text("Trouver une formation")  # summary: in its table
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
    theirs["totals"] = {key: (3 * n if n else n) for key, n in theirs["totals"].items()}
    for breakdown in theirs["breakdowns"].values():
        if breakdown:
            breakdown["total"] *= 3
            breakdown["cells"] = {code: (n * 3 if n else n) for code, n in breakdown["cells"].items()}
            breakdown["not_answered"] = breakdown["not_answered"] and breakdown["not_answered"] * 3
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


def pdf_pages(pdf):
    """The pages of a PDF Chromium wrote (each page object says /Type /Page)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_report_saved_as_pdf_is_a_few_a4_pages_with_the_commentary(page, manager, data, language):
    from stats import services

    services.save_report_comment(
        year=2025, section="summary", text="Une année portée par le pôle formation.", by=manager
    )
    log_in(page, manager)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.goto("/statistics/report/?year=2025")
    expect(page.locator(".report-comment")).to_contain_text("Une année portée par le pôle formation.")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    keep_file(f"stats-report-{language}.pdf", pdf)
    pages = pdf_pages(pdf)
    assert 2 <= pages <= 8, pages  # a few pages, not one chart a page
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi: what the pages look like
    screenshot(page, f"stats-report-a4-{language}")

    assert page.console_errors == []


@pytest.mark.parametrize("width", [1280, 1024])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_summary_answers_how_was_the_month_on_the_first_screen(page, manager, data, training, language, width):
    log_in(page, manager)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/statistics/?period=month&date=2025-10-01")
    areas = "Visites par pôle" if language == "fr" else "Visits by area"
    expect(page.get_by_role("img", name=areas)).to_be_visible()
    assert page.locator("details.stats-group[open]").count() == 0  # every other section one click away
    screenshot(page, f"stats-summary-{language}-{width}", full_page=False)  # the first screen only
    # A table of contents link opens its section.
    page.locator(".stats-toc a[href='#age-bands']").click()
    expect(page.locator("#age-bands")).to_be_visible()
    # Filtered by an area: the URL holds it, the heading says it.
    page.locator("#id_area").select_option(str(training.pk))
    page.get_by_role("button", name="Afficher" if language == "fr" else "Show").click()
    page.wait_for_url(f"**area={training.pk}**")
    expect(page.locator(".period-title .filter-chip")).to_contain_text(
        training.name_fr if language == "fr" else training.name_en
    )
    screenshot(page, f"stats-filtered-{language}-{width}")
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_network_page_reads_with_four_centres(page, manager, data, tmp_path, language):
    from stats import network

    log_in(page, manager)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    ours = network.export(Period.of("month", OCTOBER))
    paths = []
    for n, name in enumerate(["Cité des métiers de Genève", "Cité des métiers du Val-de-Marne", "Cité de Marseille"]):
        theirs = json.loads(json.dumps(ours))
        theirs["centre"] = {"name": name, "country": "CH" if n == 0 else "FR"}
        factor = n + 2
        theirs["totals"] = {key: (factor * v if v else v) for key, v in theirs["totals"].items()}
        for breakdown in theirs["breakdowns"].values():
            if breakdown:
                breakdown["total"] *= factor
                breakdown["cells"] = {code: (v * factor if v else v) for code, v in breakdown["cells"].items()}
                breakdown["not_answered"] = breakdown["not_answered"] and breakdown["not_answered"] * factor
        path = tmp_path / f"centre-{n}.json"
        path.write_text(json.dumps(theirs))
        paths.append(path)
    page.goto("/statistics/network/?period=month&date=2025-10-01")
    page.locator("#id_files").set_input_files(paths)
    page.locator("button[type=submit].primary").last.click()
    table = page.locator("#visits_by_area table")
    expect(table.locator("thead th")).to_have_count(5)
    expect(table.locator("th.ours .ours-badge")).to_have_count(1)
    assert page.locator(".message.error").count() == 0
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"stats-network-four-{language}")
    assert page.console_errors == []
