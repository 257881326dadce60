"""Uploads made to deceive: a signed copy or a shared document that is something else than it says,
cut short, or a script in disguise, is refused with a clear message and nothing is stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.forms import GroupDocumentForm, SignAgreementForm
from tests.partners.factories import PDF, make_agreement, make_group

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def zip_bytes(**members):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


def sign_form(content, name="copie.pdf"):
    return SignAgreementForm(
        data={"signature_date": "2026-01-05"},
        files={"document": SimpleUploadedFile(name, content, "application/pdf")},
        agreement=make_agreement(),
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (zip_bytes(**{"a.txt": "x"}), "This file is not a PDF."),
        (SVG, "This file is not a PDF."),
        (b"%PDF-1.4\n1 0 obj<< /Type /Catalog", "This PDF is incomplete or damaged."),  # cut short
        (PDF[:-20], "This PDF is incomplete or damaged."),
    ],
)
def test_a_signed_copy_that_is_not_a_whole_pdf_is_refused(content, message):
    form = sign_form(content)
    assert not form.is_valid()
    assert form.errors["document"][0].startswith(message)


def test_a_whole_pdf_is_accepted_as_the_signed_copy():
    form = sign_form(PDF)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "content",
    [
        SVG,
        zip_bytes(**{"payload.exe": b"MZ" + b"\0" * 100}),  # a zip renamed .docx
        zip_bytes(**{"[Content_Types].xml": "<Types/>"}),  # Office's skeleton, no document inside
        b"",
    ],
)
def test_a_shared_document_in_disguise_is_refused(content):
    form = GroupDocumentForm(
        data={"group": make_group().pk, "title": "Note"},
        files={"file": SimpleUploadedFile("note.docx", content)},
    )
    assert not form.is_valid()
    assert "file" in form.errors
