"""Attached files: checked by their content, limited in size, thumbnails from images and PDFs."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from resources.models import Record, RecordFile
from resources.services import attach_file
from resources.uploads import inspect_upload
from tests.resources.conftest import make_record


def png(width=40, height=30, colour="red"):
    output = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(output, "PNG")
    return output.getvalue()


def pdf():
    output = io.BytesIO()
    Image.new("RGB", (300, 420), "navy").save(output, "PDF")
    return output.getvalue()


def png_bomb(width=60_000, height=60_000):
    """A tiny PNG that claims 3.6 billion pixels: its header is all Pillow needs to refuse it."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type)


def test_a_pdf_and_an_image_are_recognised_by_their_content():
    assert inspect_upload(upload("guide.pdf", pdf())).content_type == "application/pdf"
    assert inspect_upload(upload("affiche.PNG", png())).content_type == "image/png"


def test_a_program_renamed_as_a_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("guide.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "application/pdf"))
    assert error.value.code == "unknown_type"


def test_an_image_disguised_by_its_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("guide.pdf", png(), "application/pdf"))
    assert error.value.code == "disguised"
    assert "PNG" in error.value.messages[0]


def test_a_damaged_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("guide.pdf", b"%PDF-1.7\n garbage"))
    assert error.value.code == "damaged"


def test_an_oversized_file_is_refused(settings):
    settings.RESOURCES_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("gros.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1)))
    assert error.value.code == "too_large"


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("bombe.png", png_bomb()))
    assert error.value.code == "bomb"


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.RESOURCES_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("affiche.png", png(100, 100)))
    assert error.value.code == "bomb"


@pytest.mark.django_db
def test_the_first_image_gives_the_record_its_thumbnail(media):
    record = make_record()
    attached = attach_file(record=record, upload=upload("affiche.png", png(1200, 900)))
    record.refresh_from_db()
    assert attached.content_type == "image/png"
    assert attached.size > 0
    assert record.format == "image/png"
    with Image.open(record.thumbnail.path) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert max(thumbnail.size) == 480


@pytest.mark.django_db
def test_a_pdf_gives_the_thumbnail_of_its_first_page(media):
    record = make_record()
    attach_file(record=record, upload=upload("guide.pdf", pdf()))
    record.refresh_from_db()
    with Image.open(record.thumbnail.path) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size[1] == 480
        assert thumbnail.getpixel((10, 10))[2] > 100  # navy, like the page


@pytest.mark.django_db
def test_the_record_form_refuses_a_disguised_file_beside_the_field(client, back_office, media):
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-create"),
        {
            "title": "Guide",
            "kind": "guide",
            "language": "fr",
            "visibility": "internal",
            "new_files": [upload("guide.pdf", png())],
        },
    )
    assert response.status_code == 200
    assert "guide.pdf" in response.content.decode()
    assert "PNG" in response.content.decode()
    assert not Record.objects.exists() and not RecordFile.objects.exists()  # nothing of the refused form is kept


@pytest.mark.django_db
def test_files_of_public_records_are_public_the_others_are_for_staff(client, counsellor, media):
    public = make_record(visibility="public")
    internal = make_record(visibility="internal")
    public_file = attach_file(record=public, upload=upload("a.pdf", pdf()))
    internal_file = attach_file(record=internal, upload=upload("b.pdf", pdf()))

    response = client.get(public_file.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(internal_file.get_absolute_url()).status_code == 404
    assert client.get(reverse("resources:record-thumbnail", args=[internal.uuid])).status_code == 404
    client.force_login(counsellor)
    assert client.get(internal_file.get_absolute_url()).status_code == 200
    assert client.get(reverse("resources:record-thumbnail", args=[internal.uuid])).status_code == 200


@pytest.mark.django_db
def test_removing_the_last_file_removes_the_thumbnail(client, back_office, media):
    record = make_record()
    attached = attach_file(record=record, upload=upload("a.png", png()))
    client.force_login(back_office)
    response = client.post(
        reverse("resources:record-edit", kwargs={"uuid": record.uuid}),
        {
            "title": record.title,
            "kind": "guide",
            "language": "fr",
            "visibility": "public",
            "remove_files": [attached.pk],
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.files.exists()
    assert not record.thumbnail


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


@pytest.mark.parametrize("name", ["affiche.svg", "affiche.png", "affiche.pdf"])
def test_an_svg_with_a_script_is_refused_whatever_its_name(name):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload(name, SVG_WITH_SCRIPT, "image/svg+xml"))
    assert error.value.code == "disguised"  # read as text, and text must be named .txt


@pytest.mark.django_db
def test_an_svg_named_as_text_is_only_ever_served_as_a_sandboxed_download(client, media):
    record = make_record()
    attached = attach_file(record=record, upload=upload("notes.txt", SVG_WITH_SCRIPT))
    response = client.get(attached.get_absolute_url())
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_zip_renamed_as_a_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("guide.pdf", zip_bytes({"guide.exe": b"MZ" + b"\0" * 100})))
    assert error.value.code == "unknown_type"


def test_a_zip_bomb_disguised_as_an_office_document_is_refused_before_it_is_unpacked(settings):
    settings.RESOURCES_MAX_UPLOAD_MB = 1  # the bomb then needs to unpack to more than 10 MB
    bomb = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": b"\0" * (11 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("rapport.docx", bomb))
    assert error.value.code == "unknown_type"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-", b"%PDF-1.4\n" + b"\0" * 64, b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF"],
)
def test_malformed_pdfs_are_refused_cleanly(data):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("guide.pdf", data))
    assert error.value.code in {"damaged", "unknown_type"}


@pytest.mark.django_db
def test_a_file_missing_from_the_disk_gives_a_clear_404_to_visitors_and_staff(client, counsellor, media, caplog):
    public = make_record(title="Fiche plombier", visibility="public")
    internal = make_record(title="Note interne", visibility="internal")
    public_file = attach_file(record=public, upload=upload("a.pdf", pdf()))
    internal_file = attach_file(record=internal, upload=upload("b.pdf", pdf()))
    for attached in (public_file, internal_file):
        attached.file.storage.delete(attached.file.name)  # a restore that forgot the files
    public.refresh_from_db()  # its thumbnail, drawn from the PDF
    public.thumbnail.storage.delete(public.thumbnail.name)

    response = client.get(public_file.get_absolute_url())
    assert response.status_code == 404
    page = response.content.decode()
    assert "Fiche plombier" in page
    assert f'href="{public.get_public_url()}"' in page  # back to the record, not to the staff's page
    assert public_file.file.name in caplog.text  # IT learns which file to restore
    assert client.get(reverse("resources:record-thumbnail", args=[public.uuid])).status_code == 404

    client.force_login(counsellor)
    response = client.get(internal_file.get_absolute_url())
    assert response.status_code == 404
    assert f'href="{internal.get_absolute_url()}"' in response.content.decode()
