"""No page without a login names a member of staff: a counsellor who facilitates a workshop, holds a
permanence, is on duty calling a ticket, catalogued a record and explored an occupation in a session is
looked for on every public page (the access matrix's PUBLIC set), in French and in English."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cite.roles import COUNSELLOR
from counselling import services as counselling
from counselling.models import Session, Workshop
from reception import services as queue
from resources.models import Record
from resources.services import create_record
from tests.cite.test_access import PUBLIC, own_patterns
from tests.conftest import make_staff
from tests.counselling.planning_helpers import institution, open_centre, plan
from tests.factories import make_areas, make_desk

FIRST, LAST, EMAIL = "Zéphyrine", "Quillebeuf", "zephyrine.quillebeuf@example.org"

# Public pages that are not visitors' pages, and why they are not scanned here.
NOT_SCANNED = {
    "partners:calendar-feed": "a staff member's own meetings, behind their personal secret",
    "resources:record-file": "a file's bytes, served as they were uploaded",
    "resources:record-thumbnail": "an image",
    "favicon": "a redirect to an icon",
    "phone:feedback": "POST only: it answers with the phone page, scanned as phone:ticket",
    "kiosk-restart": "a redirect to the kiosk's start page, scanned on its own",
}


@pytest.fixture
def everything_a_visitor_may_see(db, tmp_path, receptionist):
    from resources.esco import import_esco
    from resources.models import Occupation
    from tests.resources.conftest import PLUMBER, write_esco

    import_esco(directory=write_esco(tmp_path / "esco"))
    plumber = Occupation.objects.get(uri=PLUMBER)
    areas = make_areas("find-training", "find-job")
    training, job = areas["find-training"], areas["find-job"]
    desk = make_desk("3", training, job)
    staff = make_staff(EMAIL, COUNSELLOR, first_name=FIRST, last_name=LAST)
    open_centre(weekdays=range(7))
    plan(
        institution=institution("France Travail"),
        area=job,
        weekday=timezone.localdate().weekday(),
        valid_from=timezone.localdate(),
        counsellor=staff,
        desk=desk,
    )
    starts = timezone.now() + datetime.timedelta(days=2)
    workshop = Workshop.objects.create(
        title="Réussir son CV",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Agora",
        is_public=True,
        area=job,
        created_by=staff,
    )
    workshop.facilitators.add(staff)
    workshop.occupations.add(plumber)
    record = create_record(
        data={"title": "Fiche plombier", "language": "fr", "visibility": "public", "occupations": [plumber]},
        created_by=staff,
    )
    counselling.open_desk(counsellor=staff, desk=desk)
    waiting = queue.issue_ticket(area=job, issued_by=receptionist)
    called = queue.issue_ticket(area=job, issued_by=receptionist)
    counselling.call_ticket(ticket=called, desk=desk, counsellor=staff)
    session = Session.objects.create(ticket=waiting, counsellor=staff, area=job, started_at=timezone.now())
    session.occupations.add(plumber)
    return {
        "phone:ticket": {"token": called.token},
        "phone:status": {"token": called.token},
        "public:occupation": {"pk": plumber.pk},
        "public:occupation-group": {"code": plumber.group.code},
        "public:workshop": {"uid": workshop.uid},
        "public:workshop-ics": {"uid": workshop.uid},
        "resources:public-record": {"uuid": record.uuid},
    }


QUERIES = {"oai": "?verb=ListRecords&metadataPrefix=oai_dc", "public:occupations": "?q=plombier"}


def public_urls(kwargs):
    names = sorted({name for name, _pattern in own_patterns() if name in PUBLIC} - set(NOT_SCANNED))
    return [reverse(name, kwargs=kwargs.get(name)) + QUERIES.get(name, "") for name in names]


def test_every_public_page_is_scanned_or_says_why_not():
    public_names = {name for name, _pattern in own_patterns() if name in PUBLIC}
    assert set(NOT_SCANNED) <= public_names  # no stale exception
    assert "public:workshop" in public_names and "home" not in NOT_SCANNED


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_public_page_names_a_member_of_staff(client, everything_a_visitor_may_see, language):
    assert Record.objects.public().exists()
    urls = ["/", *public_urls(everything_a_visitor_may_see)]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for name in (FIRST, LAST, EMAIL, "Quillebeuf"):
            assert name not in text, f"{url} shows {name}"
    # The scan reached the pages where a name could hide.
    kwargs = everything_a_visitor_may_see
    for name in ("public:workshop", "phone:ticket", "public:occupation"):
        assert reverse(name, kwargs=kwargs[name]) in urls, name
