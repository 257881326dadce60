"""Working groups, meetings and minutes: members see their groups, the back office and managers see all."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.forms import GroupDocumentForm
from partners.models import Action, Attendance, GroupDocument, Meeting, WorkingGroup
from tests.conftest import make_staff
from tests.factories import count_queries
from tests.partners.factories import PDF, make_action, make_contact, make_group, make_institution, make_meeting

pytestmark = pytest.mark.django_db


def test_a_counsellor_sees_the_groups_they_lead_belong_to_or_have_an_action_in(client, counsellor, back_office):
    make_group("Forum de l'alternance", members=[counsellor])
    make_group("Jeunes sans solution", lead=counsellor)
    with_action = make_group("Semaine de l'industrie")
    make_action(with_action, counsellor)
    make_group("Comité de pilotage", members=[back_office])
    client.force_login(counsellor)

    response = client.get("/partners/groups/")

    assert [g.name for g in response.context["groups"]] == [
        "Forum de l'alternance",
        "Jeunes sans solution",
        "Semaine de l'industrie",
    ]


def test_the_back_office_and_managers_see_every_group(client, back_office, manager, counsellor):
    make_group("Forum de l'alternance", members=[counsellor])
    make_group("Comité de pilotage")
    for person in (back_office, manager):
        client.force_login(person)
        assert len(client.get("/partners/groups/").context["groups"]) == 2


def test_a_group_page_refuses_someone_who_does_not_take_part(client, counsellor):
    group = make_group("Comité de pilotage")
    client.force_login(counsellor)
    assert client.get(group.get_absolute_url()).status_code == 403
    assert client.get("/partners/groups/99999/").status_code == 404


def test_a_group_page_shows_members_meetings_actions_and_documents(client, counsellor):
    lead = make_staff("julien@example.org", first_name="Julien", last_name="Moreau")
    group = make_group("Forum de l'alternance", lead=lead, members=[counsellor])
    group.institutions.add(make_institution("CCI"))
    meeting = make_meeting(group, days=-3, minutes="Le forum aura lieu en mars.")
    make_action(group, counsellor, meeting=meeting, description="Envoyer le bilan", due=-1)
    GroupDocument.objects.create(group=group, title="Rétroplanning", link="https://drive.example.org/r")
    client.force_login(counsellor)

    page = client.get(group.get_absolute_url()).content.decode()

    assert "Julien Moreau" in page
    assert "CCI" in page
    assert "Envoyer le bilan" in page
    assert "Overdue" in page
    assert f"/partners/groups/meetings/{meeting.pk}/minutes/" in page
    assert 'href="https://drive.example.org/r" rel="noopener noreferrer"' in page


def test_group_list_and_group_page_keep_a_fixed_number_of_queries(client, manager):
    client.force_login(manager)
    people = [make_staff(f"p{n}@example.org") for n in range(6)]

    def grow(serial):
        group = make_group(f"Groupe {serial}", lead=people[0], members=people)
        group.institutions.add(make_institution(f"Institution {serial}"))
        meeting = make_meeting(group)
        for person in people:
            make_action(group, person, meeting=meeting, due=-1)
        group.documents.create(title="Note", link="https://drive.example.org/n")
        return group

    first = grow(0)
    list_once = len(count_queries(client, "/partners/groups/"))
    page_once = len(count_queries(client, first.get_absolute_url()))
    for serial in range(1, 8):
        grow(serial)
        make_meeting(first, days=serial)
        first.documents.create(title=f"Note {serial}", link="https://drive.example.org/n")
    assert len(count_queries(client, "/partners/groups/")) == list_once
    assert len(count_queries(client, first.get_absolute_url())) == page_once


def test_meeting_page_lists_attendance_minutes_decisions_and_actions(client, counsellor):
    group = make_group(members=[counsellor])
    cci = make_institution("CCI")
    meeting = make_meeting(
        group,
        days=-2,
        agenda="1. Bilan",
        minutes="Le forum a accueilli 540 visiteurs.",
        decisions="Forum un samedi de mars\n\nDix entreprises artisanales",
    )
    Attendance.objects.create(meeting=meeting, user=counsellor)
    Attendance.objects.create(meeting=meeting, contact=make_contact(cci, name="Fatou Diallo"))
    Attendance.objects.create(meeting=meeting, user=make_staff("x@example.org", first_name="Yanis"), status="excused")
    Attendance.objects.create(meeting=meeting, guest_name="Julie Navarro", status="guest")
    make_action(group, counsellor, meeting=meeting, description="Réserver le hall")
    client.force_login(counsellor)

    response = client.get(meeting.get_absolute_url())

    page = response.content.decode()
    assert "Fatou Diallo (CCI)" in page
    assert "Julie Navarro" in page
    assert [label for label, _items in response.context["meeting"].attendance_by_status()] == [
        "Present",
        "Excused",
        "Guest",
    ]
    assert "<li>Forum un samedi de mars</li>" in page
    assert "<li>Dix entreprises artisanales</li>" in page
    assert "Réserver le hall" in page


def test_meeting_page_keeps_a_fixed_number_of_queries(client, back_office):
    group = make_group()
    meeting = make_meeting(group, days=-2)
    client.force_login(back_office)
    cci = make_institution("CCI")

    def grow(serial):
        person = make_staff(f"m{serial}@example.org")
        Attendance.objects.create(meeting=meeting, user=person)
        Attendance.objects.create(meeting=meeting, contact=make_contact(cci, name=f"Contact {serial}"))
        make_action(group, person, meeting=meeting)

    grow(0)
    once = len(count_queries(client, meeting.get_absolute_url()))
    minutes_once = len(count_queries(client, f"/partners/groups/meetings/{meeting.pk}/minutes/"))
    for serial in range(1, 10):
        grow(serial)
    assert len(count_queries(client, meeting.get_absolute_url())) == once
    assert len(count_queries(client, f"/partners/groups/meetings/{meeting.pk}/minutes/")) == minutes_once


def test_printable_minutes_are_one_sheet_with_a_print_button_and_no_inline_script(client, counsellor):
    group = make_group("Forum de l'alternance", members=[counsellor])
    meeting = make_meeting(group, days=-1, minutes="Compte rendu.")
    client.force_login(counsellor)

    page = client.get(f"/partners/groups/meetings/{meeting.pk}/minutes/").content.decode()

    assert '<body class="minutes-page">' in page
    assert 'class="minutes-sheet"' in page
    assert "Minutes of the working group “Forum de l&#x27;alternance”" in page
    assert "data-print" in page
    assert "<script>" not in page  # the print button's code is a static file (strict CSP)


def test_the_print_rules_give_the_minutes_an_a4_page_without_the_site_navigation():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/cite.css").read_text()
    section = css.split("/* === partners === */")[1].split("/* === end partners === */")[0]
    assert "@page minutes { size: A4;" in section
    assert ".minutes-sheet {" in section and "page: minutes;" in section
    assert ".site-header" in css.split("@media print {")[1]  # the foundation hides the navigation in print


def test_the_meeting_of_a_group_one_does_not_take_part_in_is_refused(client, receptionist):
    meeting = make_meeting(make_group())
    client.force_login(receptionist)
    assert client.get(meeting.get_absolute_url()).status_code == 403
    assert client.get(f"/partners/groups/meetings/{meeting.pk}/minutes/").status_code == 403


def test_a_meeting_ends_after_it_starts():
    from django.core.exceptions import ValidationError

    meeting = make_meeting(make_group())
    meeting.ends_at = meeting.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="A meeting ends after it starts"):
        meeting.full_clean()


def test_an_attendance_names_exactly_one_person():
    from django.core.exceptions import ValidationError

    meeting = make_meeting(make_group())
    with pytest.raises(ValidationError, match="one of them"):
        Attendance(meeting=meeting).full_clean()
    with pytest.raises(ValidationError, match="one of them"):
        Attendance(meeting=meeting, guest_name="Julie", contact=make_contact(make_institution())).full_clean()


# --- Shared documents --------------------------------------------------------------------------------------


def docx_bytes(macro=False):
    import io
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        kind = "application/vnd.ms-word.document.macroEnabled.main+xml" if macro else "wordprocessingml"
        archive.writestr("[Content_Types].xml", f"<Types><Override ContentType='{kind}'/></Types>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\0")
    return output.getvalue()


def odt_bytes():
    import io
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return output.getvalue()


@pytest.mark.parametrize(("content", "extension"), [(PDF, "pdf"), (docx_bytes(), "docx"), (odt_bytes(), "odt")])
def test_a_shared_document_is_recognised_by_its_content_and_named_after_it(content, extension):
    group = make_group()
    form = GroupDocumentForm(
        data={"group": group.pk, "title": "Rétroplanning"},
        files={"file": SimpleUploadedFile("whatever.bin", content)},
    )
    assert form.is_valid(), form.errors
    document = form.save()
    assert document.file.name.endswith(f".{extension}")
    assert document.file.url is None  # served by the permission-checked view only


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 an executable", "Share PDF, OpenDocument"),
        (docx_bytes(macro=True), "Office files with macros cannot be shared here."),
    ],
)
def test_other_files_are_refused(content, message):
    form = GroupDocumentForm(
        data={"group": make_group().pk, "title": "Note"},
        files={"file": SimpleUploadedFile("note.docx", content)},
    )
    assert not form.is_valid()
    assert form.errors["file"][0].startswith(message)


def test_a_document_is_either_a_file_or_a_link():
    form = GroupDocumentForm(data={"group": make_group().pk, "title": "Note"})
    assert not form.is_valid()
    assert "Give either a file or a link." in str(form.errors)


def test_a_shared_file_is_downloaded_by_members_only(client, counsellor, receptionist):
    group = make_group(members=[counsellor])
    form = GroupDocumentForm(
        data={"group": group.pk, "title": "Rétroplanning du forum"},
        files={"file": SimpleUploadedFile("r.pdf", PDF)},
    )
    document = form.save() if form.is_valid() else None

    client.force_login(counsellor)
    response = client.get(f"/partners/groups/documents/{document.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="retroplanning-du-forum.pdf"'
    client.force_login(receptionist)
    assert client.get(f"/partners/groups/documents/{document.pk}").status_code == 403


# --- The back office, in the admin -------------------------------------------------------------------------


def test_an_action_added_to_a_meeting_in_the_admin_belongs_to_the_meetings_group(client, back_office, counsellor):
    group = make_group()
    meeting = make_meeting(group)
    client.force_login(back_office)
    start = meeting.starts_at.astimezone()
    end = meeting.ends_at.astimezone()
    data = {
        "group": group.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M"),
        "ends_at_0": end.strftime("%Y-%m-%d"),
        "ends_at_1": end.strftime("%H:%M"),
        "place": "Salle Ariane",
        "agenda": "",
        "minutes": "",
        "decisions": "",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Réserver le hall",
        "actions-0-owner": counsellor.pk,
        "actions-0-due_date": "2030-01-15",
        "actions-0-status": "open",
    }

    response = client.post(f"/admin/partners/meeting/{meeting.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    action = Action.objects.get()
    assert (action.group, action.meeting, action.owner) == (group, meeting, counsellor)
    assert Meeting.objects.count() == 1
    assert WorkingGroup.objects.count() == 1
