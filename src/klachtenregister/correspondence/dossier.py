"""A complaint's dossier: everything the register holds about it, as one PDF, and as a ZIP with
that PDF and every letter and attachment (docs/backoffice.md "Dossier").

The dossier serves the print-out of a complaint and a complainant's request to see their file
(SmartPLUS art. 6, AVG art. 15). Its data is the complaint page's (``complaint_page``: facts,
terms, the chronological overview) with the letters and documents; this module reads, renders
and packs, it writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtenregister.correspondence.addressees import salutation
from klachtenregister.correspondence.models import Letter, Letterhead
from klachtenregister.correspondence.selectors import letterhead_of, letters_of
from klachtenregister.register.models import Complaint, ComplaintPerson, Document
from klachtenregister.register.selectors.complaint_page import (
    ComplaintPage,
    complaint_page,
    event_text,
)

# Files are copied into the ZIP in pieces; the archive stays in memory up to this size and
# spills to a temporary file beyond it.
SPOOL_LIMIT = 8 * 1024 * 1024


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    event_label: str  # the event it belongs to, "" for none
    is_letter: bool


@dataclass(frozen=True)
class Dossier:
    complaint: Complaint
    page: ComplaintPage
    letterhead: Letterhead
    letters: list[Letter]
    documents: list[DocumentRow]
    subjects: list[str]
    involved: list[str]
    made_on: dt.date
    # How the complainant's letters greet them, as the form of address gives it.
    salutation: str = ""


def dossier_of(complaint: Complaint, today: dt.date, lang: str) -> Dossier:
    """What the dossier shows, as of ``today``."""
    page = complaint_page(complaint, today, lang)
    letters = letters_of(complaint)
    letter_documents = {letter.document_id for letter in letters}
    regulation = page.snapshot.regulation
    documents = [
        DocumentRow(
            document=item,
            event_label=event_text(regulation, item.event.event, lang) if item.event else "",
            is_letter=item.pk in letter_documents,
        )
        for item in page.documents
    ]
    return Dossier(
        complaint=complaint,
        page=page,
        letterhead=letterhead_of(complaint.organisation),
        letters=letters,
        documents=documents,
        subjects=[p.name for p in page.people if p.relation == ComplaintPerson.SUBJECT],
        involved=[p.name for p in page.people if p.relation == ComplaintPerson.INVOLVED],
        made_on=today,
        salutation=salutation(
            complaint.complainant_name,
            complaint.complainant_language,
            complaint.form_of_address,
        )
        + ",",
    )


def dossier_html(dossier: Dossier) -> str:
    return render_to_string(
        "correspondence/dossier.html",
        {
            "dossier": dossier,
            "complaint": dossier.complaint,
            "organisation": dossier.complaint.organisation,
            "letterhead": dossier.letterhead,
            "page": dossier.page,
        },
    )


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict:
    # As a letter, the dossier is self-contained: the renderer fetches nothing.
    raise ValueError(f"the dossier loads no external resources ({url})")


def dossier_pdf(dossier: Dossier) -> bytes:
    """The dossier as a PDF; like a letter it loads nothing from outside."""
    return weasyprint.HTML(string=dossier_html(dossier), url_fetcher=_refuse_fetch).write_pdf()


def dossier_filename(complaint: Complaint, extension: str) -> str:
    return f"dossier-{safe_name(complaint.reference)}.{extension}"


def safe_name(name: str) -> str:
    """A file name that is safe in an archive and on any disk: no folders, no control or
    reserved characters, not empty."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "_", name).strip(" .")
    return name[:150] or "bestand"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem} ({number})" + (f".{extension}" if extension else "")
    taken.add(candidate.lower())
    return candidate


def archive_names(dossier: Dossier) -> list[tuple[str, DocumentRow]]:
    """Each document's name in the ZIP: letters under ``brieven/``, the rest under
    ``bijlagen/``, prefixed with their date, unique."""
    taken: set[str] = set()
    result = []
    for row in dossier.documents:
        folder = _("brieven") if row.is_letter else _("bijlagen")
        day = timezone.localtime(row.document.uploaded_at).date().isoformat()
        name = _unique(f"{day} {safe_name(row.document.name)}", taken)
        result.append((f"{folder}/{name}", row))
    return result


def dossier_zip(dossier: Dossier) -> IO[bytes]:
    """The dossier PDF with every letter and attachment, as a ZIP, positioned at its start.

    Each stored file is copied into the archive in pieces; the archive spills to disk beyond
    ``SPOOL_LIMIT``. A file missing from storage is listed in ``ontbrekende-bestanden.txt``.
    """
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)  # noqa: SIM115 returned open
    missing: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(dossier_filename(dossier.complaint, "pdf"), dossier_pdf(dossier))
        for name, row in archive_names(dossier):
            try:
                source = row.document.file.open("rb")
            except (FileNotFoundError, ValueError):  # ValueError: erased (AVG), no file left
                missing.append(row.document.name)
                continue
            with source, archive.open(name, "w", force_zip64=True) as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)
        if missing:
            archive.writestr(
                _("ontbrekende-bestanden.txt"),
                "\n".join([_("Deze bestanden ontbreken in de opslag:"), *missing]) + "\n",
            )
    target.seek(0)
    return target
