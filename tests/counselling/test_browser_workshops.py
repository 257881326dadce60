"""Planning a workshop and counting who came, in the real browser, in French and in English: from
the menu to the month calendar (moved with the keyboard), the form (a kind, times, a partner, an
occupation found by type-ahead), the workshop's page, then its attendance with a breakdown that
is first refused (it adds up to more than the people who came) and then recorded."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counselling.models import Workshop
from partners.models import Institution
from tests.conftest import PASSWORD, make_staff, screenshot
from tests.counselling.workshop_factories import make_lists

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "login": "Connexion",
        "workshops": "Ateliers",
        "calendar": "Calendrier",
        "next": "Mois suivant",
        "previous": "Mois précédent",
        "plan": "Programmer un atelier",
        "job_dating": "Job dating",
        "submit": "Programmer cet atelier",
        "record": "Saisir la fréquentation",
        "save_attendance": "Enregistrer la fréquentation",
        "too_many": "Tranche d’âge : les effectifs font 14, plus que les 12 personnes venues.",
        "came": "personnes venues",
        "not_asked": "Non demandé",
    },
    "en": {
        "email": "Email address",
        "password": "Password",
        "login": "Log in",
        "workshops": "Workshops",
        "calendar": "Calendar",
        "next": "Next month",
        "previous": "Previous month",
        "plan": "Plan a workshop",
        "job_dating": "Job dating",
        "submit": "Plan this workshop",
        "record": "Record attendance",
        "save_attendance": "Record the attendance",
        "too_many": "Age band: the counts add up to 14, more than the 12 people who came.",
        "came": "people came",
        "not_asked": "Not asked",
    },
}
# Counsellors and the back office both plan workshops: one of each, one per language.
PLANNER = {"fr": ("camille@example.org", "Counsellor"), "en": ("julien@example.org", "Back office")}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_plan_a_workshop_then_record_its_attendance(page, plumber, language):
    words = TEXT[language]
    email, role = PLANNER[language]
    make_staff(email, role, first_name="Camille" if language == "fr" else "Julien")
    make_lists()
    mission_locale = Institution.objects.create(name="Mission Locale du Centre", kind="association")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    if language == "en":
        page.goto("/accounts/login/")
        page.get_by_role("button", name="EN").click()
    page.goto("/accounts/login/")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    page.get_by_role("navigation").first.get_by_role("link", name=words["workshops"], exact=True).click()

    # The month calendar, moved with the keyboard alone.
    page.get_by_role("link", name=words["calendar"], exact=True).click()
    this_month = page.locator("#month-title").inner_text()
    page.get_by_role("link", name=words["next"]).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#month-title")).not_to_have_text(this_month)
    page.get_by_role("link", name=words["previous"]).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#month-title")).to_have_text(this_month)

    # Plan it (yesterday afternoon: its attendance can be counted right away).
    page.get_by_role("link", name=words["plan"]).click()
    page.locator("label.chip", has_text=words["job_dating"]).click()
    page.locator("input[name=title]").fill("Job dating du bâtiment")
    page.locator("input[name=starts_at]").fill(f"{yesterday.isoformat()}T14:00")
    page.locator("input[name=ends_at]").fill(f"{yesterday.isoformat()}T17:00")
    page.locator("input[name=place]").fill("Hall d'exposition")
    page.locator("input[name=capacity]").fill("15")
    page.get_by_label(mission_locale.name).check()
    occupation = page.locator(".concept-picker[data-kind=occupation] .combobox-input")
    occupation.fill("plombiere")
    expect(page.locator(".combobox-listbox [role=option]").first).to_contain_text("plomb")
    occupation.press("ArrowDown")
    occupation.press("Enter")
    screenshot(page, f"workshop-form-{language}")
    page.get_by_role("button", name=words["submit"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Job dating du bâtiment")
    workshop = Workshop.objects.get()
    assert (workshop.kind, workshop.capacity, workshop.place) == ("job_dating", 15, "Hall d'exposition")
    assert timezone.localtime(workshop.starts_at).date() == yesterday
    assert timezone.localtime(workshop.starts_at).hour == 14
    assert list(workshop.institutions.all()) == [mission_locale]
    assert list(workshop.occupations.all()) == [plumber]
    assert workshop.created_by.email == email

    # Count who came: a breakdown larger than the attendance is refused and nothing typed is lost.
    page.get_by_role("link", name=words["record"]).click()
    page.locator("input[name=attendance]").fill("12")
    page.locator("input[name='age_band-16-25']").fill("8")
    page.locator("input[name='age_band-26-44']").fill("6")
    page.locator("input[name='first_visit-first']").fill("5")
    page.get_by_role("button", name=words["save_attendance"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["too_many"])
    expect(page.locator("input[name='age_band-26-44']")).to_have_value("6")
    expect(page.locator("input[name='first_visit-first']")).to_have_value("5")
    screenshot(page, f"workshop-attendance-refused-{language}")
    page.locator("input[name='age_band-26-44']").fill("3")
    page.get_by_role("button", name=words["save_attendance"]).click()

    expect(page.locator(".attendance-figure")).to_contain_text(f"12 {words['came']}")
    # 12 came, 11 said their age, 5 of 12 said it was their first visit.
    expect(page.get_by_role("row", name=f"{words['not_asked']} 1", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=f"{words['not_asked']} 7", exact=True)).to_be_visible()
    screenshot(page, f"workshop-page-{language}")
    workshop.refresh_from_db()
    assert workshop.attendance == 12
    counts = {(row.profile_list, row.code): row.count for row in workshop.attendance_counts.all()}
    assert counts == {("age_band", "16-25"): 8, ("age_band", "26-44"): 3, ("first_visit", "first"): 5}

    # It shows in the calendar, on its day.
    page.goto(f"/counselling/workshops/calendar/?month={yesterday:%Y-%m}")
    cell = page.locator(f"td:has(time[datetime='{yesterday.isoformat()}'])")
    expect(cell.get_by_role("link", name="Job dating du bâtiment")).to_be_visible()
    screenshot(page, f"workshop-calendar-{language}")
    assert page.console_errors == []
