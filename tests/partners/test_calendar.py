"""The iCalendar feed: a secret per person, the centre's time zone, stable UIDs, only one's own meetings."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from partners import services
from partners.models import CalendarToken, NetworkEvent
from tests.conftest import make_staff
from tests.factories import events_by_summary, parse_calendar
from tests.partners.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def feed(client, token):
    return client.get(f"/partners/calendar/{token}.ics")


def test_a_token_carries_at_least_128_random_bits_and_only_its_digest_is_stored(counsellor):
    token = services.issue_calendar_token(user=counsellor)

    assert len(token) >= 22  # url-safe base64: 6 bits a character, 32 bytes → 43 characters
    assert len(token.encode()) * 6 >= 128
    stored = CalendarToken.objects.get(user=counsellor)
    assert stored.digest != token
    assert token not in stored.digest
    assert stored.digest == services.token_digest(token)


def test_the_feed_shows_the_meetings_of_my_groups_in_the_centres_time_zone(client, counsellor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    group = make_group("Forum de l'alternance", members=[counsellor])
    start = datetime.datetime(2026, 7, 2, 14, 0, tzinfo=PARIS)  # summer time: 12:00 UTC
    group.meetings.create(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="Salle Ariane", agenda="1. Bilan"
    )
    make_meeting(make_group("Comité de pilotage"))  # not mine
    token = services.issue_calendar_token(user=counsellor)

    calendar = parse_calendar(feed(client, token))

    meeting = events_by_summary(calendar)["Working group: Forum de l'alternance"]
    assert len(calendar.walk("VEVENT")) == 1
    assert meeting["dtstart"].params["TZID"] == "Europe/Paris"
    assert meeting.decoded("dtstart") == start
    assert meeting.decoded("dtstart").utcoffset() == datetime.timedelta(hours=2)
    assert meeting.decoded("dtend") == start + datetime.timedelta(hours=2)
    assert str(meeting["location"]) == "Salle Ariane"
    assert str(meeting["description"]) == "1. Bilan"
    assert str(meeting["url"]).endswith(f"/partners/groups/meetings/{group.meetings.get().pk}/")
    assert meeting.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
    assert meeting.decoded("last-modified").utcoffset() == datetime.timedelta(0)
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == "Europe/Paris"
    raw = feed(client, token).content.decode()
    assert "DTSTART;TZID=Europe/Paris:20260702T140000" in raw
    assert "\r\nDTSTAMP:" in raw and "Z\r\n" in raw.split("\r\nDTSTAMP:")[1][:20]


def test_uids_stay_the_same_when_a_meeting_moves(client, counsellor):
    meeting = make_meeting(make_group(members=[counsellor]))
    token = services.issue_calendar_token(user=counsellor)
    before = str(next(iter(events_by_summary(parse_calendar(feed(client, token))).values()))["uid"])

    meeting.starts_at += datetime.timedelta(days=1)
    meeting.ends_at += datetime.timedelta(days=1)
    meeting.save()
    after = next(iter(events_by_summary(parse_calendar(feed(client, token))).values()))

    assert str(after["uid"]) == before == f"meeting-{meeting.uid}@partners.cite"
    assert after.decoded("dtstart") == meeting.starts_at


def test_network_events_i_take_part_in_are_all_day_events(client, back_office):
    event = NetworkEvent.objects.create(
        name="Winter School 2027",
        kind=NetworkEvent.Kind.WINTER_SCHOOL,
        starts_on=datetime.date(2027, 2, 3),
        ends_on=datetime.date(2027, 2, 5),
        place="Genève",
    )
    event.participants.add(back_office)
    NetworkEvent.objects.create(
        name="Séminaire", starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 1), place="Marseille"
    )
    token = services.issue_calendar_token(user=back_office)

    calendar = parse_calendar(feed(client, token))

    assert set(events_by_summary(calendar)) == {"Winter School 2027"}
    winter = events_by_summary(calendar)["Winter School 2027"]
    assert winter.decoded("dtstart") == datetime.date(2027, 2, 3)
    assert winter.decoded("dtend") == datetime.date(2027, 2, 6)  # the day after the last one


def test_the_feed_needs_its_token(client, counsellor):
    services.issue_calendar_token(user=counsellor)
    assert feed(client, "not-the-token").status_code == 404
    assert client.get("/partners/calendar/.ics").status_code == 404


def test_a_new_token_replaces_the_old_one_and_revoking_cuts_every_app_off(client, counsellor):
    old = services.issue_calendar_token(user=counsellor)
    new = services.issue_calendar_token(user=counsellor)
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    assert CalendarToken.objects.count() == 1

    services.revoke_calendar_token(user=counsellor)
    assert feed(client, new).status_code == 404


def test_the_feed_of_someone_who_left_stops(client, counsellor):
    token = services.issue_calendar_token(user=counsellor)
    counsellor.is_active = False
    counsellor.save()
    assert feed(client, token).status_code == 404


def test_the_feed_of_someone_without_a_role_stops(client):
    person = make_staff("nobody@example.org")
    token = services.issue_calendar_token(user=person)
    assert feed(client, token).status_code == 404


def test_the_calendar_page_shows_the_link_once_then_only_when_it_was_made(client, counsellor):
    client.force_login(counsellor)

    page = client.get("/partners/groups/calendar/").content.decode()
    assert "You have no subscription link at the moment." in page

    response = client.post("/partners/groups/calendar/", {"action": "issue"})
    page = response.content.decode()
    feed_url = response.context["feed_url"]
    assert feed_url.startswith("http://testserver/partners/calendar/")
    assert feed_url in page
    assert response.context["webcal_url"] == "webcal://" + feed_url.removeprefix("http://")
    assert response["Cache-Control"].startswith("max-age=0")
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed(client, token).status_code == 200

    page = client.get("/partners/groups/calendar/").content.decode()
    assert token not in page
    assert "Your current link was made on" in page

    client.post("/partners/groups/calendar/", {"action": "revoke"})
    assert feed(client, token).status_code == 404
    assert not CalendarToken.objects.filter(user=counsellor).exists()


def test_the_feed_lists_a_years_meetings_back_and_every_future_one(client, counsellor):
    group = make_group(members=[counsellor])
    make_meeting(group, days=-400, agenda="Trop ancienne")
    make_meeting(group, days=-300)
    make_meeting(group, days=200)
    token = services.issue_calendar_token(user=counsellor)

    assert len(parse_calendar(feed(client, token)).walk("VEVENT")) == 2
    assert timezone.now()  # the window is relative to now
