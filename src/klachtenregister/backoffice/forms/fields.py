"""Form fields shared by the back office's forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: StrOrPromise, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe for multiple uploads)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def names_field(
    label: StrOrPromise, help_text: StrOrPromise = "", required: bool = False
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text or _("Eén naam per regel."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def split_names(text: str) -> list[str]:
    """One name per line; blank lines and repeats dropped, order kept."""
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
