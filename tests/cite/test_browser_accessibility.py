"""Accessibility: axe-core (through Playwright) finds no serious or critical violation on any main
page, public or staff, of each role, in French and in English (colour contrast, the same in both, is
checked in French). One test: the demo it needs is built once for both languages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cite import demo
from tests.conftest import screenshot, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}
RECEPTION = "accueil@demo.example.org"
COUNSELLOR = "conseil@demo.example.org"
BACK_OFFICE = "backoffice@demo.example.org"
MANAGER = "direction@demo.example.org"


def main_pages():
    """{account (None: a visitor): [paths]}: every main page, with the demo centre's objects."""
    from counselling.models import Session, Workshop
    from partners.models import Institution, Meeting, WorkingGroup
    from reception.models import Ticket
    from resources.models import IscoGroup, Occupation, Record

    record = Record.objects.public().first()
    ticket = Ticket.objects.filter(day=timezone.localdate(), status="waiting").first()
    group = WorkingGroup.objects.first()
    meeting = Meeting.objects.first()
    institution = Institution.objects.first()
    occupation = Occupation.objects.first()
    isco = IscoGroup.objects.filter(level=1).first()
    session = Session.objects.filter(counsellor__email=COUNSELLOR).first()
    workshop = Workshop.objects.in_public_feed().filter(ends_at__gte=timezone.now()).first()
    return {
        None: [
            "/accounts/login/",
            "/accounts/password/reset/",
            "/kiosk/",
            "/reception/display/",
            f"/t/{ticket.token}/",
            "/resources/public/",
            "/counselling/when-to-come/",
            *([f"/resources/public/records/{record.uuid}/"] if record else []),
            "/",
            "/workshops/",
            *([f"/workshops/{workshop.uid}/"] if workshop else []),
            "/occupations/?q=plomb",
            *([f"/occupations/{occupation.pk}/"] if occupation else []),
            *([f"/occupations/isco/{isco.code}/"] if isco else []),
        ],
        RECEPTION: ["/", "/reception/", "/reception/today/", f"/reception/tickets/{ticket.pk}/print/"],
        COUNSELLOR: [
            "/",
            "/counselling/",
            "/counselling/sessions/",
            *([f"/counselling/sessions/{session.pk}/"] if session else []),
            "/counselling/day/",
            "/counselling/workshops/",
            "/counselling/workshops/calendar/",
            "/partners/actions/",
            "/partners/groups/calendar/",
            "/resources/records/",
            "/resources/occupations/?q=plomb",
            *([f"/resources/occupations/{occupation.pk}/"] if occupation else []),
            *([f"/resources/occupations/groups/{isco.code}/"] if isco else []),
        ],
        BACK_OFFICE: [
            "/",
            "/team/",
            "/partners/institutions/",
            f"/partners/institutions/{institution.pk}/",
            "/partners/institutions/contacts/",
            "/partners/institutions/agreements/",
            "/partners/groups/",
            f"/partners/groups/{group.pk}/",
            f"/partners/groups/meetings/{meeting.pk}/",
            "/partners/network/",
            "/resources/records/?q=metier",
            "/resources/records/new/",
            *([f"/resources/records/{record.uuid}/", f"/resources/records/{record.uuid}/edit/"] if record else []),
            "/resources/records/import/",
            "/counselling/planning/",
            "/counselling/planning/hours/",
        ],
        MANAGER: [
            "/",
            "/counselling/sessions/",
            "/partners/projects/",
            "/partners/network/",
            "/statistics/",
            "/statistics/report/",
            "/statistics/network/",
            "/statistics/today/",
        ],
    }


# Colour contrast is two thirds of axe's time on these pages, and it cannot differ between the languages:
# the colours are the stylesheet's and the text sits in the same elements. The default language (French)
# checks it on every page; English checks every other rule.
SAME_IN_EVERY_LANGUAGE = {"rules": {"color-contrast": {"enabled": False}}}


def violations_of(page, axe, language):
    options = {"resultTypes": ["violations"]}
    if language != settings.LANGUAGE_CODE:
        options.update(SAME_IN_EVERY_LANGUAGE)
    found = axe.run(page, options=options).response["violations"]
    return [
        f"{page.url} [{rule['impact']}] {rule['id']}: {rule['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in rule["nodes"][:5])
        for rule in found
        if rule["impact"] in SERIOUS
    ]


def test_no_main_page_has_a_serious_or_critical_accessibility_violation(
    browser, live_server, settings, monkeypatch, tmp_path
):
    """One demo centre, every main page of each role, in French then in English. The demo is built
    once for both languages, and each account logs in once: its pages are walked in French, then
    again with the language cookie set to English."""
    settings.MFA_REQUIRED_GROUPS = []  # the mandatory-MFA redirect has its own tests
    monkeypatch.setattr("resources.demo.ESCO_DIR", tmp_path / "no-esco")  # the demo's small reference will do
    call_command("demo", verbosity=0)  # as `make run` builds it, fresh planner statistics included
    axe = Axe()
    problems = []
    for account, paths in main_pages().items():
        problems += check_pages(browser, live_server, axe, account, paths)
    assert problems == [], "\n".join(problems)


def check_pages(browser, live_server, axe, account, paths):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = watch_console(context.new_page())
    page.set_default_timeout(15_000)
    problems = []
    for language in ("fr", "en"):
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        if account and language == "fr":
            page.goto("/accounts/login/")
            page.fill("input[name=login]", account)
            page.fill("input[name=password]", demo.DEMO_PASSWORD)
            page.press("input[name=password]", "Enter")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for path in paths:
            response = page.goto(path)
            assert response.status < 400, f"{path}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language, path
            problems += violations_of(page, axe, language)
        screenshot(page, f"a11y-{(account or 'visitor').split('@')[0]}-{language}")
    context.close()
    return problems + page.console_errors  # a script refused by the CSP, a missing file
