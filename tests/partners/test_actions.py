"""Actions: what is overdue, "my actions", and who may change an action's status."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from partners import services
from partners.models import Action
from tests.conftest import make_staff
from tests.partners.factories import make_action, make_group, make_meeting

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def due(days):
    return TODAY + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("due_date", "status", "overdue"),
    [
        (due(-1), Action.Status.OPEN, True),
        (due(-30), Action.Status.IN_PROGRESS, True),
        (due(0), Action.Status.OPEN, False),  # due today: still on time
        (due(5), Action.Status.OPEN, False),
        (None, Action.Status.OPEN, False),
        (due(-1), Action.Status.DONE, False),
        (due(-1), Action.Status.CANCELLED, False),
    ],
)
def test_an_action_is_overdue_when_pending_past_its_due_date(counsellor, due_date, status, overdue):
    action = Action.objects.create(
        group=make_group(), owner=counsellor, description="Envoyer le bilan", due_date=due_date, status=status
    )

    assert action.is_overdue(TODAY) is overdue
    assert Action.objects.overdue(TODAY).filter(pk=action.pk).exists() is overdue
    assert Action.objects.with_overdue(TODAY).get(pk=action.pk).overdue is overdue


def test_overdue_follows_the_centres_calendar_not_utc(counsellor, settings, monkeypatch):
    settings.TIME_ZONE = "Europe/Paris"
    action = Action.objects.create(
        group=make_group(), owner=counsellor, description="Envoyer le bilan", due_date=datetime.date(2026, 3, 9)
    )
    # 23:30 UTC on 9 March is already 10 March in Paris: the action due on the 9th is late there.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 9, 23, 30, tzinfo=datetime.UTC))

    assert action.is_overdue()
    assert list(Action.objects.overdue()) == [action]


def test_my_actions_lists_my_own_actions_overdue_first_then_finished(client, counsellor):
    group = make_group("Forum de l'alternance", members=[counsellor])
    today = timezone.localdate()
    make_action(group, counsellor, description="Préparer l'atelier", due=12)
    make_action(group, counsellor, description="Envoyer le bilan", due=-6)
    make_action(group, counsellor, description="Mettre à jour la page", due=-10, status=Action.Status.DONE)
    make_action(group, make_staff("other@example.org"), description="Réserver le hall", due=-2)
    client.force_login(counsellor)

    response = client.get("/partners/actions/")

    page = response.content.decode()
    assert [a.description for a in response.context["pending"]] == ["Envoyer le bilan", "Préparer l'atelier"]
    assert [a.description for a in response.context["finished"]] == ["Mettre à jour la page"]
    assert "Réserver le hall" not in page
    assert "2 actions to do" in page
    assert "1 overdue" in page
    overdue_row = page.split("Envoyer le bilan")[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in overdue_row
    assert formats.date_format(today - datetime.timedelta(days=6), "SHORT_DATE_FORMAT") in page


def test_my_actions_keeps_a_fixed_number_of_queries(client, counsellor):
    client.force_login(counsellor)

    def grow(serial):
        group = make_group(f"Groupe {serial}")
        meeting = make_meeting(group, days=-serial)
        make_action(group, counsellor, meeting=meeting, due=-serial)
        make_action(group, counsellor, due=serial, status=Action.Status.DONE)

    grow(1)
    with CaptureQueriesContext(connection) as once:
        client.get("/partners/actions/")
    for serial in range(2, 12):
        grow(serial)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/partners/actions/")
    assert len(response.context["pending"]) == 11
    assert len(many) == len(once)


def test_the_owner_updates_the_status_of_their_action_and_goes_back(client, counsellor):
    action = make_action(make_group(members=[counsellor]), counsellor, description="Envoyer le bilan")
    client.force_login(counsellor)

    response = client.post(
        f"/partners/actions/{action.pk}/status/", {"status": "in-progress", "next": "/partners/actions/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/partners/actions/"
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert "“Envoyer le bilan” is now: In progress." in client.get("/partners/actions/").content.decode()


def test_someone_else_cannot_change_the_status_of_my_action(client, counsellor):
    action = make_action(make_group(), counsellor)
    colleague = make_staff("yanis@example.org", "Counsellor")
    client.force_login(colleague)

    assert client.post(f"/partners/actions/{action.pk}/status/", {"status": "done"}).status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    with pytest.raises(services.ActionError, match="Only the owner"):
        services.set_action_status(action=action, status="done", by=colleague)


def test_the_back_office_may_change_any_action(client, counsellor, back_office):
    action = make_action(make_group(), counsellor)
    client.force_login(back_office)
    client.post(f"/partners/actions/{action.pk}/status/", {"status": "done"})
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_an_unknown_status_is_refused_beside_the_field(client, counsellor):
    action = make_action(make_group(), counsellor)
    client.force_login(counsellor)

    response = client.post(f"/partners/actions/{action.pk}/status/", {"status": "finished-ish"})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_the_status_form_never_sends_back_to_another_site(client, counsellor):
    action = make_action(make_group(), counsellor)
    client.force_login(counsellor)
    response = client.post(
        f"/partners/actions/{action.pk}/status/", {"status": "done", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/partners/actions/"


def test_an_action_of_a_meeting_belongs_to_the_meetings_group(counsellor):
    meeting = make_meeting(make_group("Forum"))
    with pytest.raises(services.ActionError, match="another working group"):
        services.assign_action(group=make_group("Autre"), meeting=meeting, description="x", owner=counsellor)


def test_an_action_cannot_go_to_someone_who_left(counsellor):
    counsellor.is_active = False
    counsellor.save()
    with pytest.raises(services.ActionError, match="no longer works here"):
        services.assign_action(group=make_group(), description="x", owner=counsellor)


def test_the_status_form_takes_a_path_for_next_never_a_view_name(client, counsellor):
    """Found by the fuzz tests: a `next` without a slash was taken for a view name (a server error)."""
    action = make_action(make_group(), counsellor)
    client.force_login(counsellor)
    response = client.post(f"/partners/actions/{action.pk}/status/", {"status": "done", "next": "a\x00b"})
    assert response["Location"] == "/partners/actions/"
