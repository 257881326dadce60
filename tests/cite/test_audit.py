"""The audit trail: who changed which reference data or staff account, what, and when (django-auditlog);
anonymous activity (tickets, sessions) stays out of it, and so do password hashes."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone

from cite.models import User
from cite.roles import COUNSELLOR, RECEPTION
from reception import services
from reception.models import Desk, Ticket
from tests.factories import make_area


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp")


@pytest.fixture
def area(db):
    return make_area("find-job")


def test_a_change_through_the_admin_records_who_what_and_when(client, back_office, area):
    client.force_login(back_office)
    before = timezone.now()
    response = client.post(
        f"/admin/cite/area/{area.pk}/change/",
        {
            "code": "find-job",
            "letter": "C",
            "name_fr": "Trouver un travail",
            "name_en": "Find a job",
            "colour": area.colour,
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = entries_for(area).last()
    assert entry.actor == back_office
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["name_fr"] == ["Trouver un emploi", "Trouver un travail"]
    assert before <= entry.timestamp <= timezone.now()


def test_roles_given_to_an_account_are_recorded_but_never_its_password(client, back_office):
    client.force_login(back_office)
    member = User.objects.create_user("ines@example.org", "first-password-42")
    member.set_password("another-long-password-43")
    member.save()
    member.groups.add(Group.objects.get(name=RECEPTION))

    trail = list(entries_for(member))
    assert trail, "the account's creation and changes are in the trail"
    assert all("password" not in entry.changes_dict for entry in trail)
    assert all(member.password not in str(entry.changes) for entry in trail)
    groups = [entry for entry in trail if "groups" in entry.changes_dict]
    assert groups and groups[-1].changes_dict["groups"]["objects"] == [RECEPTION]


def test_the_admins_role_change_is_recorded_with_its_author(client, back_office):
    member = User.objects.create_user("camille@example.org", "first-password-42", first_name="Camille")
    client.force_login(back_office)
    counsellor = Group.objects.get(name=COUNSELLOR)
    response = client.post(
        f"/admin/cite/user/{member.pk}/change/",
        {
            "email": member.email,
            "first_name": "Camille",
            "last_name": "",
            "is_active": "on",
            "groups": [counsellor.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = entries_for(member).filter(changes__icontains="groups").last()
    assert entry.actor == back_office
    assert entry.changes_dict["groups"]["objects"] == [COUNSELLOR]


def test_the_back_office_reads_the_trail_in_the_admin(client, back_office, manager, receptionist, area):
    Desk.objects.create(name="3")
    for reader in (back_office, manager):
        client.force_login(reader)
        page = client.get("/admin/auditlog/logentry/")
        assert page.status_code == 200
        assert "Trouver un emploi" in page.content.decode()
    client.force_login(receptionist)
    assert client.get("/admin/auditlog/logentry/").status_code in {302, 403}


def test_tickets_and_their_moves_stay_out_of_the_trail(receptionist, area):
    ticket = services.issue_ticket(area=area, profile={}, issued_by=receptionist)
    services.cancel(ticket=ticket, by=receptionist)
    assert not LogEntry.objects.filter(content_type__model__in=["ticket", "ticketevent", "session", "visit"]).exists()
    assert Ticket.objects.count() == 1
