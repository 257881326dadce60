"""Meetings run from the group's page: planned, attended, minuted (saved as one types, never lost),
actions decided, published to the members. The back office and the group's lead run them."""

import datetime

import pytest
from django.utils import timezone

from partners import services
from partners.models import Action, Attendance, Meeting
from tests.conftest import make_staff
from tests.partners.factories import make_contact, make_group, make_institution, make_meeting

pytestmark = pytest.mark.django_db


def editor_data(meeting, **overrides):
    start = timezone.localtime(meeting.starts_at)
    data = {
        "when-date": start.date().isoformat(),
        "when-starts_at": "14:00",
        "when-ends_at": "16:00",
        "when-place": meeting.place,
        "text-agenda": meeting.agenda,
        "text-minutes": "",
        "text-decisions": "",
        "other_guests": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return data


def test_the_back_office_plans_a_meeting_from_the_groups_page(client, back_office):
    group = make_group()
    client.force_login(back_office)
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        f"/partners/groups/{group.pk}/meetings/new/",
        {
            "date": day.isoformat(),
            "starts_at": "09:30",
            "ends_at": "11:00",
            "place": "Salle Ariane",
            "agenda": "1. Bilan\n2. Date du forum",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/partners/groups/meetings/{meeting.pk}/edit/"
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(9, 30)
    assert meeting.published_at is None


def test_a_meeting_that_ends_before_it_starts_is_explained(client, back_office):
    group = make_group()
    client.force_login(back_office)
    response = client.post(
        f"/partners/groups/{group.pk}/meetings/new/",
        {"date": "2026-06-01", "starts_at": "11:00", "ends_at": "10:00", "place": "Salle", "agenda": "Ordre du jour"},
    )
    assert response.status_code == 200
    assert "A meeting ends after it starts." in response.content.decode()
    assert "Ordre du jour" in response.content.decode()
    assert not Meeting.objects.exists()


def test_attendance_minutes_two_decisions_and_two_actions_then_publish(client, back_office, counsellor):
    institution = make_institution()
    guest = make_contact(institution)
    group = make_group(members=[counsellor, back_office])
    group.institutions.add(institution)
    meeting = make_meeting(group, days=-1)
    client.force_login(back_office)
    response = client.post(
        f"/partners/groups/meetings/{meeting.pk}/edit/",
        editor_data(
            meeting,
            **{
                f"member_{counsellor.pk}": "present",
                f"member_{back_office.pk}": "excused",
                "contacts": [guest.pk],
                "other_guests": "Jeanne Roux, CFA du bâtiment",
                "text-minutes": "Le forum aura lieu en mars.",
                "text-decisions": "Forum un samedi\nUn atelier par heure",
                "actions-0-description": "Réserver le hall",
                "actions-0-owner": back_office.pk,
                "actions-0-due_date": "2026-12-20",
                "actions-1-description": "Mobiliser dix entreprises",
                "actions-1-owner": counsellor.pk,
                "publish": "1",
            },
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_published
    assert meeting.decision_list() == ["Forum un samedi", "Un atelier par heure"]
    statuses = {(a.user_id, a.contact_id, a.guest_name, a.status) for a in meeting.attendances.all()}
    assert statuses == {
        (counsellor.pk, None, "", Attendance.Status.PRESENT),
        (back_office.pk, None, "", Attendance.Status.EXCUSED),
        (None, guest.pk, "", Attendance.Status.GUEST),
        (None, None, "Jeanne Roux, CFA du bâtiment", Attendance.Status.GUEST),
    }
    actions = Action.objects.filter(meeting=meeting, group=group).order_by("description")
    assert [(a.description, a.owner) for a in actions] == [
        ("Mobiliser dix entreprises", counsellor),
        ("Réserver le hall", back_office),
    ]


def test_the_minutes_are_kept_across_a_validation_error(client, back_office):
    meeting = make_meeting(make_group(members=[back_office]), days=-1)
    client.force_login(back_office)
    minutes = "Long compte rendu tapé pendant une heure."
    response = client.post(
        f"/partners/groups/meetings/{meeting.pk}/edit/",
        editor_data(meeting, **{"text-minutes": minutes, "actions-0-description": "Action sans responsable"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose who does it." in page
    assert minutes in page and "Action sans responsable" in page  # on the page, as typed
    meeting.refresh_from_db()
    assert meeting.minutes == minutes  # and saved as a draft
    assert not meeting.is_published
    assert not Action.objects.exists()


def test_the_minutes_are_saved_as_one_types(client, back_office):
    meeting = make_meeting(make_group(), days=-1)
    client.force_login(back_office)
    response = client.post(
        f"/partners/groups/meetings/{meeting.pk}/autosave/",
        {"text-agenda": "", "text-minutes": "Premier paragraphe", "text-decisions": ""},
    )
    assert response.status_code == 200 and response.json()["saved"]
    meeting.refresh_from_db()
    assert meeting.minutes == "Premier paragraphe"


def test_members_read_the_minutes_only_once_published(client, back_office, counsellor):
    meeting = make_meeting(make_group(members=[counsellor]), days=-1)
    services.save_meeting(meeting=meeting, by=back_office, minutes="Brouillon secret")
    client.force_login(counsellor)
    assert "Brouillon secret" not in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(f"/partners/groups/meetings/{meeting.pk}/minutes/").status_code == 302
    services.publish_minutes(meeting=meeting, by=back_office)
    assert "Brouillon secret" in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(f"/partners/groups/meetings/{meeting.pk}/minutes/").status_code == 200


def test_a_lead_runs_their_own_groups_meetings_and_not_another_groups(client, counsellor):
    colleague = make_staff("yanis@example.org", "Counsellor", first_name="Yanis")
    mine = make_meeting(make_group("Forum", lead=counsellor), days=-1)
    theirs = make_meeting(make_group("Jeunes", lead=colleague, members=[counsellor]), days=-1)
    client.force_login(counsellor)
    assert client.get(f"/partners/groups/meetings/{mine.pk}/edit/").status_code == 200
    assert client.get(f"/partners/groups/meetings/{theirs.pk}/edit/").status_code == 403
    response = client.post(
        f"/partners/groups/meetings/{theirs.pk}/autosave/",
        {"text-agenda": "", "text-minutes": "Pas à moi", "text-decisions": ""},
    )
    assert response.status_code == 403
    with pytest.raises(services.MeetingError):
        services.save_meeting(meeting=theirs, by=counsellor, minutes="Pas à moi")
    with pytest.raises(services.MeetingError):
        services.assign_action(group=theirs.group, description="x", owner=counsellor, by=counsellor)
    theirs.refresh_from_db()
    assert theirs.minutes == ""


def test_minutes_cannot_be_published_empty(back_office):
    meeting = make_meeting(make_group(), days=-1)
    with pytest.raises(services.MeetingError, match="Write the minutes"):
        services.publish_minutes(meeting=meeting, by=back_office)
