"""The visitors' pages: whether the centre is open now, the public home, occupations to explore and the
workshops programme (public workshops only)."""

import datetime

import pytest
from django.urls import reverse

from counselling import public
from counselling.models import Closure
from resources.models import Record
from tests.counselling.planning_helpers import T, frozen, open_centre
from tests.counselling.workshop_factories import make_workshop
from tests.factories import local, make_area, parse_calendar

# 2026-03-02 is a Monday; 2026-03-29 is the night Paris moves to summer time.
MONDAY = datetime.date(2026, 3, 2)
FRIDAY = MONDAY + datetime.timedelta(days=4)


@pytest.fixture
def centre(db):
    open_centre()  # Monday to Friday, 9:00-17:00


def state_at(moment):
    return public.opening_state(moment)


def test_open_until_closing_time_and_closed_at_closing_time(centre):
    assert state_at(local(MONDAY, 16, 59, 59)) == public.OpeningState(
        in_use=True, is_open=True, closes_at=T(17), today=MONDAY, hours=(T(9), T(17)), minutes_to_closing=1
    )
    closed = state_at(local(MONDAY, 17))
    assert not closed.is_open
    assert closed.opens_tomorrow and closed.opens_at == T(9)
    assert closed.hours == (T(9), T(17))  # today's hours still, for the display's label


@pytest.mark.parametrize(
    ("clock", "minutes", "soon"),
    [((9, 0), 480, False), ((16, 29, 59), 31, False), ((16, 30), 30, True), ((16, 45, 30), 15, True)],
)
def test_near_closing_it_counts_the_minutes_left(centre, clock, minutes, soon):
    """Rounded up, as a visitor reads "closes in 15 min" at 16:45:30; "soon" from 30 minutes before."""
    state = state_at(local(MONDAY, *clock))
    assert state.is_open and state.minutes_to_closing == minutes
    assert state.closes_soon is soon


def test_before_opening_and_on_a_closure_day_todays_hours_are_known_or_none(centre):
    assert state_at(local(MONDAY, 8)).hours == (T(9), T(17))
    assert state_at(local(MONDAY + datetime.timedelta(days=5), 10)).hours is None  # Saturday
    Closure.objects.create(starts_on=MONDAY, ends_on=MONDAY, reason_fr="Inventaire")
    shut = state_at(local(MONDAY, 10))
    assert shut.hours is None and not shut.closes_soon


def test_before_opening_it_opens_today(centre):
    state = state_at(local(MONDAY, 8, 30))
    assert not state.is_open and state.opens_today and state.opens_at == T(9)


def test_friday_evening_it_opens_on_monday(centre):
    state = state_at(local(FRIDAY, 18))
    assert state.next_day == MONDAY + datetime.timedelta(days=7)
    assert not state.opens_tomorrow


def test_a_closure_today_shuts_it_and_says_why(centre):
    Closure.objects.create(starts_on=MONDAY, ends_on=MONDAY + datetime.timedelta(days=1), reason_fr="Grève")
    state = state_at(local(MONDAY, 10))
    assert not state.is_open
    assert state.closure.reason == "Grève"
    assert state.next_day == MONDAY + datetime.timedelta(days=2)


def test_midnight_is_read_in_the_centres_time_zone(centre):
    # 23:30 UTC on Sunday is already 00:30 on Monday in Paris (winter time): it opens "today".
    sunday_night_utc = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    state = state_at(sunday_night_utc)
    assert state.today == MONDAY
    assert state.opens_today and state.opens_at == T(9)
    # 22:59 UTC on Monday is 23:59 in Paris: still Monday, and it opens tomorrow.
    state = state_at(datetime.datetime(2026, 3, 2, 22, 59, tzinfo=datetime.UTC))
    assert state.today == MONDAY and state.opens_tomorrow


def test_across_the_change_to_summer_time_closing_stays_at_five(db):
    open_centre(weekdays=range(7))
    # Sunday 29 March 2026, 16:30 in Paris is 14:30 UTC (UTC+2 since 3:00 that night).
    state = state_at(datetime.datetime(2026, 3, 29, 14, 30, tzinfo=datetime.UTC))
    assert state.is_open and state.closes_at == T(17)


def test_without_opening_hours_nothing_is_claimed(db):
    assert state_at(local(MONDAY, 10)).in_use is False


def test_a_long_closure_says_it_will_not_open_soon(centre):
    Closure.objects.create(starts_on=MONDAY, ends_on=MONDAY + datetime.timedelta(days=30), reason_fr="Travaux")
    state = state_at(local(MONDAY, 10))
    assert state.next_day is None and state.closure is not None


def test_anonymous_home_says_open_now_and_lists_the_coming_public_workshops(client, centre, settings):
    settings.CENTRE_ADDRESS = "30 avenue Corentin-Cariou, 75019 Paris"
    settings.CENTRE_PHONE = "01 40 05 85 85"
    settings.CENTRE_MAP_URL = "https://www.openstreetmap.org/#map=17/48.8958/2.3878"
    make_workshop("Réussir son CV", is_public=True)
    make_workshop("Réunion interne", is_public=False)
    make_workshop("Annulé", is_public=True, is_cancelled=True)
    with frozen(local(MONDAY, 10)):
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ouvert maintenant jusqu’à 17:00" in page
    assert "Réussir son CV" in page
    assert "Réunion interne" not in page and "Annulé" not in page
    assert 'href="tel:0140058585"' in page
    assert "75019 Paris" in page and "openstreetmap" in page
    for name in ("counselling:when-to-come", "public:workshops", "public:occupations", "resources:public-catalogue"):
        assert f'href="{reverse(name)}"' in page


