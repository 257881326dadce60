"""The back office sets up a partnership in the admin; the counsellor finds their action under "my actions".

In the real browser, in French then in English. Labels are looked up through the French catalogue,
so the journey reads the same before and after partners' strings are translated.
"""

import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from partners.models import Action, Agreement, Institution
from tests.conftest import PASSWORD, make_staff, screenshot
from tests.factories import make_area
from tests.partners.factories import PDF, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(message):
    """What a French reader sees for `message` (the English text until the catalogue has it)."""
    with translation.override("fr"):
        return translation.gettext(message)


def fr_ctx(context, message):
    with translation.override("fr"):
        return translation.pgettext(context, message)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/accounts/login/")


def test_back_office_sets_up_a_partnership_and_the_counsellor_finds_the_action_in_french_and_english(page):
    make_area("find-job")
    make_staff("julien@example.org", "Back office", first_name="Julien", last_name="Moreau", is_staff=True)
    make_staff("camille@example.org", "Counsellor", first_name="Camille", last_name="Bernard")
    today = timezone.localdate()

    # --- The back office records the institution, a contact, a draft agreement and a secondment. ---
    log_in(page, "julien@example.org")
    page.goto("/admin/partners/institution/add/")
    page.locator("#id_name").fill("Mission Locale Val-de-Seine")
    page.locator("#id_kind").select_option("employment")
    page.locator("#id_website").fill("https://mission-locale.example.org/")
    page.locator("#id_logo").set_input_files(
        files=[{"name": "logo.jpg", "mimeType": "image/jpeg", "buffer": png_bytes((900, 300), fmt="JPEG")}]
    )
    page.locator("#id_areas input[type=checkbox]").first.check()
    page.locator("#contacts-group .add-row a").click()
    page.locator("#id_contacts-0-name").fill("Élodie Fontaine")
    page.locator("#id_contacts-0-role").fill("Directrice")
    page.locator("#id_contacts-0-email").fill("elodie.fontaine@mission-locale.example.org")
    page.locator("#id_contacts-0-phone").fill("01 23 45 67 03")
    page.locator("#agreements-group .add-row a").click()
    page.locator("#id_agreements-0-title").fill("Convention de partenariat")
    page.locator("#id_agreements-0-start_date").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_agreements-0-end_date").fill((today + datetime.timedelta(days=40)).strftime("%d/%m/%Y"))
    page.locator("#id_agreements-0-committed_hours").fill("17.5")
    page.locator("#secondments-group .add-row a").click()
    page.locator("#id_secondments-0-user").select_option(label="Camille Bernard")
    screenshot(page, "partners-admin-institution-fr")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    institution = Institution.objects.get()
    assert institution.logo.name.endswith(".png")
    assert institution.contacts.get().phone == "+33123456703"
    agreement = Agreement.objects.get()
    assert agreement.stage == Agreement.Stage.DRAFT

    # --- On the partner page, the signature is recorded with the signed PDF. ---
    page.goto(institution.get_absolute_url())
    page.get_by_role("link", name=fr("Record the signature")).click()
    page.get_by_label(fr("Signed copy (PDF)")).set_input_files(
        files=[{"name": "convention signée.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=fr("Mark as signed")).click()
    expect(page.locator(".messages")).to_contain_text("Convention de partenariat")
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.SIGNED
    row = page.locator(f"#agreement-{agreement.pk}")
    expect(row).to_contain_text(fr_ctx("agreement stage", "Signed"))
    expect(row.locator(".flag")).to_be_visible()  # ends within 60 days
    expect(page.get_by_role("cell", name="01 23 45 67 03")).to_be_visible()
    expect(page.locator(".logo")).to_be_visible()
    screenshot(page, "partners-institution-fr")

    # --- A working group, then a meeting with an action for the counsellor. ---
    page.goto("/admin/partners/workinggroup/add/")
    page.locator("#id_name").fill("Jeunes sans solution")
    page.locator("#id_objective").fill("Un parcours commun pour les 16-25 ans sortis de l'école sans diplôme.")
    page.locator("#id_lead").select_option(label="Julien Moreau")
    page.locator("#id_institutions_from").select_option(label="Mission Locale Val-de-Seine")
    page.locator("#id_institutions_add").click()
    page.locator("#id_members_from").select_option(label="Camille Bernard")
    page.locator("#id_members_add").click()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto("/admin/partners/meeting/add/")
    page.locator("#id_group").select_option(label="Jeunes sans solution")
    last_week = today - datetime.timedelta(days=7)
    page.locator("#id_starts_at_0").fill(last_week.strftime("%d/%m/%Y"))
    page.locator("#id_starts_at_1").fill("14:00")
    page.locator("#id_ends_at_0").fill(last_week.strftime("%d/%m/%Y"))
    page.locator("#id_ends_at_1").fill("16:00")
    page.locator("#id_place").fill("Mission Locale, salle 2")
    page.locator("#id_agenda").fill("1. Chiffres des 16-25 ans\n2. Fiche de liaison")
    page.locator("#id_minutes").fill("Le groupe rédige une fiche de liaison commune.")
    page.locator("#id_decisions").fill("Une fiche de liaison sans donnée nominative.\nUn point tous les deux mois.")
    page.locator("#attendances-group .add-row a").click()
    page.locator("#id_attendances-0-user").select_option(label="Camille Bernard")
    page.locator("#actions-group .add-row a").click()
    page.locator("#id_actions-0-description").fill("Rédiger le projet de fiche de liaison")
    page.locator("#id_actions-0-owner").select_option(label="Camille Bernard")
    page.locator("#id_actions-0-due_date").fill((today - datetime.timedelta(days=2)).strftime("%d/%m/%Y"))
    screenshot(page, "partners-admin-meeting-fr")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    action = Action.objects.get()
    assert action.group.name == "Jeunes sans solution"
    # Minutes are a draft until published (from the meeting's own page, as the back office does).
    page.goto(f"/partners/groups/meetings/{action.meeting_id}/edit/")
    page.get_by_role("button", name=fr("Save and publish to the members")).click()
    expect(page.locator(".messages")).to_contain_text(fr("The minutes are published: the members can read them."))
    log_out(page)

    # --- The counsellor finds it under "my actions", overdue, and starts on it. ---
    log_in(page, "camille@example.org")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=fr("My actions")).click()
    assert page.locator("html").get_attribute("lang") == "fr"
    row = page.locator("tr", has_text="Rédiger le projet de fiche de liaison")
    expect(row).to_have_class("overdue")
    expect(row.locator(".flag")).to_have_text(fr("Overdue"))
    screenshot(page, "partners-my-actions-fr")
    row.get_by_role("combobox").select_option("in-progress")
    row.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("Rédiger le projet de fiche de liaison")
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS

    page.get_by_role("link", name="Jeunes sans solution").click()
    expect(page.locator("h1")).to_have_text("Jeunes sans solution")
    screenshot(page, "partners-group-fr")
    page.locator("section[aria-labelledby=meetings-title] tbody th a").first.click()
    expect(page.locator(".attendance")).to_contain_text("Camille Bernard")
    page.get_by_role("link", name=fr("Printable minutes")).first.click()
    expect(page.locator(".minutes-sheet")).to_contain_text("Une fiche de liaison sans donnée nominative.")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "partners-minutes-print-fr")
    page.emulate_media(media="screen")

    # --- The same in English. ---
    page.goto("/partners/actions/")
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("My actions")
    expect(page.locator("tr", has_text="Rédiger le projet").locator(".flag")).to_have_text("Overdue")
    screenshot(page, "partners-my-actions-en")
    page.goto(institution.get_absolute_url())
    expect(page.get_by_role("heading", name="Counsellors they second")).to_be_visible()
    screenshot(page, "partners-institution-en")
    assert page.console_errors == []  # no CSP violation, no missing file
