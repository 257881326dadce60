"""A staff member's first minutes, in the real browser: log in, workspace, admin, language."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_staff, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_back_office_logs_in_reaches_the_workspace_and_the_admin_in_french_then_english(page):
    make_staff("julien@example.org", "Back office", first_name="Julien", last_name="Moreau", is_staff=True)

    page.goto("/")  # the visitors' home; the staff's way in is in its header
    page.get_by_role("link", name="Connexion du personnel").click()
    page.wait_for_url("**/accounts/login/")
    assert page.locator("h1").inner_text() == "Connexion"
    screenshot(page, "foundation-login-fr")

    page.get_by_label("Adresse e-mail").fill("julien@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/")
    assert "Bonjour Julien" in page.locator("h1").inner_text()
    assert page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Équipe").is_visible()
    screenshot(page, "foundation-workspace-fr")

    page.get_by_role("link", name="Équipe").first.click()
    assert page.get_by_role("cell", name="julien@example.org").is_visible()
    screenshot(page, "foundation-team-fr")

    page.goto("/admin/")
    assert page.get_by_role("link", name="Cité des métiers").is_visible()
    assert "Cité des métiers" in page.title()
    screenshot(page, "foundation-admin-fr")

    page.goto("/")
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Hello Julien" in page.locator("h1").inner_text()
    screenshot(page, "foundation-workspace-en")
    assert page.console_errors == []  # no CSP violation, no missing file


def test_wrong_password_keeps_the_email_and_says_why(page):
    make_staff("ines@example.org", "Reception", first_name="Inès")
    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("ines@example.org")
    page.get_by_label("Mot de passe").fill("wrong password")
    page.keyboard.press("Enter")
    expect(page.locator(".errorlist")).to_contain_text("incorrect")
    assert page.get_by_label("Adresse e-mail").input_value() == "ines@example.org"
    screenshot(page, "foundation-login-error-fr")
