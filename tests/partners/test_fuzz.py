"""Hostile input on the partners pages: the directories' filters, recording a signature (with its
upload), an action's status, a project's progress and the calendar link never give a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from partners.models import Action, Agreement, Institution, Objective, Project, WorkingGroup
from tests.factories import make_areas
from tests.fuzz import (
    assert_handled,
    field,
    form_data,
    fuzz,
    logged_in,
    pks,
    raw_query,
    refused_with_a_reason,
    rolled_back,
)
from tests.partners.factories import PDF, make_action, make_agreement, make_contact, make_group, make_institution


@pytest.fixture
def directory(areas):
    institution = make_institution()
    institution.areas.set(areas.values())
    make_contact(institution)
    make_agreement(institution)
    return institution


@pytest.fixture
def areas(db):
    return make_areas("find-job")


def choices(values):
    return st.sampled_from([value for value, _ in values])


LISTS = {
    "partners:institution-list": lambda areas: form_data(
        q=field(st.text(max_size=20)),
        kind=field(choices(Institution.Kind.choices)),
        area=field(pks(*areas.values())),
        is_active=field(st.sampled_from(["true", "false", ""])),
    ),
    "partners:contact-list": lambda areas: form_data(
        q=field(st.text(max_size=20)), kind=field(choices(Institution.Kind.choices)), area=field(pks(*areas.values()))
    ),
    "partners:agreement-list": lambda areas: form_data(
        q=field(st.text(max_size=20)),
        stage=field(choices(Agreement.Stage.choices)),
        kind=field(choices(Agreement.Kind.choices)),
        ending_soon=field(st.sampled_from(["on", "true", "false", ""])),
    ),
    "partners:group-list": lambda areas: form_data(status=field(choices(WorkingGroup.Status.choices))),
}


@pytest.mark.parametrize("url_name", LISTS)
@fuzz
@given(data=st.data())
def test_the_directories_filters_accept_any_query_string(client, manager, directory, areas, url_name, data):
    logged_in(client, manager)
    with rolled_back():
        if data.draw(st.integers(0, 4)):
            response = client.get(reverse(url_name), data.draw(LISTS[url_name](areas)))
        else:
            response = client.get(reverse(url_name) + "?" + data.draw(raw_query()))
        assert_handled(response)
        assert response.status_code == 200


UPLOADS = st.one_of(
    st.just(PDF),
    st.binary(max_size=2_000),
    st.binary(max_size=200).map(lambda tail: b"%PDF-1.4\n" + tail),
    st.just(b"PK\x03\x04" + b"\x00" * 100),
    st.just(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
)
NAMES = st.one_of(
    st.sampled_from(["copie.pdf", "copie.PDF", "copie.pdf.exe", "../../../etc/passwd", ".pdf", "a" * 300 + ".pdf"]),
    # "." and ".." are no file names a browser sends (Django refuses to build such an upload at all).
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00/\\"), min_size=1, max_size=60).filter(
        lambda name: name.strip() not in (".", "..")
    ),
)


@fuzz
@given(data=st.data())
def test_recording_a_signature_refuses_any_date_or_file_cleanly(client, back_office, directory, data):
    logged_in(client, back_office)
    agreement = directory.agreements.get()
    posted = data.draw(form_data(signature_date=field(st.dates().map(str))))
    if data.draw(st.booleans()):
        posted["document"] = SimpleUploadedFile(data.draw(NAMES), data.draw(UPLOADS))
    with rolled_back():
        response = client.post(reverse("partners:agreement-sign", args=[agreement.pk]), posted)
        assert_handled(response, form=True)
        if response.status_code == 200:
            assert refused_with_a_reason(response.content.decode())


@pytest.fixture
def action(manager):
    group = make_group(lead=manager, members=[manager])
    return make_action(group, manager, description="Réserver la salle")


@fuzz
@given(data=st.data())
def test_an_actions_status_refuses_any_input_and_never_redirects_off_site(client, manager, action, data):
    logged_in(client, manager)
    posted = data.draw(form_data(status=field(choices(Action.Status.choices)), next=field(st.just("/partners/"))))
    with rolled_back():
        response = client.post(reverse("partners:action-status", args=[action.pk]), posted)
        assert_handled(response, form=True)
        if response.status_code == 302:
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.fixture
def objective(db):
    project = Project.objects.create(name="Développer l'alternance")
    return Objective.objects.create(project=project, title="Ateliers", target=10, unit="ateliers")


@fuzz
@given(data=st.data())
def test_a_projects_progress_and_the_calendar_link_refuse_any_input_cleanly(client, manager, objective, data):
    logged_in(client, manager)
    with rolled_back():
        if data.draw(st.booleans()):
            progress = field(st.decimals(allow_nan=True, allow_infinity=True).map(str), st.floats().map(str))
            response = client.post(
                reverse("partners:objective-progress", args=[objective.pk]), data.draw(form_data(progress=progress))
            )
            assert_handled(response, form=True)
            if response.status_code == 200:
                assert refused_with_a_reason(response.content.decode())
        else:
            response = client.post(reverse("partners:calendar"), data.draw(form_data(action=field())))
            assert_handled(response)


@fuzz
@given(token=field())
def test_the_calendar_feed_refuses_forged_tokens(client, db, token):
    from urllib.parse import quote

    token = quote(str(token), safe="") or "x"
    assert client.get(f"/partners/calendar/{token}.ics").status_code == 404
