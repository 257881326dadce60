"""Reception's rows of the role x page access matrix (tests/cite/test_access.py)."""

PAGE_ROLES = {
    "reception:front-desk": {"reception"},
    "reception:queue-overview": {"reception", "counsellor", "back_office", "manager"},
    "reception:today": {"reception", "back_office", "manager"},
    "reception:ticket": {"reception", "back_office", "manager"},
    "reception:cancel-ticket": {"reception"},
    "reception:undo-cancel": {"reception"},
    "reception:transfer-ticket": {"reception", "manager"},
    "reception:requeue-ticket": {"reception", "manager"},
    "reception:print-ticket": {"reception"},
}


def _ticket():
    from cite.models import Area
    from reception.services import issue_ticket

    area = Area.objects.create(code="matrix", letter="M", name_fr="Matrice", name_en="Matrix")
    return {"pk": issue_ticket(area=area, issued_by=None).pk}


URL_KWARGS = {
    "reception:print-ticket": _ticket,
    "reception:ticket": _ticket,
    "reception:cancel-ticket": _ticket,
    "reception:undo-cancel": _ticket,
    "reception:requeue-ticket": _ticket,
    "reception:transfer-ticket": _ticket,
}
# Pages answered to POST only: a GET must be refused (405) to those allowed, 403 to the others.
POST_ONLY = {
    "reception:cancel-ticket",
    "reception:undo-cancel",
    "reception:requeue-ticket",
    "reception:transfer-ticket",
}

# The visitor's anonymous opinion after the visit (POST only), behind the phone page's secret key; the
# display's clock, hours and workshops, fetched again by the display (public, like the display).
PUBLIC = {"phone:feedback", "reception:display-board"}
