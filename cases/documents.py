"""What a case document may be: the type is read from the content, never from the name.

Allowed: PDF, PNG, JPEG, Office Open XML (docx, xlsx, pptx), OpenDocument (odt, ods, odp)
and legacy Office (doc, xls, ppt: OLE2 compound files). The stored file gets a random name
and the extension of the detected type, so a download can never be opened as something else.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

OOXML_PARTS = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# Legacy Office files are all OLE2 containers; the extension tells Word from Excel.
OLE2_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}


@dataclass(frozen=True)
class DetectedType:
    extension: str
    content_type: str


def _zip_type(file: IO[bytes]) -> DetectedType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for prefix, (extension, content_type) in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return DetectedType(extension, content_type)
                return None
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF_TYPES:
                    return DetectedType(ODF_TYPES[mimetype], mimetype)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        return None
    return None


def detect_type(file: IO[bytes], name: str = "") -> DetectedType | None:
    """The allowed type of `file` judged by its first bytes (and structure), or None."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    try:
        if head.startswith(PDF):
            return DetectedType("pdf", "application/pdf")
        if head.startswith(PNG):
            return DetectedType("png", "image/png")
        if head.startswith(JPEG):
            return DetectedType("jpg", "image/jpeg")
        if head.startswith(ZIP):
            return _zip_type(file)
        if head.startswith(OLE2):
            extension = os.path.splitext(name)[1].lower().lstrip(".")
            if extension in OLE2_TYPES:
                return DetectedType(extension, OLE2_TYPES[extension])
        return None
    finally:
        file.seek(0)


def clean_original_name(name: str) -> str:
    """The uploaded name, for display and the download's file name: no path, no control chars."""
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:200] or "document"


def download_name(original_name: str, extension: str) -> str:
    """The original name with the extension of the detected type."""
    stem = os.path.splitext(original_name)[0] or "document"
    return f"{stem}.{extension}"


def validate_upload(file: IO[bytes], name: str, size: int) -> DetectedType:
    """Raise ValidationError (shown next to the field) unless the upload may be stored."""
    limit = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    detected = detect_type(file, name)
    if detected is None:
        raise ValidationError(
            _(
                "This type of file is not allowed. Upload a PDF, a PNG or JPEG image, or an "
                "Office document (docx, xlsx, pptx, doc, xls, odt)."
            ),
            code="type",
        )
    return detected
