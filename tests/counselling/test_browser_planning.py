"""The planning journey in the real browser: the back office plans a permanence and cancels one
date of another → reception sees the right institutions today → the public page shows the week;
in French and in English."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counselling.models import Permanence, PermanenceException
from tests.conftest import PASSWORD, make_staff, screenshot
from tests.counselling.planning_helpers import T, institution, open_centre, plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "login": "Connexion",
        "plan": "Prévoir une permanence",
        "plan_it": "La prévoir",
        "apply": "Appliquer",
        "cancelled": "annulée",
        "logout": "Se déconnecter",
        "expected": "Attendus aujourd’hui",
        "nobody": "personne n’est attendu aujourd’hui",
        "when": "Quand venir",
    },
    "en": {
        "email": "Email address",
        "password": "Password",
        "login": "Log in",
        "plan": "Plan a permanence",
        "plan_it": "Plan it",
        "apply": "Apply",
        "cancelled": "cancelled",
        "logout": "Log out",
        "expected": "Expected today",
        "nobody": "nobody expected today",
        "when": "When to come",
    },
}


def log_in(page, words, email):
    page.goto("/accounts/login/")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_plan_cancel_one_date_reception_sees_today_the_public_sees_the_week(page, areas, language):
    words = TEXT[language]
    training, job = areas["find-training"], areas["find-job"]
    # Open all day, every day, so that "now" is inside the hours whenever the test runs.
    open_centre(opens=T(0), closes=T(23, 59), weekdays=range(7))
    today = timezone.localdate()
    mission_locale = plan(
        institution=institution("Mission Locale", kind="association"),
        area=training,
        weekday=today.weekday(),
        starts=T(0),
        ends=T(23, 59),
        valid_from=today - datetime.timedelta(days=14),
    )
    france_travail = institution("France Travail")
    make_staff("julien@example.org", "Back office", first_name="Julien", is_staff=True)
    make_staff("ines@example.org", "Reception", first_name="Inès")

    if language == "en":
        page.goto("/accounts/login/")
        page.get_by_role("button", name="EN").click()
    log_in(page, words, "julien@example.org")

    # The back office plans France Travail in "find training" on today's weekday, all day.
    page.goto("/counselling/planning/")
    page.get_by_role("link", name=words["plan"], exact=True).click()
    page.locator("select[name=institution]").select_option(str(france_travail.pk))
    page.locator("select[name=area]").select_option(str(training.pk))
    page.locator("select[name=weekday]").select_option(str(today.weekday()))
    page.locator("input[name=starts_at]").fill("00:00")
    page.locator("input[name=ends_at]").fill("23:59")
    page.locator("input[name=valid_from]").fill(today.isoformat())
    screenshot(page, f"planning-new-permanence-{language}")
    page.get_by_role("button", name=words["plan_it"]).click()
    page.wait_for_url(re.compile(r"/counselling/planning/\?week="))
    assert Permanence.objects.filter(institution=france_travail).exists()

    # ...and cancels today's Mission Locale from the week grid, with the keyboard.
    link = page.locator(".occurrence a", has_text="Mission Locale").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/counselling/planning/{mission_locale.pk}/{today.isoformat()}/"))
    page.get_by_role("button", name=words["apply"]).click()
    page.wait_for_url(re.compile(r"/counselling/planning/\?week="))
    expect(page.locator(".occurrence.is-off", has_text="Mission Locale").first).to_contain_text(words["cancelled"])
    screenshot(page, f"planning-week-grid-{language}")
    assert PermanenceException.objects.get().date == today

    # Reception sees France Travail, not Mission Locale, and nobody in "find a job".
    page.get_by_role("button", name=words["logout"]).click()
    log_in(page, words, "ines@example.org")
    page.goto("/reception/")
    today_plan = page.locator(".today-plan")
    expect(today_plan).to_contain_text(words["expected"])
    expect(today_plan).to_contain_text("France Travail")
    expect(today_plan).not_to_contain_text("Mission Locale")
    expect(page.locator(f".area-button[value='{job.pk}']")).to_contain_text(words["nobody"])
    screenshot(page, f"planning-front-desk-{language}")

    # The public page (no login) shows the week: France Travail held, Mission Locale cancelled today.
    page.get_by_role("button", name=words["logout"]).click()
    page.goto("/counselling/when-to-come/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["when"])
    expect(page.locator(".public-area").first).to_contain_text("France Travail")
    expect(page.locator(".slot.is-off").first).to_contain_text(words["cancelled"])
    assert "Julien" not in page.content()
    screenshot(page, f"planning-public-week-{language}")
    assert page.console_errors == []
