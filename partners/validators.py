"""Checks on what people type and upload: phone numbers, logos, signed PDFs and shared documents.

Uploads are judged by their content, never by their name or the type the browser claims.
"""

import io
import uuid
import zipfile

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_SIDE = 400  # pixels
LOGO_MAX_PIXELS = 40_000_000  # refuse anything bigger before decoding it (decompression bombs)
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}

# What a shared document may be, recognised from its bytes: extension -> a part it must contain.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
}


# --- Phone numbers -----------------------------------------------------------------------------------


def phone_region():
    return settings.PHONE_DEFAULT_REGION


def normalise_phone(value):
    """The number in international form (+33123456789), or a ValidationError on the phone field."""
    message = _(
        "“%(value)s” is not a valid phone number. Type it as you would dial it here "
        "(01 23 45 67 89), or with its country code (+41 22 123 45 67)."
    ) % {"value": value}
    try:
        number = phonenumbers.parse(value, phone_region())
    except phonenumbers.NumberParseException:
        raise ValidationError({"phone": message}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError({"phone": message})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value):
    """How people read a number: national form for our own country, international otherwise."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, phone_region())
    except phonenumbers.NumberParseException:
        return value
    national = phonenumbers.region_code_for_number(number) == phone_region()
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


# --- Uploads -----------------------------------------------------------------------------------------


def max_upload_mb():
    return settings.PARTNERS_MAX_UPLOAD_MB


def check_size(upload):
    limit = max_upload_mb()
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("This file is too big: %(limit)s MB at most.") % {"limit": limit}, code="file_too_big")


def _head(upload, length):
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def process_logo(upload):
    """A PNG of at most LOGO_MAX_SIDE pixels, drawn again from the upload's pixels.

    Re-encoding keeps the picture and drops everything else the file may carry (metadata,
    trailing data, a script disguised as an image).
    """
    check_size(upload)
    refused = ValidationError(
        _("This file is not a picture cite can read: upload a PNG, JPEG, GIF or WebP image."), code="not_an_image"
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in LOGO_FORMATS:
                raise refused
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise ValidationError(_("This picture is too large; a logo needs no more than 400 pixels."))
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image).convert("RGBA")
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
            output = io.BytesIO()
            image.save(output, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    finally:
        upload.seek(0)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.png")


def check_pdf(upload):
    """The upload, if it is a PDF (its first bytes say so) and not too big."""
    check_size(upload)
    if not _head(upload, 5) == b"%PDF-":
        raise ValidationError(_("This file is not a PDF. Scan or export the signed copy as a PDF."), code="not_a_pdf")
    if b"%%EOF" not in _tail(upload, 2048):
        # PDF 1.7 §7.5.5: a PDF ends with %%EOF; without it the file was cut short or is not a PDF.
        raise ValidationError(
            _("This PDF is incomplete or damaged. Scan or export the signed copy again."), code="damaged_pdf"
        )
    return upload


def _tail(upload, length):
    upload.seek(max(upload.size - length, 0))
    tail = upload.read(length)
    upload.seek(0)
    return tail


def document_extension(upload):
    """The extension of a shared document (pdf, odt, docx…) read from its content, or a ValidationError."""
    check_size(upload)
    if _head(upload, 5) == b"%PDF-":
        return "pdf"
    refused = ValidationError(
        _("Share PDF, OpenDocument (odt, ods, odp) or Microsoft Office (docx, xlsx, pptx) files only."),
        code="document_type",
    )
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype in ODF_TYPES:
                    return ODF_TYPES[mimetype]
            if "[Content_Types].xml" in names:
                # Macro-enabled Office files carry code that runs on opening: never pass them around.
                types = archive.open("[Content_Types].xml").read(200_000)
                if b"macroEnabled" in types or any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise ValidationError(_("Office files with macros cannot be shared here."), code="macros")
                for extension, part in OOXML_PARTS.items():
                    if part in names:
                        return extension
    except (zipfile.BadZipFile, OSError, KeyError):
        pass
    finally:
        upload.seek(0)
    raise refused
