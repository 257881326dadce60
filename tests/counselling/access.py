"""Counselling's rows of the role x page access matrix (tests/cite/test_access.py)."""

PAGE_ROLES = {
    "counselling:desk": {"counsellor"},
    "counselling:desk-action": {"counsellor"},
    "counselling:desk-presence": {"counsellor"},
    "counselling:sessions": {"counsellor", "manager"},
    "counselling:my-day": {"counsellor"},
    "counselling:record-lookup": {"counsellor"},
    "counselling:session": {"counsellor", "manager"},
    "counselling:session-save": {"counsellor"},
    # Planning
    "counselling:planning": {"back_office", "manager"},
    "counselling:permanence-add": {"back_office"},
    "counselling:permanence-edit": {"back_office"},
    "counselling:occurrence-add": {"back_office"},
    "counselling:occurrence": {"back_office"},
    "counselling:opening-hours": {"back_office"},
    "counselling:closures": {"back_office"},
    "counselling:closure-delete": {"back_office"},
    "counselling:hours": {"back_office", "manager"},
    "counselling:hours-csv": {"back_office", "manager"},
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
POST_ONLY = {
    "counselling:desk-action",
    "counselling:occurrence-add",
    "counselling:closure-delete",
    "counselling:workshop-cancel",
}
# Visitors read when to come without a login; the calendar feed is as public as the page.
PUBLIC = {"counselling:when-to-come", "counselling:when-to-come-ics"}
# The visitors' pages (counselling/views/public.py): public workshops and occupations, no staff names.
PUBLIC |= {
    "public:occupations",
    "public:occupation",
    "public:occupation-group",
    "public:workshops",
    "public:workshop",
    "public:workshop-ics",
}


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


def _permanence():
    import datetime

    from cite.models import Area
    from counselling.models import Permanence
    from partners.models import Institution

    area = Area.objects.create(code="matrix-p", letter="P", name_fr="P", name_en="P")
    institution = Institution.objects.create(name="Matrix partner", kind="other")
    permanence = Permanence.objects.create(
        institution=institution,
        area=area,
        weekday=0,
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        valid_from=datetime.date(2026, 1, 5),
    )
    return permanence


def _workshop():
    import datetime

    from django.utils import timezone

    from counselling.models import Workshop

    starts = timezone.now() - datetime.timedelta(days=1)
    workshop = Workshop.objects.create(
        title="Réussir son CV", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="Salle Agora"
    )
    return {"pk": workshop.pk}


def _closure():
    import datetime

    from counselling.models import Closure

    day = datetime.date(2026, 5, 1)
    return {"pk": Closure.objects.create(starts_on=day, ends_on=day, reason_fr="Fête du travail").pk}


URL_KWARGS = {
    "counselling:closure-delete": _closure,
    "counselling:session": _session,
    "counselling:session-save": _session,
    "counselling:permanence-edit": lambda: {"pk": _permanence().pk},
    "counselling:occurrence-add": lambda: {"pk": _permanence().pk},
    "counselling:occurrence": lambda: {"pk": _permanence().pk, "day": "2026-01-12"},
    "counselling:workshop": _workshop,
    "counselling:workshop-edit": _workshop,
    "counselling:workshop-attendance": _workshop,
    "counselling:workshop-cancel": _workshop,
}
