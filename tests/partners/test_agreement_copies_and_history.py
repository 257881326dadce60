"""An agreement's signed copy leaves no stray file behind, and its nightly expiry is in the audit trail."""

import datetime
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from PIL import Image

from partners import services
from partners.models import Agreement
from tests.partners.factories import PDF, make_agreement, make_institution, make_signed_agreement

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def pdf(name="convention.pdf"):
    return ContentFile(PDF, name=name)


def stored_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_the_nightly_expiry_leaves_an_audit_entry_for_each_agreement():
    ended = make_signed_agreement(make_institution("AFPA"), start=-400, end=-1, today=TODAY)
    also_ended = make_signed_agreement(make_institution("CIO"), start=-300, end=-2, today=TODAY)
    running = make_signed_agreement(make_institution("CCI"), start=-10, end=100, today=TODAY)

    assert services.expire_agreements(today=TODAY) == 2

    for agreement in (ended, also_ended):
        entry = LogEntry.objects.get_for_object(agreement).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
        assert entry.changes_dict["stage"] == [Agreement.Stage.SIGNED.value, Agreement.Stage.EXPIRED.value]
        assert entry.actor is None  # done by the nightly command, not by a person
    assert all(
        entry.changes_dict.get("stage", [None, None])[1] != Agreement.Stage.EXPIRED
        for entry in LogEntry.objects.get_for_object(running)
    )


def test_signing_with_a_new_copy_deletes_the_draft_copy_once_committed(django_capture_on_commit_callbacks):
    draft = make_agreement(today=TODAY)
    services.save_draft_agreement(agreement=draft, document=pdf("draft.pdf"))
    draft_copy = draft.document.name
    assert stored_files() == [draft_copy]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sign_agreement(agreement=draft, signature_date=TODAY, document=pdf("signed.pdf"), today=TODAY)
    signed = Agreement.objects.get(pk=draft.pk).document.name
    assert sorted(stored_files()) == sorted([draft_copy, signed])  # not before the commit: a rollback keeps it
    for callback in callbacks:
        callback()
    assert stored_files() == [signed]
    assert Agreement.objects.get(pk=draft.pk).document.read() == PDF


def test_replacing_or_removing_a_draft_copy_deletes_the_old_file(django_capture_on_commit_callbacks):
    draft = make_agreement(today=TODAY)
    services.save_draft_agreement(agreement=draft, document=pdf("first.pdf"))
    first = draft.document.name

    with django_capture_on_commit_callbacks(execute=True):
        services.save_draft_agreement(agreement=Agreement.objects.get(pk=draft.pk), document=pdf("second.pdf"))
    second = Agreement.objects.get(pk=draft.pk).document.name
    assert second != first
    assert stored_files() == [second]

    cleared = Agreement.objects.get(pk=draft.pk)
    cleared.document = ""  # the form's "clear" box
    with django_capture_on_commit_callbacks(execute=True):
        services.save_draft_agreement(agreement=cleared)
    assert stored_files() == []


def test_a_signature_that_fails_when_saved_leaves_no_file_and_keeps_the_draft_copy(monkeypatch):
    draft = make_agreement(today=TODAY)
    services.save_draft_agreement(agreement=draft, document=pdf("draft.pdf"))
    draft_copy = draft.document.name

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Agreement, "save", broken_save)
    with pytest.raises(DatabaseError):
        services.sign_agreement(
            agreement=Agreement.objects.get(pk=draft.pk), signature_date=TODAY, document=pdf(), today=TODAY
        )
    monkeypatch.undo()

    assert stored_files() == [draft_copy]
    agreement = Agreement.objects.get(pk=draft.pk)
    assert (agreement.stage, agreement.document.name) == (Agreement.Stage.DRAFT, draft_copy)


def test_a_refused_signature_writes_no_file():
    draft = make_agreement(start=-400, end=-1, today=TODAY)

    with pytest.raises(services.AgreementStageError):
        services.sign_agreement(agreement=draft, signature_date=TODAY, document=pdf(), today=TODAY)
    assert stored_files() == []


# --- In the administration: the same cleaning, through the same service ----------------------------------


