"""The front desk on a busy morning, measured in the browser: the area buttons stay in the first
screen before and after each ticket, a ticket is issued by keyboard alone, tickets print from a hidden
frame (no new tab), today's list reprints, and the clicks of the standard visits are counted, frequent
profiles included."""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reception.models import AgeBand, Desk, Gender, HeardFrom, ResidenceZone, Situation, Ticket
from reception.services import issue_ticket
from tests.conftest import make_staff, screenshot
from tests.factories import make_past_visit
from tests.reception.test_browser_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREAS = [
    ("A", "Choisir son orientation", "Choose a path"),
    ("B", "Trouver une formation", "Find training"),
    ("C", "Trouver un emploi", "Find a job"),
    ("D", "Changer sa vie professionnelle", "Change career"),
    ("E", "Créer son activité", "Start a business"),
    ("F", "Travailler à l'international", "Work abroad"),
]
# Counted by window.print in every frame: the printed ticket calls it once it is loaded.
COUNT_PRINTS = "window.print = () => { window.top.__prints = (window.top.__prints || 0) + 1; };"


@pytest.fixture
def centre(db):
    """Six areas, tickets waiting in each, and the profile lists of a real centre (answers on 2-3 lines)."""
    from cite.models import Area

    receptionist = make_staff("ines@example.org", "Reception", first_name="Inès")
    for order, (letter, name_fr, name_en) in enumerate(AREAS):
        area = Area.objects.create(code=f"area-{letter}", letter=letter, name_fr=name_fr, name_en=name_en, order=order)
        for _number in range(order % 3 + 1):
            issue_ticket(area=area, issued_by=receptionist)
    lists = {
        AgeBand: ["Moins de 18 ans", "18 à 25 ans", "26 à 35 ans", "36 à 45 ans", "46 à 55 ans", "Plus de 55 ans"],
        Situation: ["Élève", "Demandeur d'emploi", "Salarié", "Indépendant", "Sans activité", "Retraité"],
        Gender: ["Femme", "Homme", "Autre", "Ne souhaite pas répondre"],
        ResidenceZone: ["Ville-centre", "Reste de la métropole", "Hors métropole"],
        HeardFrom: ["Bouche à oreille", "Orienté par un partenaire", "Internet", "Presse"],
    }
    for model, labels in lists.items():
        for order, label in enumerate(labels):
            model.objects.create(code=f"{model.__name__}-{order}", label_fr=label, label_en=label, order=order)
    return receptionist


def front_desk(page, live_server, *, width, height, locale="fr-FR"):
    page.set_viewport_size({"width": width, "height": height})
    page.context.add_init_script(COUNT_PRINTS)
    log_in(page, "ines@example.org")
    page.goto("/reception/")
    expect(page.locator(".keys-hint")).to_be_visible()  # static/js/front_desk.js is listening for keys
    return page


FIRST_VISIT_18_TO_25_JOB_SEEKER = (True, "18 à 25 ans", "Demandeur d'emploi")  # keys 1, 2, 2


def first_three_answers(code):
    """The first three answers of today's ticket `code`: first visit, age band, situation."""
    ticket = Ticket.objects.get(code=code)
    return ticket.first_visit, ticket.age_band.label_fr, ticket.situation.label_fr


def buttons_box(page):
    return page.locator(".area-buttons").bounding_box()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1024, 768), (768, 1024)])
def test_the_area_buttons_stay_in_the_first_screen_before_and_after_a_ticket(page, live_server, centre, width, height):
    front_desk(page, live_server, width=width, height=height)
    before = buttons_box(page)
    assert before["y"] + before["height"] <= min(height, 800), before
    page.keyboard.press("1")  # first visit (a click lower down would scroll the page itself)
    page.get_by_role("button", name=re.compile("Trouver un emploi")).click()
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "C-004")
    after = buttons_box(page)
    assert after == before  # not a pixel moved, and the page did not scroll
    assert page.evaluate("window.scrollY") == 0
    # The form is ready for the next visitor: the answers are back to "not asked".
    expect(page.locator("input[name=first_visit][value='']")).to_be_checked()
    expect(page.get_by_role("link", name=re.compile("Réimprimer"))).to_be_in_viewport()
    screenshot(page, f"reception-front-desk-issued-{width}x{height}-fr")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []


