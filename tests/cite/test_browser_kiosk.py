"""Kiosk mode in the real browser: staff start it on the kiosk's screen, a visitor searches in English,
walks away, and the screen starts again for the next one: the start page, empty, in French."""

import pytest
from playwright.sync_api import expect

from tests.conftest import screenshot, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_kiosk_starts_again_for_the_next_visitor(browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = watch_console(context.new_page())
    page.set_default_timeout(10_000)
    page.clock.install()  # the idle time passes when the test says so
    page.goto("/kiosk/")
    screenshot(page, "kiosk-settings-fr")
    page.locator("#id_start").select_option("occupations")
    page.get_by_label("Revenir à la page de départ après").select_option("60")
    expect(page.get_by_label("Page de départ", exact=False).first).to_have_value("occupations")
    page.get_by_role("button", name="Lancer le mode kiosque sur cet écran").click()
    expect(page).to_have_url(f"{live_server.url}/occupations/")
    expect(page.get_by_role("link", name="Connexion du personnel")).to_have_count(0)

    # A visitor switches the language and searches.
    if language == "en":
        page.get_by_role("button", name="EN", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("searchbox").first.fill("plombier")
    page.keyboard.press("Enter")
    page.wait_for_url("**/occupations/?q=plombier")
    screenshot(page, f"kiosk-search-{language}")

    # Touches keep the page; after a minute without one, a notice, then the start page in French.
    page.clock.run_for(40_000)
    page.mouse.click(5, 400)
    page.clock.run_for(40_000)
    assert "q=plombier" in page.url
    expect(page.locator(".kiosk-warning")).to_be_hidden()
    page.clock.run_for(10_000)
    expect(page.locator(".kiosk-warning")).to_be_visible()
    screenshot(page, f"kiosk-warning-{language}")
    page.clock.run_for(16_000)
    expect(page).to_have_url(f"{live_server.url}/occupations/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("searchbox").first).to_have_value("")
    assert page.console_errors == []
    context.close()
