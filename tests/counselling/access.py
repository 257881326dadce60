"""Counselling's rows of the role x page access matrix (tests/cite/test_access.py)."""

PAGE_ROLES = {
    "counselling:desk": {"counsellor"},
    "counselling:desk-action": {"counsellor"},
    "counselling:sessions": {"counsellor", "manager"},
    "counselling:my-day": {"counsellor"},
    "counselling:record-lookup": {"counsellor"},
    "counselling:session": {"counsellor", "manager"},
    "counselling:session-save": {"counsellor"},
    # Workshops: everyone on the staff reads them; counsellors and the back office plan and count.
    "counselling:workshops": {"reception", "counsellor", "back_office", "manager"},
    "counselling:workshop-calendar": {"reception", "counsellor", "back_office", "manager"},
    "counselling:workshop": {"reception", "counsellor", "back_office", "manager"},
    "counselling:workshop-feed": {"reception", "counsellor", "back_office", "manager"},
    "counselling:workshop-create": {"counsellor", "back_office"},
    "counselling:workshop-edit": {"counsellor", "back_office"},
    "counselling:workshop-attendance": {"counsellor", "back_office"},
    "counselling:workshop-cancel": {"counsellor", "back_office"},
}
POST_ONLY = {"counselling:desk-action", "counselling:session-save", "counselling:workshop-cancel"}


def _session():
    from cite.models import Area, User
    from counselling.models import Session
    from reception.services import issue_ticket

    area = Area.objects.create(code="matrix-c", letter="Q", name_fr="Q", name_en="Q")
    ticket = issue_ticket(area=area, issued_by=None)
    # The counsellor persona owns it (anonymous visitors get a session of somebody else's).
    counsellor = User.objects.filter(email="camille@example.org").first() or User.objects.create_user("o@example.org")
    return {
        "pk": Session.objects.create(ticket=ticket, counsellor=counsellor, area=area, started_at=ticket.arrived_at).pk
    }


def _workshop():
    import datetime

    from django.utils import timezone

    from counselling.models import Workshop

    starts = timezone.now() - datetime.timedelta(days=1)
    workshop = Workshop.objects.create(
        title="Réussir son CV", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="Salle Agora"
    )
    return {"pk": workshop.pk}


URL_KWARGS = {
    "counselling:session": _session,
    "counselling:session-save": _session,
    "counselling:workshop": _workshop,
    "counselling:workshop-edit": _workshop,
    "counselling:workshop-attendance": _workshop,
    "counselling:workshop-cancel": _workshop,
}