def test_a_ticket_issued_by_keyboard_alone_and_printed_without_a_new_tab(page, live_server, centre):
    front_desk(page, live_server, width=1280, height=800)
    for key in ("1", "2", "2"):  # first visit, 18 to 25, a job seeker
        page.keyboard.press(key)
    expect(page.locator("[data-question=gender]")).to_have_class(re.compile("current"))
    page.keyboard.press("b")
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "B-003")
    assert first_three_answers("B-003") == FIRST_VISIT_18_TO_25_JOB_SEEKER
    expect(page.frame_locator("iframe.print-frame").locator(".receipt-code")).to_have_text("B-003")
    page.wait_for_function("window.__prints === 1")
    assert len(page.context.pages) == 1
    # The letters typed into the return code are the code, not areas.
    page.get_by_label("Code de suivi donné par le visiteur").fill("abc")
    page.keyboard.press("c")
    assert Ticket.objects.filter(code="C-004").count() == 0
    assert page.console_errors == []


def test_the_next_visitors_answers_typed_while_a_ticket_is_issued_are_kept(page, live_server, centre, monkeypatch):
    """A receptionist types the next visitor's answers straight after the area's letter: the digits
    that arrive while the ticket is being issued answer the fresh form's questions, in order."""
    from reception import services

    issue = services.issue_ticket

    def slowly(**kwargs):  # the ticket takes half a second: the digits surely arrive meanwhile
        time.sleep(0.5)
        return issue(**kwargs)

    monkeypatch.setattr(services, "issue_ticket", slowly)
    front_desk(page, live_server, width=1280, height=800)
    page.keyboard.press("b")  # a visitor who answered nothing
    expect(page.locator("[data-front-desk]")).to_have_class(re.compile("htmx-request"))
    for key in ("1", "2", "2"):  # the next one: first visit, 18 to 25, a job seeker
        page.keyboard.press(key)
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "B-003")
    expect(page.locator("[data-question=gender]")).to_have_class(re.compile("current"))
    page.keyboard.press("c")
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "C-004")
    assert first_three_answers("C-004") == FIRST_VISIT_18_TO_25_JOB_SEEKER
    assert Ticket.objects.get(code="B-003").age_band is None
    assert page.console_errors == []


def test_reprint_from_todays_list_prints_in_place(page, live_server, centre):
    front_desk(page, live_server, width=1280, height=800)
    page.goto("/reception/today/")
    page.get_by_role("link", name="Réimprimer C-003").click()
    expect(page.frame_locator("iframe.print-frame").locator(".receipt-code")).to_have_text("C-003")
    page.wait_for_function("window.__prints === 1")
    assert len(page.context.pages) == 1
    assert page.url.endswith("/reception/today/")
    screenshot(page, "reception-today-fr")
    assert page.console_errors == []


def test_cancel_from_todays_list_with_a_reason_then_undo(page, live_server, centre):
    front_desk(page, live_server, width=1280, height=800)
    page.goto("/reception/today/")
    page.get_by_role("link", name="Annuler… A-001").click()
    page.get_by_text("Le visiteur est parti").click()
    screenshot(page, "reception-ticket-page-fr")
    page.get_by_role("button", name="Annuler A-001").click()
    expect(page.locator(".undo-offer")).to_contain_text("A-001")
    assert Ticket.objects.get(code="A-001").status == "cancelled"
    page.get_by_role("button", name="Rétablir A-001").click()
    expect(page.locator(".messages")).to_contain_text("A-001 est de nouveau en attente")
    assert Ticket.objects.get(code="A-001").status == "waiting"
    assert page.console_errors == []