def _agreement_fields(agreement, prefix=""):
    fields = {
        "institution": agreement.institution_id,
        "kind": agreement.kind,
        "title": agreement.title,
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat(),
        "committed_hours": str(agreement.committed_hours),
        "signature_date": agreement.signature_date.isoformat() if agreement.signature_date else "",
        "notes": agreement.notes,
    }
    return {f"{prefix}{name}": value for name, value in fields.items()}


def test_a_signed_copy_replaced_in_the_admin_is_deleted_once_committed(
    client, back_office, django_capture_on_commit_callbacks
):
    agreement = make_signed_agreement(today=TODAY)
    old = agreement.document.name
    client.force_login(back_office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/partners/agreement/{agreement.pk}/change/",
            _agreement_fields(agreement) | {"document": SimpleUploadedFile("scan.pdf", PDF, "application/pdf")},
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    new = Agreement.objects.get(pk=agreement.pk).document.name
    assert new != old
    assert stored_files() == [new]


def test_a_copy_cleared_in_the_admin_is_deleted_once_committed(client, back_office, django_capture_on_commit_callbacks):
    draft = make_agreement(today=TODAY)
    services.save_draft_agreement(agreement=draft, document=pdf("draft.pdf"))
    client.force_login(back_office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/partners/agreement/{draft.pk}/change/", _agreement_fields(draft) | {"document-clear": "on"}
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Agreement.objects.get(pk=draft.pk).document
    assert stored_files() == []


def test_a_signed_copy_replaced_on_the_institutions_admin_page_is_deleted_too(
    client, back_office, django_capture_on_commit_callbacks
):
    agreement = make_signed_agreement(today=TODAY)
    institution = agreement.institution
    old = agreement.document.name
    client.force_login(back_office)
    data = {
        "name": institution.name,
        "kind": institution.kind,
        "is_active": "on",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "1",
        "agreements-0-id": agreement.pk,
        **_agreement_fields(agreement, prefix="agreements-0-"),
        "agreements-0-document": SimpleUploadedFile("scan.pdf", PDF, "application/pdf"),
        "secondments-TOTAL_FORMS": "0",
        "secondments-INITIAL_FORMS": "0",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/partners/institution/{institution.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    new = Agreement.objects.get(pk=agreement.pk).document.name
    assert new != old
    assert stored_files() == [new]


def test_an_admin_save_that_fails_after_writing_the_new_copy_leaves_only_the_old_one(monkeypatch):
    agreement = make_signed_agreement(today=TODAY)
    old = agreement.document.name
    agreement.document = SimpleUploadedFile("scan.pdf", PDF, "application/pdf")  # as the admin's form assigns it

    def save_then_fail(self, *args, **kwargs):
        self._meta.get_field("document").pre_save(self, add=False)  # writes the file, as a save does first
        raise DatabaseError("the database went away")

    monkeypatch.setattr(Agreement, "save", save_then_fail)
    with pytest.raises(DatabaseError):
        services.save_agreement(agreement=agreement)

    assert stored_files() == [old]


# --- Deleted rows take their files with them, once committed ---------------------------------------------


def test_an_agreement_deleted_in_the_admin_takes_its_signed_copy_once_committed(
    client, back_office, django_capture_on_commit_callbacks
):
    agreement = make_signed_agreement(today=TODAY)
    assert stored_files() == [agreement.document.name]
    client.force_login(back_office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/partners/agreement/{agreement.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
    assert stored_files() == []


def test_a_deletion_rolled_back_keeps_the_copy_the_row_still_names():
    agreement = make_signed_agreement(today=TODAY)
    pk = agreement.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        agreement.delete()
        raise RuntimeError("the deletion fails after the row is gone")
    assert Agreement.objects.filter(pk=pk).exists()
    assert stored_files() == [agreement.document.name]


def test_an_institution_deleted_takes_its_logo_and_its_agreements_copies(django_capture_on_commit_callbacks):
    institution = make_institution("AFPA")
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(image, "PNG")
    institution.logo.save("logo.png", ContentFile(image.getvalue()), save=True)
    logo = institution.logo
    assert logo.storage.exists(logo.name)
    agreement = make_signed_agreement(institution, today=TODAY)
    assert stored_files() == [agreement.document.name]

    with django_capture_on_commit_callbacks(execute=True):
        Agreement.objects.filter(pk=agreement.pk).delete()
        institution.delete()

    assert stored_files() == []
    assert not logo.storage.exists(logo.name)
