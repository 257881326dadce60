"""The library in the real browser: staff search, facets and the occupation combobox; a visitor's search."""

import pytest
from playwright.sync_api import expect

from resources.esco import import_esco
from resources.models import Record
from tests.conftest import PASSWORD, make_staff, screenshot
from tests.factories import make_area
from tests.resources.conftest import make_record, write_esco

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(tmp_path, settings):

    settings.MEDIA_ROOT = tmp_path / "media"
    import_esco(directory=write_esco(tmp_path / "esco"))
    area = make_area("find-job")
    make_record(
        title="Fiche métier : plombier",
        description="Installer et réparer les canalisations, un métier qui recrute.",
        kind="occupation-sheet",
        areas=[area],
        audiences=["young-people"],
    )
    make_record(title="Devenir conseiller en insertion professionnelle", kind="guide", areas=[area])
    make_record(title="Animer un atelier CV", kind="method", visibility="internal")
    return area


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()


def test_back_office_searches_refines_and_adds_a_record_with_the_occupation_combobox(page, library):
    make_staff("julien@example.org", "Back office", first_name="Julien", is_staff=True)
    log_in(page, "julien@example.org")

    page.goto("/resources/records/")
    page.get_by_role("searchbox").fill("metier")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".record-title mark").first).to_have_text("métier")
    screenshot(page, "resources-catalogue-search-fr")

    page.locator(".facet input[value='occupation-sheet']").check()  # applies itself
    page.wait_for_url("**kind=occupation-sheet**")
    expect(page.locator(".record-item")).to_have_count(1)

    page.goto("/resources/records/new/")
    page.locator("#id_title").fill("Le métier de plombier en vidéo")
    combobox = page.locator("#id_occupations")
    expect(combobox).to_have_attribute("role", "combobox")
    combobox.fill("plombeir")  # a typo
    listbox = page.get_by_role("listbox").first
    expect(listbox.get_by_role("option").first).to_contain_text("plombier/plombière")
    screenshot(page, "resources-record-form-combobox-fr")
    combobox.press("ArrowDown")
    expect(combobox).to_have_attribute("aria-activedescendant", "id_occupations-option-0")
    combobox.press("Enter")
    expect(page.get_by_role("checkbox", name="plombier/plombière")).to_be_checked()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Le métier de plombier en vidéo")
    expect(page.get_by_role("link", name="plombier/plombière")).to_be_visible()
    screenshot(page, "resources-record-detail-fr")
    assert Record.objects.get(title="Le métier de plombier en vidéo").occupations.get().labels["en"] == "plumber"
    assert page.console_errors == []


def test_a_visitor_misspells_a_word_and_follows_the_suggestion(page, library):
    page.goto("/resources/public/")
    page.get_by_role("searchbox").fill("conseilller")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Devenir conseiller en insertion professionnelle")).to_be_visible()
    screenshot(page, "resources-public-typo-fr")
    page.locator(".did-you-mean a").click()
    page.wait_for_load_state()
    expect(page.locator(".record-title mark")).to_have_text("conseiller")
    expect(page.get_by_text("Animer un atelier CV")).to_have_count(0)  # internal: never shown to visitors
    page.get_by_role("link", name="Devenir conseiller en insertion professionnelle").click()
    page.wait_for_load_state()
    screenshot(page, "resources-public-record-fr")
    assert page.console_errors == []


def test_occupations_are_browsed_by_group(page, library):
    make_staff("camille@example.org", "Counsellor", first_name="Camille")
    log_in(page, "camille@example.org")
    page.goto("/resources/occupations/")
    page.get_by_role("link", name="Métiers qualifiés de l’industrie et de l’artisanat").click()
    page.get_by_role("link", name="Métiers qualifiés du bâtiment").first.click()
    page.get_by_role("link", name="Métiers qualifiés du bâtiment (finitions)").click()
    page.get_by_role("link", name="Plombiers et tuyauteurs").click()
    expect(page.get_by_role("link", name="plombier/plombière")).to_be_visible()
    screenshot(page, "resources-occupation-group-fr")
    assert page.console_errors == []