class Clicks:
    """Counts the clicks (and taps) a visit costs at the front desk."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def on(self, locator):
        locator.click()
        self.count += 1


def test_the_clicks_of_the_three_standard_visits(page, live_server, centre):
    """The figures of the README and docs/reception.md: no question, a full profile, a return code."""
    from reception.models import ReturnCode

    front_desk(page, live_server, width=1280, height=800)
    counted = {}

    clicks = Clicks(page)
    clicks.on(page.get_by_role("button", name=re.compile("Trouver une formation")))
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "B-003")
    counted["no question"] = clicks.count

    clicks = Clicks(page)
    for answer in ("Première visite", "26 à 35 ans", "Salarié", "Femme", "Ville-centre", "Internet"):
        clicks.on(page.locator("label.chip", has_text=answer))
    clicks.on(page.get_by_role("button", name=re.compile("Trouver un emploi")))
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "C-004")
    ticket = Ticket.objects.get(code="C-004")
    assert None not in (ticket.first_visit, ticket.age_band, ticket.situation, ticket.gender, ticket.residence_zone)
    assert ticket.heard_from is not None
    counted["full profile"] = clicks.count

    code = ReturnCode.objects.create()
    clicks = Clicks(page)
    clicks.on(page.get_by_label("Code de suivi donné par le visiteur"))
    page.keyboard.type(code.code.lower())
    clicks.on(page.get_by_role("button", name=re.compile("Créer son activité")))
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "E-003")
    assert Ticket.objects.get(code="E-003").return_code == code
    counted["return code"] = clicks.count

    print(f"\nClicks per visit at the front desk: {counted}")
    assert counted == {"no question": 1, "full profile": 7, "return code": 2}
    # Each ticket printed once, by itself; the last one's frame may still be loading after the swap.
    for _ in range(50):
        if page.evaluate("window.__prints") == 3:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__prints") == 3
    assert page.console_errors == []


def test_the_front_desk_in_english(page, live_server, centre):
    front_desk(page, live_server, width=1280, height=800)
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("heading", name="Welcome a visitor")).to_be_visible()
    expect(page.locator(".keys-hint")).to_be_visible()  # the keys work once the page's script has run
    page.keyboard.press("1")
    page.keyboard.press("a")
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "A-002")
    screenshot(page, "reception-front-desk-issued-en")
    ticket = Ticket.objects.get(code="A-002")
    page.goto(f"/reception/tickets/{ticket.pk}/")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    screenshot(page, "reception-ticket-page-en")
    assert page.console_errors == []


# Two complete profiles given often this month (each answer by its French label), as in a real centre.
STUDENT = ("Première visite", "18 à 25 ans", "Élève", "Femme", "Ville-centre", "Internet")
JOB_SEEKER = ("Déjà venu·e", "26 à 35 ans", "Demandeur d'emploi", "Homme", "Reste de la métropole", "Presse")
LONGEST = [  # the longest answers of the lists: the four buttons must still fit under the area buttons
    (
        "Déjà venu·e",
        "Plus de 55 ans",
        "Sans activité",
        "Ne souhaite pas répondre",
        "Reste de la métropole",
        "Orienté par un partenaire",
    ),
    (
        "Première visite",
        "46 à 55 ans",
        "Demandeur d'emploi",
        "Ne souhaite pas répondre",
        "Hors métropole",
        "Bouche à oreille",
    ),
]
QUESTIONS = [
    ("age_band", AgeBand),
    ("situation", Situation),
    ("gender", Gender),
    ("residence_zone", ResidenceZone),
    ("heard_from", HeardFrom),
]


def answers_of(labels):
    first, *items = labels
    return {
        "first_visit": first == "Première visite",
        **{name: model.objects.get(label_fr=label) for (name, model), label in zip(QUESTIONS, items, strict=True)},
    }


def issued_today(code):
    return Ticket.objects.get(code=code, day=timezone.localdate())


def profile_of(ticket):
    first = {True: "Première visite", False: "Déjà venu·e", None: None}[ticket.first_visit]
    return (first, *(getattr(ticket, name).label_fr if getattr(ticket, name) else None for name, _model in QUESTIONS))


@pytest.fixture
def frequent(centre):
    """Yesterday's visits: 7 students, 6 job seekers and 5 of each of the LONGEST profiles, and 4 others
    with a fifth one (too few to become a button)."""
    from cite.models import Area

    area, desk = Area.objects.get(letter="A"), Desk.objects.create(name="9")
    history = [STUDENT] * 7 + [JOB_SEEKER] * 6 + LONGEST * 5 + [(*STUDENT[:3], "Homme", *STUDENT[4:])] * 4
    for number, labels in enumerate(history, 1):
        make_past_visit(area, number, desk=desk, **answers_of(labels))
    return centre


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1024, 768), (768, 1024)])
def test_the_frequent_profiles_under_the_area_buttons(page, live_server, frequent, width, height):
    front_desk(page, live_server, width=width, height=height)
    buttons = page.locator("[data-answers]")
    expect(buttons).to_have_count(4)  # the fifth profile was given by four visitors only
    expect(buttons.first).to_contain_text("Première visite · 18 à 25 ans · Élève · Femme · Ville-centre · Internet")
    before = buttons_box(page)
    assert before["y"] + before["height"] <= min(height, 800), before
    row = page.locator("[data-frequent-profiles]").bounding_box()
    print(f"\nFrequent profiles at {width}x{height}: from {row['y']:.0f} to {row['y'] + row['height']:.0f} px")
    if (width, height) == (1280, 800):
        assert row["y"] + row["height"] <= height  # the four buttons in the first screen, under the areas
    buttons.nth(1).click()
    page.get_by_role("button", name=re.compile("Trouver un emploi")).click()
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "C-004")
    assert profile_of(issued_today("C-004")) == JOB_SEEKER
    after, scrolled = buttons_box(page), page.evaluate("window.scrollY")
    assert {**after, "y": after["y"] + scrolled} == before  # not a pixel moved on the page
    if (width, height) == (1280, 800):
        assert scrolled == 0
    expect(buttons.nth(1)).to_have_attribute("aria-pressed", "false")  # the form is blank for the next visitor
    screenshot(page, f"reception-front-desk-frequent-profiles-{width}x{height}-fr")
    assert page.console_errors == []


def test_the_clicks_of_visitors_with_a_frequent_profile(page, live_server, frequent):
    """The figures of the README and docs/reception.md: a frequent profile, the same with one answer
    changed, and the keyboard's."""
    front_desk(page, live_server, width=1280, height=800)
    student, job_seeker = page.locator("[data-answers]").nth(0), page.locator("[data-answers]").nth(1)
    counted, scrolled = {}, {}

    clicks = Clicks(page)
    clicks.on(student)
    expect(student).to_have_attribute("aria-pressed", "true")
    expect(page.locator("input[name=situation]:checked + label")).to_have_text(re.compile("Élève"))
    clicks.on(page.get_by_role("button", name=re.compile("Trouver une formation")))
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "B-003")
    assert profile_of(issued_today("B-003")) == STUDENT
    counted["frequent profile"], scrolled["frequent profile"] = clicks.count, page.evaluate("window.scrollY") > 0

    clicks = Clicks(page)
    clicks.on(job_seeker)
    clicks.on(page.locator("label.chip", has_text="Internet"))  # heard of us online, not in the press
    scrolled["one answer changed"] = page.evaluate("window.scrollY") > 0
    expect(job_seeker).to_have_attribute("aria-pressed", "false")
    clicks.on(page.get_by_role("button", name=re.compile("Créer son activité")))
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "E-003")
    assert profile_of(issued_today("E-003")) == (*JOB_SEEKER[:5], "Internet")
    counted["one answer changed"] = clicks.count

    page.evaluate("window.scrollTo(0, 0)")
    page.locator("body").click(position={"x": 5, "y": 300})  # no field has the focus: keys go to the page
    expect(page.locator("[data-frequent-profiles]")).to_have_class(re.compile("current"))
    page.keyboard.press("2")
    expect(page.locator("[data-question=first_visit]")).to_have_class(re.compile("current"))
    page.keyboard.press("d")
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "D-002")
    assert profile_of(issued_today("D-002")) == JOB_SEEKER
    # One answer changed: the profile's digit, Tab down to the question, the answer's digit, the letter.
    for key in ("1", "Tab", "Tab", "Tab", "Tab", "Tab", "4", "f"):
        page.keyboard.press(key)
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "F-004")
    assert profile_of(issued_today("F-004")) == (*STUDENT[:5], "Presse")
    # None of them: 0, then a digit per question as before the frequent profiles, then the letter.
    for key in ("0", "1", "6", "4", "2", "3", "1", "a"):
        page.keyboard.press(key)
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "A-002")
    expect(page.locator("[data-answers][aria-pressed=true]")).to_have_count(0)
    assert profile_of(issued_today("A-002")) == (
        "Première visite",
        "Plus de 55 ans",
        "Indépendant",
        "Homme",
        "Hors métropole",
        "Bouche à oreille",
    )

    print(f"\nClicks per visit with a frequent profile: {counted}; scrolled: {scrolled}")
    assert counted == {"frequent profile": 2, "one answer changed": 3}
    assert scrolled["frequent profile"] is False
    assert page.console_errors == []


