"""Private notes are emptied after the retention period; return codes show earlier sessions."""

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from counselling import services
from counselling.models import Session
from reception import services as queue
from reception.models import ReturnCode


def finished_session(ticket, counsellor, **fields):
    ticket.refresh_from_db()
    session = services.start_session(ticket=ticket, desk=ticket.desk, counsellor=counsellor)
    services.save_session(session=session, by=counsellor, data=fields)
    return services.finish_session(session=session, by=counsellor)


def test_notes_older_than_the_retention_period_are_emptied_structured_fields_stay(on_duty, called, topics, settings):
    settings.COUNSELLING_NOTE_RETENTION_DAYS = 30
    session = finished_session(called, on_duty, note="Très motivé", outcome="yes", topics=topics)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Session.objects.filter(pk=session.pk).update(started_at=long_ago, ended_at=long_ago)
    recent = Session.objects.create(
        ticket=called,
        counsellor=on_duty,
        area=called.area,
        started_at=timezone.now(),
        ended_at=timezone.now(),
        note="Récent",
    )
    call_command("purge_session_notes", verbosity=0)
    session.refresh_from_db()
    recent.refresh_from_db()
    assert (session.note, session.outcome, session.topics.count()) == ("", "yes", 2)
    assert recent.note == "Récent"


def test_a_quoted_return_code_shows_earlier_topics_and_next_steps_but_not_a_colleagues_note(
    client, on_duty, issue, training, desk, topics, settings
):
    from tests.conftest import make_staff

    settings.COUNSELLING_SHARE_NOTES = False
    code = ReturnCode.objects.create()
    colleague = make_staff("yanis@example.org", "Counsellor")
    first = queue.issue_ticket(area=training, issued_by=None, return_code=code)
    queue.leave_desk(user=on_duty)
    queue.start_duty(user=colleague, desk=desk)
    queue.call_ticket(ticket=first, desk=desk, by=colleague)
    finished_session(
        first, colleague, next_steps="Contacter le CFA du bâtiment", note="Note privée de Yanis", topics=topics
    )
    queue.leave_desk(user=colleague)
    queue.start_duty(user=on_duty, desk=desk)

    again = queue.issue_ticket(area=training, issued_by=None, return_code=code)
    queue.call_ticket(ticket=again, desk=desk, by=on_duty)
    client.force_login(on_duty)
    page = client.get(reverse("counselling:desk")).content.decode()
    assert "Contacter le CFA du bâtiment" in page
    assert "CV et lettre" in page
    assert "Note privée de Yanis" not in page

    settings.COUNSELLING_SHARE_NOTES = True
    assert "Note privée de Yanis" in client.get(reverse("counselling:desk")).content.decode()

    queue.erase_return_code(return_code=code)
    assert "Contacter le CFA" not in client.get(reverse("counselling:desk")).content.decode()
