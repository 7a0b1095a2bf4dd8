"""Every report of every demo organisation, for every duty, in every format: made without an
error, and no anonymised report (nor any report made without the right to see names) holds the
name, address or e-mail of anyone in the register."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from pypdf import PdfReader

from klachtenregister.correspondence.selectors import letterhead_of
from klachtenregister.demo.loading import load_demo
from klachtenregister.register.models import Complaint, ComplaintPerson, Organisation
from klachtenregister.reports import exports
from klachtenregister.reports.periods import Period
from klachtenregister.reports.selectors import (
    ReportRequest,
    compute,
    duties_of,
    is_opdrachtgever_duty,
    opdrachtgevers,
    regulation_for_period,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def identifying_texts() -> set[str]:
    texts: set[str] = set()
    for c in Complaint.objects.all():
        texts |= {c.complainant_name, c.complainant_email, c.complainant_phone}
        texts |= {c.representative_name, *c.complainant_address.splitlines()}
    texts |= set(ComplaintPerson.objects.values_list("name", flat=True))
    for user in get_user_model().objects.all():
        texts |= {user.get_full_name(), user.email}
    return {t.strip() for t in texts if t and len(t.strip()) > 3}


def as_text(content: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        return "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
    return content.decode()


def test_every_demo_report_is_made_and_names_no_one(
    regulations: Any, clock: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clock.set(TODAY.isoformat())
    load_demo(TODAY)
    people = identifying_texts()
    assert "Karin Vos" in people  # the demo's complainants are in the register
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    anonymised_seen = 0
    for organisation in Organisation.objects.filter(complaints__isnull=False).distinct():
        duties = duties_of(regulation_for_period(organisation, period))
        for duty in [None, *duties]:
            # A duty for the opdrachtgever is made per opdrachtgever: the first one named.
            per = duty is not None and is_opdrachtgever_duty(duty)
            client = opdrachtgevers(organisation)[0] if per else ""
            request = ReportRequest(
                organisation, period, duty.id if duty else "", client, names=True
            )
            report = compute(request, as_of=TODAY)
            assert report["figures"]["complaints_received"]["total"] > 0 if duty is None else True
            plain = compute(ReportRequest(organisation, period, request.duty, client), as_of=TODAY)
            assert not [p for p in people if p in json.dumps(plain, ensure_ascii=False)]
            if duty is None or not duty.anonymised:
                continue
            anonymised_seen += 1
            # The letterhead is the organisation's own address (a demo complainant lives in the
            # same street and postcode: Kerkwervesingel, 3086 HN Rotterdam).
            letterhead = set(letterhead_of(organisation).postal_address.splitlines())
            for fmt in ("json", "csv", "xlsx", "pdf"):
                text = as_text(exports.render(report, fmt, organisation), fmt)
                found = [p for p in people - letterhead if p in text]
                assert not found, (organisation.slug, duty.id, fmt, found)
    assert anonymised_seen == 1  # SmartPLUS's management report (the Awb preset is a template)