def test_a_quoted_return_code_answers_has_come_before_on_screen(page, live_server, centre):
    from reception.models import ReturnCode

    front_desk(page, live_server, width=1280, height=800)
    code = ReturnCode.objects.create()
    page.get_by_label("Code de suivi donné par le visiteur").fill(code.code)
    expect(page.locator("input[name=first_visit][value=no]")).to_be_checked()
    page.get_by_label("Code de suivi donné par le visiteur").fill("")
    expect(page.locator("input[name=first_visit][value='']")).to_be_checked()  # taken back with the code
    page.get_by_label("Code de suivi donné par le visiteur").fill(code.code)
    page.keyboard.press("Enter")
    page.keyboard.press("a")
    expect(page.locator("[data-issued]")).to_have_attribute("data-issued", "A-002")
    ticket = issued_today("A-002")
    assert (ticket.return_code, ticket.first_visit, ticket.age_band) == (code, False, None)
    assert page.console_errors == []


def test_the_frequent_profiles_in_english(page, live_server, frequent):
    front_desk(page, live_server, width=1280, height=800)
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("heading", name="Welcome a visitor")).to_be_visible()
    expect(page.locator("[data-frequent-profiles] legend")).to_contain_text("Frequent profiles")
    expect(page.locator("[data-answers]").first).to_contain_text("First visit")
    page.locator("[data-answers]").first.click()
    screenshot(page, "reception-front-desk-frequent-profiles-1280x800-en")
    assert page.console_errors == []
