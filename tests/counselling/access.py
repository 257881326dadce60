"""Counselling's rows of the role x page access matrix (tests/cite/test_access.py)."""

PAGE_ROLES = {
    "counselling:desk": {"counsellor"},
    "counselling:desk-action": {"counsellor"},
    "counselling:sessions": {"counsellor", "manager"},
    "counselling:my-day": {"counsellor"},
    "counselling:record-lookup": {"counsellor"},
    "counselling:session": {"counsellor", "manager"},
    "counselling:session-save": {"counsellor"},
}
POST_ONLY = {"counselling:desk-action", "counselling:session-save"}


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


URL_KWARGS = {"counselling:session": _session, "counselling:session-save": _session}
