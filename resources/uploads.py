"""Checking attached files by their content (never their name) and making thumbnails.

An upload is accepted only when its bytes are one of the known types *and* its name ends with an
extension of that type: a program renamed `guide.pdf` is refused, and so is a PNG named `.pdf`.
Images are opened with Pillow under a pixel limit (decompression bombs), PDFs with pdfium.
"""

import io
import threading
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

import cite.storage

THUMBNAIL_SIZE = (480, 480)
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
PDF_TYPE = "application/pdf"

# media type -> (extensions, label)
ALLOWED_TYPES = {
    PDF_TYPE: ({".pdf"}, "PDF"),
    "image/png": ({".png"}, "PNG"),
    "image/jpeg": ({".jpg", ".jpeg"}, "JPEG"),
    "image/gif": ({".gif"}, "GIF"),
    "image/webp": ({".webp"}, "WebP"),
    "application/vnd.oasis.opendocument.text": ({".odt"}, "OpenDocument"),
    "application/vnd.oasis.opendocument.spreadsheet": ({".ods"}, "OpenDocument"),
    "application/vnd.oasis.opendocument.presentation": ({".odp"}, "OpenDocument"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ({".docx"}, "Word"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ({".xlsx"}, "Excel"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ({".pptx"}, "PowerPoint"),
    "video/mp4": ({".mp4", ".m4v"}, "MP4"),
    "audio/mpeg": ({".mp3"}, "MP3"),
    "text/plain": ({".txt", ".md"}, _("text")),
    "text/csv": ({".csv"}, "CSV"),
}
OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# pdfium is not thread-safe: one document at a time in this process.
PDFIUM_LOCK = threading.Lock()


@deconstructible(path="resources.uploads.PrivateStorage")
class PrivateStorage(cite.storage.PrivateStorage):
    """The kernel's private storage under the name this app's migrations record: the library's views
    check who may read a file (public records: everyone; the others: staff)."""


private_storage = PrivateStorage()


@dataclass(frozen=True)
class Upload:
    content_type: str
    size: int
    name: str


def max_upload_bytes():
    return settings.RESOURCES_MAX_UPLOAD_MB * 1024 * 1024


def max_image_pixels():
    return settings.RESOURCES_MAX_IMAGE_PIXELS


def _read(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def sniff(data, extension):
    """The media type of `data` from its first bytes (and its structure for zip-based documents), or None."""
    if data.startswith(b"%PDF-"):
        return PDF_TYPE
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    if data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/csv" if extension == ".csv" else "text/plain"
    return None


def _sniff_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        # A zip bomb is refused before anything reads it.
        if sum(info.file_size for info in archive.infolist()) > 10 * max_upload_bytes():
            return None
        if names and names[0] == "mimetype":
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            return mimetype if mimetype in ALLOWED_TYPES else None
        if "[Content_Types].xml" in names:
            for prefix, media_type in OOXML_PARTS.items():
                if any(name.startswith(prefix) for name in names):
                    return media_type
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def inspect_upload(file):
    """What an uploaded file really is; raises ValidationError when it is not acceptable."""
    name = PurePath(getattr(file, "name", "") or "").name
    size = file.size
    if size > max_upload_bytes():
        raise ValidationError(
            _("This file weighs %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())},
        )
    if size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = PurePath(name).suffix.lower()
    data = _read(file)
    content_type = sniff(data, extension)
    if content_type is None:
        raise ValidationError(
            _("This kind of file is not accepted. Accepted: PDF, images, office documents, MP4, MP3, text."),
            code="unknown_type",
        )
    extensions, label = ALLOWED_TYPES[content_type]
    if extension not in extensions:
        raise ValidationError(
            _("This file is really a %(kind)s file, but its name ends in “%(extension)s”."),
            code="disguised",
            params={"kind": label, "extension": extension or "—"},
        )
    if content_type in IMAGE_TYPES:
        _check_image(data)
    elif content_type == PDF_TYPE:
        _check_pdf(data)
    return Upload(content_type=content_type, size=size, name=name)


def validate_upload(file):
    """Model field validator: the same checks for forms, the admin and imports."""
    inspect_upload(file)


def _open_image(data):
    """Open an image lazily, refusing decompression bombs before any pixel is decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ValidationError(_("This image is too large to be opened safely."), code="bomb") from None
        except (OSError, SyntaxError, ValueError):
            raise ValidationError(_("This image is damaged and cannot be opened."), code="damaged") from None
    width, height = image.size
    if width * height > max_image_pixels():
        raise ValidationError(_("This image is too large to be opened safely."), code="bomb")
    return image


def _check_image(data):
    image = _open_image(data)
    try:
        image.verify()
    except Exception:  # Pillow raises many kinds of errors for a broken file
        raise ValidationError(_("This image is damaged and cannot be opened."), code="damaged") from None


def _check_pdf(data):
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            raise ValidationError(
                _("This PDF is damaged or protected by a password and cannot be opened."), code="damaged"
            ) from None
        try:
            if len(document) == 0:
                raise ValidationError(_("This PDF has no page."), code="damaged")
        finally:
            document.close()


def make_thumbnail(file, content_type):
    """A JPEG thumbnail of an image or of a PDF's first page, or None for other kinds of file."""
    data = _read(file)
    if content_type in IMAGE_TYPES:
        image = _open_image(data)
        image = ImageOps.exif_transpose(image)
    elif content_type == PDF_TYPE:
        image = _render_pdf_first_page(data)
    else:
        return None
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        image = image.convert("RGBA")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    image.thumbnail(THUMBNAIL_SIZE)
    output = io.BytesIO()
    image.convert("RGB").save(output, "JPEG", quality=82, optimize=True)
    return ContentFile(output.getvalue(), name="thumbnail.jpg")


def _render_pdf_first_page(data):
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            width, height = page.get_size()
            scale = min(THUMBNAIL_SIZE[0] / max(width, 1), THUMBNAIL_SIZE[1] / max(height, 1), 4)
            image = page.render(scale=scale).to_pil()
            page.close()
        finally:
            document.close()
    return image
