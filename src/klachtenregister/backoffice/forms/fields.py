"""Form fields shared by the back office's forms."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.text import NamesField, normalise_name
from klachtenregister.backoffice.forms.uploads import check_total, check_upload
from klachtenregister.calendars import DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


# The dates the register can count with: the working-day calendars cover DEFAULT_FIRST_YEAR to
# DEFAULT_LAST_YEAR; a margin on both sides leaves room for the terms counted from a date.
FIRST_DATE = dt.date(DEFAULT_FIRST_YEAR + 1, 1, 1)
LAST_DATE = dt.date(DEFAULT_LAST_YEAR - 10, 12, 31)


def _date_in_range(value: dt.date) -> None:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise forms.ValidationError(
            _("Vul een datum in tussen %(first)s en %(last)s."),
            code="date_out_of_range",
            params={
                "first": FIRST_DATE.strftime("%d-%m-%Y"),
                "last": LAST_DATE.strftime("%d-%m-%Y"),
            },
        )


def date_field(label: StrOrPromise, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput(), validators=[_date_in_range]
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """One file, of a kind the register keeps and not too big (``uploads.check_upload``)."""

    def clean(self, data: object, initial: object = None) -> object:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            check_upload(upload)
            check_total([upload])
        return upload


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe for multiple uploads), each of a
    kind the register keeps, each and all together not too big."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data]
        else:
            files = [single(data, initial)] if data else []
        uploads = [item for item in files if isinstance(item, UploadedFile)]
        errors = []
        for upload in uploads:
            try:
                check_upload(upload)
            except forms.ValidationError as exc:
                errors.append(exc)
        if errors:
            raise forms.ValidationError(errors)
        check_total(uploads)
        return files


def names_field(
    label: StrOrPromise, help_text: StrOrPromise = "", required: bool = False
) -> forms.CharField:
    return NamesField(
        label=label,
        required=required,
        help_text=help_text or _("Eén naam per regel."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def split_names(text: str) -> list[str]:
    """One name per line, each normalised (``text.normalise_name``); blank lines and repeats
    dropped, order kept."""
    names = (normalise_name(line) for line in text.splitlines())
    return list(dict.fromkeys(name for name in names if name))
