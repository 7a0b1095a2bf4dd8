"""The wording a letter is written in: the organisation's own template or the default, and the
check that a template still produces every content the regulation requires of the letter.

Templates use Django's template language on plain text, in an engine of their own that loads
nothing (no ``include``, ``extends`` or ``load`` of other files): ``{{ expected_term }}``,
``{% if handler %}...{% endif %}``. The text is rendered without HTML escaping because a letter
is plain text; the PDF layout escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtenregister.correspondence.models import LetterTemplate
from klachtenregister.letters.contents import content_label
from klachtenregister.letters.defaults import Wording, default_wording
from klachtenregister.register.errors import WordingError
from klachtenregister.register.models import Organisation
from klachtenregister.regulations.schema import Letter
from klachtenregister.regulations.vocabulary import Content

# No loaders and no libraries: a template cannot read other files or load tag libraries.
_ENGINE = Engine(dirs=[], app_dirs=False, libraries={}, debug=True, loaders=[])

# Variables every letter can use besides its contents.
GENERAL_VARIABLES = (
    "reference",
    "organisation",
    "addressee_name",
    "complainant_name",
    "letter_date",
    "letter_label",
    "signatory",
)


# What the variables every letter can use stand for (``wording.GENERAL_VARIABLES``).
GENERAL_LABELS: dict[str, Promise] = {
    "reference": gettext_lazy("kenmerk van de klacht"),
    "organisation": gettext_lazy("naam van de organisatie"),
    "addressee_name": gettext_lazy("naam van de geadresseerde"),
    "complainant_name": gettext_lazy("naam van de klager"),
    "letter_date": gettext_lazy("datum van de brief"),
    "letter_label": gettext_lazy("naam van de brief"),
    "signatory": gettext_lazy("ondertekenaar"),
}


def wording_for(organisation: Organisation, letter: Letter, language: str) -> Wording:
    own = LetterTemplate.objects.filter(
        organisation=organisation, letter_id=letter.id, language=language
    ).first()
    if own is not None:
        wording = Wording(own.subject, own.body)
        # Saved against the regulation version in force then: for a complaint under another
        # version whose letter requires more, the default (which holds it all) is used.
        if not wording_problems(letter, wording, language):
            return wording
    return default_wording(letter, language)


def render_text(source: str, values: Mapping[str, str], where: str = "") -> str:
    try:
        template = _ENGINE.from_string(source)
        return template.render(Context(dict(values), autoescape=False)).strip()
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        line = getattr(exc, "template_debug", {}).get("line")
        at = _("%(part)s, regel %(line)s") % {"part": where, "line": line} if line else where
        raise WordingError(f"{exc} ({at})" if at else str(exc)) from exc


def _marker(name: str) -> str:
    return f"@@{name}@@"


def contents_used(wording: Wording) -> list[Content]:
    """The contents a wording prints (with every content filled in), in vocabulary order."""
    values = {content.value: _marker(content.value) for content in Content}
    values.update({name: name for name in GENERAL_VARIABLES})
    text = render_text(wording.subject, values) + render_text(wording.body, values)
    return [content for content in Content if _marker(content.value) in text]


def wording_problems(letter: Letter, wording: Wording, language: str) -> list[str]:
    """What keeps a wording from being used for ``letter``: a syntax error, or required contents
    it does not print, named in ``language`` (the interface's). Empty when it can be saved."""
    try:
        values = {content.value: _marker(content.value) for content in Content}
        values.update({name: name for name in GENERAL_VARIABLES})
        render_text(wording.subject, values, _("onderwerp"))
        render_text(wording.body, values, _("tekst"))
        used = set(contents_used(wording))
    except WordingError as exc:
        return [str(exc)]
    return [
        _("ontbreekt: %(content)s (%(variable)s)")
        % {"content": content_label(content, language), "variable": f"{{{{ {content.value} }}}}"}
        for content in letter.required_contents
        if content not in used
    ]


def missing_values(letter: Letter, values: Mapping[str, str]) -> list[Content]:
    """Required contents left empty for a letter about to be sent."""
    return [c for c in letter.required_contents if not (values.get(c.value) or "").strip()]


# A text written with its own full stop, in a sentence the wording ends with one: keep one.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def tidy(text: str) -> str:
    return _DOUBLE_STOP.sub(".", text)


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks stay within one."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
