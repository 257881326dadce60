"""The back office's week in the real browser, in French then in English, without ever opening the
administration: a partner with a contact, an agreement drafted, signed and renewed, a phone call
logged, a meeting planned, attended, minuted and published, Thursday's hours changed and a closure
added."""

import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from counselling.models import Closure, OpeningHours
from partners.models import Action, Agreement, Contact, Exchange, Institution, Meeting
from tests.conftest import PASSWORD, make_staff, screenshot
from tests.counselling.planning_helpers import open_centre
from tests.factories import make_area
from tests.partners.factories import PDF, make_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(message, context=None):
    with translation.override("fr"):
        return translation.pgettext(context, message) if context else translation.gettext(message)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def never_the_admin(page):
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    return visited


def test_the_back_office_runs_a_partnership_and_a_meeting_in_the_app_in_french(page):
    make_area("find-job")
    make_staff("julien@example.org", "Back office", first_name="Julien", last_name="Moreau", is_staff=True)
    camille = make_staff("camille@example.org", "Counsellor", first_name="Camille", last_name="Bernard")
    visited = never_the_admin(page)
    today = timezone.localdate()
    log_in(page, "julien@example.org")

    # An institution with a contact.
    page.goto("/partners/institutions/")
    page.get_by_role("link", name=fr("Add an institution")).click()
    page.locator("#id_name").fill("Mission Locale Val-de-Seine")
    page.locator("#id_kind").select_option("employment")
    page.locator("#id_address").fill("12 rue des Partenaires\n92000 Val-de-Seine")
    page.locator("#id_phone").fill("01 23 45 67 89")
    page.locator("input[name=areas]").first.check()
    screenshot(page, "backoffice-institution-form-fr")
    page.get_by_role("button", name=fr("Add this institution")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mission Locale Val-de-Seine")
    page.get_by_role("link", name=fr("Add a contact")).click()
    page.locator("#id_name").fill("Élodie Fontaine")
    page.locator("#id_role").fill("Directrice")
    page.locator("#id_phone").fill("01 23 45 67 03")
    page.get_by_role("button", name=fr("Add this contact")).click()
    expect(page.get_by_role("cell", name="Élodie Fontaine")).to_be_visible()
    institution = Institution.objects.get()
    assert Contact.objects.get().phone == "+33123456703"

    # A draft agreement, signed, then renewed.
    page.get_by_role("link", name=fr("Prepare an agreement")).click()
    page.locator("#id_title").fill("Convention de partenariat")
    page.locator("#id_start_date").fill((today - datetime.timedelta(days=300)).isoformat())
    page.locator("#id_end_date").fill((today + datetime.timedelta(days=30)).isoformat())
    page.locator("#id_committed_hours").fill("7")
    page.get_by_role("button", name=fr("Save the draft")).click()
    page.get_by_role("link", name=fr("Record the signature")).first.click()
    page.locator("#id_signature_date").fill(today.isoformat())
    page.locator("#id_document").set_input_files(
        files=[{"name": "signée.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=fr("Mark as signed")).click()
    agreement = Agreement.objects.get()
    assert agreement.stage == Agreement.Stage.SIGNED
    expect(page.get_by_text(fr("Ends in %(days)s day, to renew").split(" %")[0]).first).to_be_visible()
    screenshot(page, "backoffice-partner-page-to-renew-fr")
    page.get_by_role("button", name=fr("Renew")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Edit the draft agreement"))
    page.get_by_role("button", name=fr("Save the draft")).click()
    renewal = Agreement.objects.get(renews=agreement)
    assert renewal.stage == Agreement.Stage.DRAFT

    # A phone call logged.
    page.goto(institution.get_absolute_url())
    page.get_by_role("link", name=fr("Log an exchange")).first.click()
    page.get_by_text(fr("Phone call", "kind of exchange"), exact=True).click()
    page.get_by_label("Élodie Fontaine").check()
    page.locator("#id_note").fill("Deux conseillers disponibles le samedi du forum.")
    page.locator("#id_follow_up").fill("Confirmer par écrit")
    page.get_by_role("button", name=fr("Log this exchange")).click()
    expect(page.get_by_text("Deux conseillers disponibles le samedi du forum.")).to_be_visible()
    assert Exchange.objects.get().kind == Exchange.Kind.CALL

    # A meeting planned, attended, minuted with two decisions and two actions, published.
    group = make_group("Forum de l'alternance", members=[camille])
    group.institutions.add(institution)
    page.goto(group.get_absolute_url())
    page.get_by_role("link", name=fr("Plan a meeting")).click()
    page.locator("#id_date").fill((today - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_starts_at").fill("09:30")
    page.locator("#id_ends_at").fill("11:00")
    page.locator("#id_place").fill("Salle Ariane")
    page.locator("#id_agenda").fill("1. Bilan\n2. Date du forum")
    page.get_by_role("button", name=fr("Plan this meeting")).click()
    meeting = Meeting.objects.get()
    page.get_by_role("radiogroup", name="Camille Bernard").get_by_label(fr("Present")).check()
    page.get_by_label("Élodie Fontaine (Mission Locale Val-de-Seine)").check()
    page.locator("#id_text-minutes").fill("Le forum aura lieu en mars, dans le hall.")
    expect(page.locator("[data-autosave-status]")).to_contain_text(fr("Draft saved at %(time)s.").split(" %")[0][:10])
    meeting.refresh_from_db()
    assert meeting.minutes == "Le forum aura lieu en mars, dans le hall."  # saved as typed, before any button
    page.locator("#id_text-decisions").fill("Forum un samedi\nUn atelier par heure")
    page.locator("#id_actions-0-description").fill("Réserver le hall")
    page.locator("#id_actions-0-owner").select_option(label="Julien Moreau")
    page.locator("#id_actions-1-description").fill("Mobiliser dix entreprises")
    page.locator("#id_actions-1-owner").select_option(label="Camille Bernard")
    screenshot(page, "backoffice-meeting-editor-fr")
    page.get_by_role("button", name=fr("Save and publish to the members")).click()
    expect(page.get_by_role("heading", name=fr("Decisions"))).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.is_published and len(meeting.decision_list()) == 2
    assert Action.objects.filter(meeting=meeting).count() == 2

    # Thursday's hours and a closure.
    open_centre()
    page.goto("/counselling/planning/")
    page.get_by_role("link", name=fr("Opening hours")).click()
    page.locator("#id_closes_3").fill("19:00")
    page.get_by_role("button", name=fr("Save the hours")).click()
    expect(page.locator(".messages")).to_be_visible()
    assert OpeningHours.objects.get(area=None, weekday=3).closes_at == datetime.time(19)
    page.get_by_role("link", name=fr("Closures")).first.click()
    page.locator("#id_starts_on").fill((today + datetime.timedelta(days=20)).isoformat())
    page.locator("#id_ends_on").fill((today + datetime.timedelta(days=22)).isoformat())
    page.locator("#id_reason_fr").fill("Inventaire")
    page.get_by_role("button", name=fr("Add this closure")).click()
    expect(page.locator("td", has_text="Inventaire").first).to_be_visible()
    screenshot(page, "backoffice-closures-fr")
    assert Closure.objects.get().reason_fr == "Inventaire"
    assert not [url for url in visited if "/admin/" in url]
    assert page.console_errors == []


def test_the_back_office_logs_a_call_and_changes_thursday_in_english(page):
    make_staff("julien@example.org", "Back office", first_name="Julien", last_name="Moreau", is_staff=True)
    institution = Institution.objects.create(name="France Travail", kind="employment")
    Contact.objects.create(institution=institution, name="Claire Dumas")
    open_centre()
    visited = never_the_admin(page)
    log_in(page, "julien@example.org")
    page.get_by_role("button", name="EN").click()
    page.goto(institution.get_absolute_url())
    page.get_by_role("link", name="Log an exchange").first.click()
    page.get_by_text("Phone call", exact=True).click()
    page.get_by_label("Claire Dumas").check()
    page.locator("#id_note").fill("Call me back on 06 12 34 56 78 about the young visitor.")
    page.get_by_role("button", name="Log this exchange").click()
    expect(page.get_by_text("personal data").first).to_be_visible()  # the guard, nothing typed lost
    expect(page.locator("#id_note")).to_have_value("Call me back on 06 12 34 56 78 about the young visitor.")
    page.locator("#id_note").fill("Two counsellors available on the Saturday of the forum.")
    page.get_by_role("button", name="Log this exchange").click()
    expect(page.get_by_text("Two counsellors available on the Saturday of the forum.")).to_be_visible()
    screenshot(page, "backoffice-partner-page-en")
    page.goto("/counselling/planning/opening-hours/")
    page.locator("#id_opens_3").fill("13:00")
    page.get_by_role("button", name="Save the hours").click()
    expect(page.get_by_text("The opening hours of the centre are saved.")).to_be_visible()
    screenshot(page, "backoffice-opening-hours-en")
    assert OpeningHours.objects.get(area=None, weekday=3).opens_at == datetime.time(13)
    assert not [url for url in visited if "/admin/" in url]
