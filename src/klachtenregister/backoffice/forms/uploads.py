"""Which files the register keeps (issue 16 §3): a size limit per file and per request, and an
allow-list of kinds, each recognised by its content, not by its name.

The kinds: PDF; images (PNG, JPEG, GIF, WebP, TIFF); Office documents (Word, Excel, PowerPoint,
old and new, and OpenDocument, RTF); plain text and CSV; e-mail (``.eml`` as text, ``.msg`` as
Outlook writes it). A file's extension must be one of its kind's: ``virus.exe`` is refused, and
so is ``virus.exe`` renamed ``brief.pdf``, because its content is no PDF.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from email.parser import BytesHeaderParser
from pathlib import PurePath
from typing import IO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# What a file begins with, for the kinds recognised by their first bytes.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files and Outlook's .msg
SNIFF_BYTES = 8192


def _starts(*magics: bytes) -> Callable[[bytes, IO[bytes]], bool]:
    return lambda head, _file: head.startswith(magics)


def _webp(head: bytes, _file: IO[bytes]) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _zip_names(file: IO[bytes]) -> list[str]:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    finally:
        file.seek(0)


def _ooxml(head: bytes, file: IO[bytes]) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    names = _zip_names(file)
    return "[Content_Types].xml" in names and any(
        name.startswith(("word/", "xl/", "ppt/")) for name in names
    )


def _opendocument(head: bytes, _file: IO[bytes]) -> bool:
    # The first entry of an OpenDocument file is "mimetype", stored uncompressed.
    return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/vnd.oasis.opendocument" in head


def _text(head: bytes, file: IO[bytes]) -> bool:
    if b"\x00" in head:
        return False
    file.seek(0)
    data = file.read(1024 * 1024)
    file.seek(0)
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            # A multi-byte character cut off at the end of the sample is no reason to refuse.
            if encoding == "utf-8":
                try:
                    data[:-4].decode(encoding)
                except UnicodeDecodeError:
                    continue
                return True
            continue
        return True
    return False


def _email(head: bytes, file: IO[bytes]) -> bool:
    if not _text(head, file):
        return False
    headers = BytesHeaderParser().parsebytes(head)
    names = {name.lower() for name in headers.keys()}  # noqa: SIM118 (a Message, not a dict)
    return bool(names & {"from", "to", "subject", "date", "received", "message-id"})


# (kind shown to the user, extensions, test on the first bytes and the file)
KINDS: list[tuple[str, frozenset[str], Callable[[bytes, IO[bytes]], bool]]] = [
    ("PDF", frozenset({".pdf"}), _starts(b"%PDF-")),
    ("PNG", frozenset({".png"}), _starts(b"\x89PNG\r\n\x1a\n")),
    ("JPEG", frozenset({".jpg", ".jpeg"}), _starts(b"\xff\xd8\xff")),
    ("GIF", frozenset({".gif"}), _starts(b"GIF87a", b"GIF89a")),
    ("WebP", frozenset({".webp"}), _webp),
    ("TIFF", frozenset({".tif", ".tiff"}), _starts(b"II*\x00", b"MM\x00*")),
    ("Office", frozenset({".docx", ".xlsx", ".pptx"}), _ooxml),
    ("OpenDocument", frozenset({".odt", ".ods", ".odp"}), _opendocument),
    ("Office", frozenset({".doc", ".xls", ".ppt"}), _starts(OLE2)),
    ("Outlook", frozenset({".msg"}), _starts(OLE2)),
    ("RTF", frozenset({".rtf"}), _starts(b"{\\rtf")),
    ("e-mail", frozenset({".eml"}), _email),
    ("tekst", frozenset({".txt", ".csv"}), _text),
]
ALLOWED_EXTENSIONS = sorted(
    {extension for _kind, extensions, _test in KINDS for extension in extensions}
)


def max_file_size() -> int:
    return int(settings.UPLOAD_MAX_FILE_SIZE)


def max_request_size() -> int:
    return int(settings.UPLOAD_MAX_REQUEST_SIZE)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_upload(upload: UploadedFile) -> None:
    """Raise a ValidationError that says why ``upload`` is not kept, or return."""
    name = upload.name or ""
    if upload.size is not None and upload.size > max_file_size():
        raise forms.ValidationError(
            _("%(name)s is te groot: een bestand mag ten hoogste %(max)s zijn."),
            code="file_too_big",
            params={"name": name, "max": _megabytes(max_file_size())},
        )
    extension = PurePath(name).suffix.lower()
    candidates = [test for _kind, extensions, test in KINDS if extension in extensions]
    if not candidates:
        raise forms.ValidationError(
            _(
                "%(name)s: dit soort bestand kan niet. Toegestaan zijn PDF, afbeeldingen, "
                "Office-documenten, tekst en e-mail (%(extensions)s)."
            ),
            code="file_type",
            params={"name": name, "extensions": ", ".join(ALLOWED_EXTENSIONS)},
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not any(test(head, upload) for test in candidates):
        raise forms.ValidationError(
            _("%(name)s is geen %(extension)s-bestand: de inhoud past niet bij de naam."),
            code="file_content",
            params={"name": name, "extension": extension.lstrip(".").upper()},
        )


def check_total(uploads: Iterable[UploadedFile]) -> None:
    total = sum(upload.size or 0 for upload in uploads)
    if total > max_request_size():
        raise forms.ValidationError(
            _("De bestanden zijn samen te groot: ten hoogste %(max)s per keer."),
            code="request_too_big",
            params={"max": _megabytes(max_request_size())},
        )
