"""Text input as the register accepts it (issue 16 §3): bounded, printable, names normalised.

Every text field of the back office's forms goes through ``harden``: a length limit (the field's
own, or a default for one line or many), no control characters (line breaks and tabs only where
the field has several lines), no characters that turn the writing direction around (a name
that displays differently from what it is), and NFC normalisation, so "é" typed two ways is one
text. Names go further (``normalise_name``): runs of any kind of space, including the no-break
and the zero-width ones, become one space, and a name of invisible characters only is refused:
"M.  de Boer", "M.\u00a0de Boer" and "M. de\u200b Boer" are all "M. de Boer", the name the
register compares with its members'.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

SINGLE_LINE_MAX = 200
MULTI_LINE_MAX = 20_000
# Embeddings, overrides and isolates, and the marks that flip neutral characters (Trojan Source).
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")
# Spaces that show as nothing or as a space without being one (zero-width, joiners, word joiner,
# BOM, Mongolian vowel separator; Hangul fillers and the blank Braille pattern look empty).
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"
    "\u115f\u1160\u3164\uffa0\u2800\u00ad\u034f"
)
LINE_BREAKS = frozenset("\r\n\t")
_SPACES = re.compile(r"\s+")


def text_problem(value: str, multiline: bool) -> ValidationError | None:
    """Why ``value`` is not acceptable text, or None."""
    for char in value:
        if char in LINE_BREAKS:
            if multiline:
                continue
            return ValidationError(
                _("Dit veld heeft één regel: regeleinden en tabs kunnen hier niet."),
                code="line_break",
            )
        if char in DIRECTION_CONTROLS:
            return ValidationError(
                _("Tekens die de schrijfrichting omkeren (U+%(code)04X) kunnen hier niet."),
                code="direction_control",
                params={"code": ord(char)},
            )
        # Control characters, lone surrogates, the line and paragraph separators and the
        # noncharacters; unassigned code points pass (a newer emoji than Python knows).
        category = unicodedata.category(char)
        if category in {"Cc", "Cs"} or char in "\u2028\u2029\ufffe\uffff":
            return ValidationError(
                _("Dit veld bevat een stuurteken of ongeldig teken (U+%(code)04X)."),
                code="control",
                params={"code": ord(char)},
            )
    return None


def is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return char.isspace() or char in INVISIBLE or category in {"Cf", "Mn", "Me", "Zs", "Zl", "Zp"}


def normalise_name(value: str) -> str:
    """NFC; invisible spaces removed; runs of spaces one space; no space at the ends."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if char.isspace() or char in INVISIBLE else char for char in value)
    return _SPACES.sub(" ", value).strip()


def name_problem(value: str) -> ValidationError | None:
    if value and all(is_invisible(char) for char in value):
        return ValidationError(_("Een naam moet zichtbare letters hebben."), code="invisible_name")
    return None


class NameField(forms.CharField):
    """One person's or party's name on one line."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_length", SINGLE_LINE_MAX)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        problem = text_problem(text, multiline=False)
        if problem is not None:
            raise problem
        problem = name_problem(text)
        if problem is not None:
            raise problem
        return normalise_name(text)


class NamesField(forms.CharField):
    """Names one per line (``split_names`` reads them); each line a name as ``NameField``'s."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_length", MULTI_LINE_MAX)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        problem = text_problem(text, multiline=True)
        if problem is not None:
            raise problem
        names = []
        for line in text.splitlines():
            if not line.strip():
                continue
            problem = name_problem(line) or text_problem(line.replace("\t", " "), False)
            if problem is not None:
                raise problem
            if len(normalise_name(line)) > SINGLE_LINE_MAX:
                raise ValidationError(
                    _("Een naam is ten hoogste %(max)s tekens lang."),
                    code="name_too_long",
                    params={"max": SINGLE_LINE_MAX},
                )
            names.append(normalise_name(line))
        return "\n".join(names)


def _is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


class _TextValidator:
    def __init__(self, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if isinstance(value, str):
            problem = text_problem(value, self.multiline)
            if problem is not None:
                raise problem

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash(self.multiline)


def harden(form: forms.BaseForm) -> None:
    """Give every text field of ``form`` a length limit and the printable-text check.

    Called by the back office's forms once their fields are complete (some are added per
    complaint); calling it twice changes nothing.
    """
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or isinstance(
            field, NameField | NamesField | forms.UUIDField | forms.JSONField
        ):
            continue
        multiline = _is_multiline(field)
        if field.max_length is None:
            field.max_length = MULTI_LINE_MAX if multiline else SINGLE_LINE_MAX
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs.setdefault("maxlength", str(field.max_length))
        validator = _TextValidator(multiline)
        if validator not in field.validators:
            field.validators.append(validator)


class HardenedText:
    """Mixin for a form (before ``forms.Form`` in its bases): ``harden`` on its fields, and every
    cleaned text NFC-normalised."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        harden(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        harden(self)  # type: ignore[arg-type]  # fields added after __init__ too
        super().full_clean()  # type: ignore[misc]
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned:
            for name, value in cleaned.items():
                if isinstance(value, str):
                    cleaned[name] = unicodedata.normalize("NFC", value)