def test_home_in_english_says_when_it_opens(client, centre):
    with frozen(local(FRIDAY, 18)):
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Opens on Monday 9 March at 09:00" in page


def test_staff_still_land_on_their_work(client, receptionist):
    client.force_login(receptionist)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("reception:front-desk")


def test_every_public_page_links_to_the_others_and_the_logo_leads_home(client, db):
    for url in ("/", "/occupations/", "/workshops/", "/counselling/when-to-come/", "/resources/public/"):
        page = client.get(url).content.decode()
        assert 'class="brand" href="/"' in page, url
        for target in ("/occupations/", "/workshops/", "/counselling/when-to-come/", "/resources/public/"):
            assert f'href="{target}"' in page, (url, target)


# Occupations ---------------------------------------------------------------------------------


def test_an_occupation_is_found_with_a_typo_and_its_page_shows_records_and_workshops(client, plumber):
    area = make_area("find-job")
    public_record = Record.objects.create(title="Fiche métier plombier", visibility=Record.Visibility.PUBLIC)
    internal = Record.objects.create(title="Note interne plomberie", visibility=Record.Visibility.INTERNAL)
    public_record.occupations.add(plumber)
    internal.occupations.add(plumber)
    coming = make_workshop("Découvrir la plomberie", is_public=True, area=area)
    coming.occupations.add(plumber)
    private = make_workshop("Plomberie : réunion partenaires", is_public=False)
    private.occupations.add(plumber)

    page = client.get("/occupations/", {"q": "plonbier"}).content.decode()
    url = reverse("public:occupation", kwargs={"pk": plumber.pk})
    assert f'href="{url}"' in page

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "plombier/plombière" in page
    assert "plombier sanitaire" in page  # an alternative label in French
    assert "Fiche métier plombier" in page and "Note interne plomberie" not in page
    assert "Découvrir la plomberie" in page and "réunion partenaires" not in page
    assert area.name_fr in page  # the area to ask for: the theme of its workshop
    assert reverse("public:occupation-group", kwargs={"code": "7126"}) in page


def test_an_occupation_page_in_english_shows_english_labels(client, plumber):
    page = client.get(reverse("public:occupation", kwargs={"pk": plumber.pk}), HTTP_ACCEPT_LANGUAGE="en")
    assert "gas fitter" in page.content.decode()


def test_a_group_page_lists_its_occupations(client, plumber):
    page = client.get(reverse("public:occupation-group", kwargs={"code": "7126"})).content.decode()
    assert reverse("public:occupation", kwargs={"pk": plumber.pk}) in page


def test_unknown_occupation_or_group_is_404(client, db):
    assert client.get("/occupations/999999/").status_code == 404
    assert client.get("/occupations/isco/9999/").status_code == 404


def test_a_nul_byte_in_the_search_is_harmless(client, db):
    assert client.get("/occupations/", {"q": "plom\x00bier"}).status_code == 200


# Workshops programme ----------------------------------------------------------------------


def test_programme_shows_coming_public_workshops_with_filters(client, db):
    job, training = make_area("find-job"), make_area("find-training", letter="T")
    make_workshop("Job dating logistique", kind="job_dating", is_public=True, area=job)
    make_workshop("Forum de l'alternance", kind="forum", is_public=True, area=training)
    make_workshop("Atelier passé", is_public=True, days=-3)
    make_workshop("Atelier interne", is_public=False)
    page = client.get("/workshops/").content.decode()
    assert "Job dating logistique" in page and "Forum de l&#x27;alternance" in page
    assert "Atelier passé" not in page and "Atelier interne" not in page
    page = client.get("/workshops/", {"kind": "forum"}).content.decode()
    assert "Forum de l&#x27;alternance" in page and "Job dating logistique" not in page
    page = client.get("/workshops/", {"area": job.pk}).content.decode()
    assert "Job dating logistique" in page and "Forum de l&#x27;alternance" not in page


def test_a_wrong_filter_is_said_and_the_list_stays_whole(client, db):
    make_workshop("Réussir son CV", is_public=True)
    response = client.get("/workshops/", {"kind": "<script>", "area": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Réussir son CV" in page
    assert "Sélectionnez un choix valide" in page
    assert "<script>" not in page.split("<main")[1]


def test_a_workshop_page_and_its_calendar_file(client, db):
    workshop = make_workshop("Réussir son CV", is_public=True)
    page = client.get(reverse("public:workshop", kwargs={"uid": workshop.uid})).content.decode()
    ics_url = reverse("public:workshop-ics", kwargs={"uid": workshop.uid})
    assert "Réussir son CV" in page and ics_url in page
    calendar = parse_calendar(client.get(ics_url))
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Réussir son CV"


def test_a_private_or_cancelled_workshop_has_no_public_page(client, db):
    for workshop in (
        make_workshop("Interne", is_public=False),
        make_workshop("Annulé", is_public=True, is_cancelled=True),
    ):
        assert client.get(reverse("public:workshop", kwargs={"uid": workshop.uid})).status_code == 404
        assert client.get(reverse("public:workshop-ics", kwargs={"uid": workshop.uid})).status_code == 404
