"""Agreements go draft → signed → expired, and only that way; the signed copy is served to permitted staff only."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from partners import services
from partners.models import Agreement
from tests.partners.factories import PDF, make_agreement, make_institution, make_signed_agreement, png_bytes

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def pdf(name="convention.pdf"):
    return ContentFile(PDF, name=name)


def test_signing_a_draft_with_a_date_and_a_pdf_makes_it_signed_and_keeps_the_copy():
    agreement = make_agreement(today=TODAY)

    services.sign_agreement(agreement=agreement, signature_date=TODAY, document=pdf(), today=TODAY)

    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.SIGNED
    assert agreement.signature_date == TODAY
    assert agreement.document.name.startswith("partners/agreements/")
    assert agreement.document.name.endswith(".pdf")
    assert "convention" not in agreement.document.name  # the sender's file name never reaches the disk
    assert agreement.document.read() == PDF


@pytest.mark.parametrize(
    ("signature_date", "document", "message"),
    [
        (None, pdf(), "Give the date the agreement was signed."),
        (TODAY + datetime.timedelta(days=1), pdf(), "The signature date cannot be in the future."),
        (TODAY, None, "Attach the signed copy (a PDF) to mark the agreement as signed."),
        (TODAY, ContentFile(png_bytes(), name="scan.pdf"), "This file is not a PDF."),
    ],
)
def test_signing_without_what_a_signature_needs_is_refused_and_changes_nothing(signature_date, document, message):
    agreement = make_agreement(today=TODAY)

    with pytest.raises(services.AgreementStageError) as refused:
        services.sign_agreement(agreement=agreement, signature_date=signature_date, document=document, today=TODAY)

    assert refused.value.message.startswith(message)
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.DRAFT
    assert agreement.signature_date is None
    assert not agreement.document


def test_a_signed_agreement_cannot_be_signed_again():
    agreement = make_signed_agreement()

    with pytest.raises(services.AgreementStageError, match="already signed"):
        services.sign_agreement(agreement=agreement, signature_date=timezone.localdate(), document=pdf())


def test_an_agreement_whose_end_has_passed_can_no_longer_be_signed():
    agreement = make_agreement(start=-400, end=-1, today=TODAY)

    with pytest.raises(services.AgreementStageError, match="can no longer be signed"):
        services.sign_agreement(agreement=agreement, signature_date=TODAY, document=pdf(), today=TODAY)


def test_a_signed_agreement_expires_once_its_end_date_has_passed_not_before():
    agreement = make_signed_agreement(start=-100, end=10, today=TODAY)

    with pytest.raises(services.AgreementStageError, match="cannot expire before"):
        services.expire_agreement(agreement=agreement, today=agreement.end_date)

    services.expire_agreement(agreement=agreement, today=agreement.end_date + datetime.timedelta(days=1))
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.EXPIRED


def test_a_draft_never_expires():
    agreement = make_agreement(start=-400, end=-1, today=TODAY)

    with pytest.raises(services.AgreementStageError, match="Only a signed agreement can expire"):
        services.expire_agreement(agreement=agreement, today=TODAY)
    assert services.expire_agreements(today=TODAY) == 0
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.DRAFT


def test_an_expired_agreement_cannot_go_back_to_signed():
    agreement = make_signed_agreement(start=-400, end=-1, today=TODAY)
    services.expire_agreements(today=TODAY)

    with pytest.raises(services.AgreementStageError, match="has expired"):
        services.sign_agreement(agreement=agreement, signature_date=TODAY, document=pdf(), today=TODAY)


def test_expire_agreements_command_expires_only_signed_agreements_past_their_end(capsys):
    today = timezone.localdate()
    ended = make_signed_agreement(make_institution("AFPA"), start=-400, end=-1)
    ends_today = make_signed_agreement(make_institution("CIO"), start=-400, end=0)
    draft = make_agreement(make_institution("CCI"), start=-400, end=-1)

    call_command("expire_agreements")

    assert Agreement.objects.get(pk=ended.pk).stage == Agreement.Stage.EXPIRED
    assert Agreement.objects.get(pk=ends_today.pk).stage == Agreement.Stage.SIGNED  # its last day is today
    assert Agreement.objects.get(pk=draft.pk).stage == Agreement.Stage.DRAFT
    output = capsys.readouterr().out
    assert "1 agreement(s) expired." in output
    assert f"Ending on {today:%Y-%m-%d}: CIO" in output


@pytest.mark.parametrize(("days_left", "flagged"), [(-1, False), (0, True), (60, True), (61, False)])
def test_signed_agreements_ending_within_60_days_are_flagged(days_left, flagged):
    agreement = make_signed_agreement(start=-300, end=days_left, today=TODAY)

    assert agreement.is_ending_soon(TODAY) is flagged
    assert Agreement.objects.ending_soon(TODAY).filter(pk=agreement.pk).exists() is flagged


def test_a_draft_ending_soon_is_not_flagged():
    agreement = make_agreement(start=-300, end=10, today=TODAY)
    assert not agreement.is_ending_soon(TODAY)
    assert not Agreement.objects.ending_soon(TODAY).exists()


def test_the_database_refuses_a_signed_agreement_without_its_copy():
    agreement = make_agreement()
    agreement.stage = Agreement.Stage.SIGNED
    agreement.signature_date = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


def test_the_database_refuses_an_agreement_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_agreement(start=10, end=0)


# --- The signature page ----------------------------------------------------------------------------------


def test_back_office_records_a_signature_with_the_pdf(client, back_office):
    agreement = make_agreement()
    client.force_login(back_office)

    response = client.post(
        f"/partners/institutions/agreements/{agreement.pk}/sign/",
        {
            "signature_date": timezone.localdate().isoformat(),
            "document": SimpleUploadedFile("scan.bin", PDF, content_type="application/octet-stream"),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/partners/institutions/{agreement.institution.pk}/#agreement-{agreement.pk}"
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.SIGNED
    assert agreement.document.read() == PDF  # recognised by its content, whatever its name


def test_a_picture_named_pdf_is_refused_beside_the_field_and_the_date_typed_is_kept(client, back_office):
    agreement = make_agreement()
    client.force_login(back_office)
    typed = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()

    response = client.post(
        f"/partners/institutions/agreements/{agreement.pk}/sign/",
        {"signature_date": typed, "document": SimpleUploadedFile("scan.pdf", png_bytes(), "application/pdf")},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is not a PDF" in page
    assert f'value="{typed}"' in page
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.DRAFT


def test_a_pdf_over_the_size_limit_is_refused(client, back_office, settings):
    settings.PARTNERS_MAX_UPLOAD_MB = 1
    agreement = make_agreement()
    client.force_login(back_office)

    response = client.post(
        f"/partners/institutions/agreements/{agreement.pk}/sign/",
        {
            "signature_date": timezone.localdate().isoformat(),
            "document": SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), "application/pdf"),
        },
    )

    assert "This file is too big: 1 MB at most." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.DRAFT


def test_the_signature_page_of_a_signed_agreement_sends_back_to_the_partner(client, back_office):
    agreement = make_signed_agreement()
    client.force_login(back_office)

    response = client.get(f"/partners/institutions/agreements/{agreement.pk}/sign/", follow=True)

    assert "no longer a draft" in response.content.decode()


# --- The signed copy ---------------------------------------------------------------------------------------


def test_the_signed_copy_is_streamed_as_an_attachment_never_cached(client, manager):
    agreement = make_signed_agreement(make_institution("France Travail"), title="Mise à disposition")
    client.force_login(manager)

    response = client.get(f"/partners/institutions/agreements/{agreement.pk}/document")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="france-travail-mise-a-disposition.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_the_signed_copy_has_no_public_url():
    agreement = make_signed_agreement()
    assert agreement.document.url is None


@pytest.mark.parametrize("persona", ["reception", "counsellor", "outsider"])
def test_staff_without_the_permission_cannot_download_the_signed_copy(client, personas, persona):
    agreement = make_signed_agreement()
    client.force_login(personas[persona])

    assert client.get(f"/partners/institutions/agreements/{agreement.pk}/document").status_code == 403


# --- The admin's forms -------------------------------------------------------------------------------------


def test_the_admin_links_the_current_copy_to_the_permission_checked_view():
    from partners.forms import AgreementForm

    agreement = make_signed_agreement()
    html = str(AgreementForm(instance=agreement)["document"])
    assert f'href="/partners/institutions/agreements/{agreement.pk}/document"' in html
    assert "/media/" not in html


def test_a_signed_agreement_keeps_its_copy_and_its_date_in_the_admin():
    from partners.forms import AgreementForm

    agreement = make_signed_agreement()
    data = {
        "institution": agreement.institution.pk,
        "kind": agreement.kind,
        "title": agreement.title,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "committed_hours": "7",
        "signature_date": "",
        "document-clear": "on",
    }
    form = AgreementForm(data=data, instance=agreement)
    assert not form.is_valid()
    assert form.errors["signature_date"] == ["A signed agreement keeps its signature date."]
    assert form.errors["document"] == ["A signed agreement keeps its signed copy."]


def test_a_refusal_of_the_service_shows_above_the_form_announced_to_screen_readers(client, back_office):
    agreement = make_agreement(start=-400, end=-1)  # still a draft, but its end has passed
    client.force_login(back_office)

    response = client.post(
        f"/partners/institutions/agreements/{agreement.pk}/sign/",
        {"signature_date": timezone.localdate().isoformat(), "document": SimpleUploadedFile("scan.pdf", PDF)},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert '<ul class="errorlist nonfield" role="alert"><li>This agreement ended on ' in page
    assert ": it can no longer be signed.</li></ul>" in page
    agreement.refresh_from_db()
    assert agreement.stage == Agreement.Stage.DRAFT
