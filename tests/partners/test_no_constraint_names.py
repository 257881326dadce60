"""No database constraint's name reaches the back office from the partners' admin: refused saves of a
meeting's attendance and of an agreement say what is wrong in words (the constraints' own messages:
tests/cite/test_no_constraint_names.py)."""

import pytest

from partners.models import Attendance
from tests.factories import shows_no_constraint_name
from tests.partners.factories import make_contact, make_group, make_institution, make_meeting

pytestmark = pytest.mark.django_db


def meeting_form(meeting, *attendances):
    start, end = meeting.starts_at.astimezone(), meeting.ends_at.astimezone()
    data = {
        "group": meeting.group_id,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M"),
        "place": meeting.place,
        "agenda": "",
        "minutes": "",
        "decisions": "",
        "attendances-TOTAL_FORMS": str(len(attendances)),
        "attendances-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(attendances):
        data.update({f"attendances-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.parametrize("who", ["user", "contact"])
def test_the_same_person_twice_on_a_meetings_attendance_is_refused_in_words(client, back_office, counsellor, who):
    meeting = make_meeting(make_group(members=[counsellor]))
    person = counsellor.pk if who == "user" else make_contact(make_institution()).pk
    client.force_login(back_office)
    twice = [{who: person, "status": "present"}, {who: person, "status": "excused"}]
    response = client.post(
        f"/admin/partners/meeting/{meeting.pk}/change/",
        meeting_form(meeting, *twice),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    shows_no_constraint_name(response)
    assert "already on the meeting&#x27;s attendance list" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_person_already_on_the_list_added_again_is_refused_in_words(client, back_office, counsellor):
    meeting = make_meeting(make_group(members=[counsellor]))
    Attendance.objects.create(meeting=meeting, user=counsellor)
    client.force_login(back_office)
    response = client.post(
        f"/admin/partners/meeting/{meeting.pk}/change/",
        {
            **meeting_form(meeting, {"user": counsellor.pk, "status": "present"}),
            "attendances-TOTAL_FORMS": "2",
            "attendances-INITIAL_FORMS": "1",
            "attendances-0-id": Attendance.objects.get().pk,
            "attendances-0-meeting": meeting.pk,
            "attendances-1-user": counsellor.pk,
            "attendances-1-status": "excused",
        },
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    shows_no_constraint_name(response)
    assert "This staff member is already on the meeting&#x27;s attendance list." in response.content.decode()
    assert Attendance.objects.count() == 1


def test_an_agreement_ending_before_it_starts_is_refused_in_words(client, back_office):
    institution = make_institution()
    client.force_login(back_office)
    response = client.post(
        f"/partners/institutions/{institution.pk}/agreements/new/",
        {
            "institution": institution.pk,
            "kind": "partnership",
            "title": "Convention 2027",
            "start_date": "2027-06-01",
            "end_date": "2027-01-31",
            "committed_hours": "-3",
        },
        headers={"accept-language": "en"},
    )
    assert response.status_code in (200, 400)
    shows_no_constraint_name(response)
    page = response.content.decode()
    assert "An agreement cannot end before it starts." in page
    assert 'value="Convention 2027"' in page
