"""The wording a letter is written in: the organisation's own template or the default, and the
check that a template still produces every content the regulation requires of the letter.

Templates use Django's template language on plain text, in an engine of their own that loads
nothing (no ``include``, ``extends`` or ``load`` of other files): ``{{ expected_term }}``,
``{% if handler %}...{% endif %}``. The text is rendered without HTML escaping because a letter
is plain text; the PDF layout escapes it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import cast

from django.template import Context, Engine, Template, TemplateDoesNotExist, TemplateSyntaxError
from django.template.base import Node, NodeList, Variable, VariableNode
from django.template.defaulttags import ForNode, IfNode
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachtenregister.correspondence.models import LetterTemplate
from klachtenregister.letters.contents import content_label
from klachtenregister.letters.defaults import (
    Kind,
    Wording,
    contents_of,
    default_wording,
    kind_of,
)
from klachtenregister.register import memo
from klachtenregister.register.errors import WordingError
from klachtenregister.register.models import Organisation
from klachtenregister.regulations.schema import Letter
from klachtenregister.regulations.vocabulary import Content

# No loaders and no libraries: a template cannot read other files or load tag libraries.
_ENGINE = Engine(dirs=[], app_dirs=False, libraries={}, debug=True, loaders=[])

log = logging.getLogger(__name__)

# Variables every letter can use besides its contents.
GENERAL_VARIABLES = (
    "reference",
    "organisation",
    "addressee_name",
    "salutation",
    "complainant_name",
    "copy_reason",
    "letter_date",
    "letter_label",
    "signatory",
    "signatory_function",
)


# What the variables every letter can use stand for (``wording.GENERAL_VARIABLES``).
GENERAL_LABELS: dict[str, Promise] = {
    "reference": gettext_lazy("kenmerk van de klacht"),
    "organisation": gettext_lazy("naam van de organisatie"),
    "addressee_name": gettext_lazy("naam van de geadresseerde"),
    "salutation": gettext_lazy("aanhef"),
    "complainant_name": gettext_lazy("naam van de klager"),
    "copy_reason": gettext_lazy("waarom de lezer een afschrift krijgt"),
    "letter_date": gettext_lazy("datum van de brief"),
    "letter_label": gettext_lazy("naam van de brief"),
    "signatory": gettext_lazy("ondertekenaar"),
    "signatory_function": gettext_lazy("functie van de ondertekenaar"),
}

# What one letter's rendering may cost: a wording is the organisation's own text and must not
# make a page slow or a letter huge (six nested loops over a text would run for minutes).
RENDER_SECONDS = 2.0
RENDER_CHARACTERS = 200_000
MAX_LOOP_DEPTH = 2
# Filters and tags that make a long text out of a short one: refused in a wording.
_INFLATING = re.compile(r"\|\s*(ljust|rjust|center|stringformat)\b|\{%\s*widthratio\b")


def own_kind(letter: Letter) -> Kind:
    """The addressee kind an organisation's own wording of a letter is written for: its first
    recipient's; the other kinds read the default wording of their kind."""
    return kind_of(letter.recipients[0], False)


def addressee_kinds(letter: Letter) -> list[Kind]:
    """The kinds of addressee a letter can have, each with a wording of its own: its first
    recipient's first, then the other recipients', then a copy's."""
    kinds = [own_kind(letter), *(kind_of(party, False) for party in letter.recipients)]
    if letter.copies:
        kinds.append(Kind.COPY)
    return list(dict.fromkeys(kinds))


def template_kind(letter: Letter, kind: Kind) -> str:
    """How ``LetterTemplate.kind`` stores a kind: empty for the letter's first recipient's."""
    return "" if kind is own_kind(letter) else kind.value


def _own_templates(organisation: Organisation) -> dict[tuple[str, str, str], LetterTemplate]:
    """The organisation's own wordings by (letter id, language, kind): one query, once per
    request (a complaint page offers several steps with letters)."""
    return memo.remembered(
        ("letter templates", organisation.pk),
        lambda: {
            (template.letter_id, template.language, template.kind): template
            for template in LetterTemplate.objects.filter(organisation_id=organisation.pk)
        },
    )


def wording_for(
    organisation: Organisation, letter: Letter, language: str, kind: Kind | None = None
) -> Wording:
    kind = own_kind(letter) if kind is None else kind
    own = _own_templates(organisation).get((letter.id, language, template_kind(letter, kind)))
    if own is not None:
        wording = Wording(own.subject, own.body)
        # Saved against the regulation version in force then: for a complaint under another
        # version whose letter requires more, the default (which holds it all) is used.
        if not wording_problems(letter, wording, language):
            return wording
    return default_wording(letter, language, kind)


class _Budget:
    def __init__(self) -> None:
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.characters = 0

    def spend(self, characters: int) -> None:
        self.characters += characters
        if self.characters > RENDER_CHARACTERS:
            raise WordingError(_("De tekst wordt te lang."))
        if time.monotonic() > self.deadline:
            raise WordingError(_("Het invullen van de tekst duurt te lang."))


class _GuardedLoop(NodeList):
    """A loop's body that checks the budget on every round, so nesting cannot run away."""

    budget: _Budget

    def render(self, context: Context) -> SafeString:
        result = super().render(context)
        self.budget.spend(len(result))
        return result


def _children(node: Node) -> list[NodeList]:
    found = [getattr(node, attribute, None) for attribute in node.child_nodelists]
    if isinstance(node, IfNode):
        found += [branch for _condition, branch in node.conditions_nodelists]
    return [child for child in found if child]


def _guard(nodelist: NodeList, budget: _Budget) -> None:
    for node in nodelist:
        if isinstance(node, ForNode) and not isinstance(node.nodelist_loop, _GuardedLoop):
            guarded = _GuardedLoop(cast("NodeList", node.nodelist_loop))
            guarded.budget = budget
            node.nodelist_loop = guarded
        for child in _children(node):
            _guard(child, budget)


def _compile(source: str, where: str) -> Template:
    try:
        return _ENGINE.from_string(source)
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        line = getattr(exc, "template_debug", {}).get("line")
        at = _("%(part)s, regel %(line)s") % {"part": where, "line": line} if line else where
        raise WordingError(f"{exc} ({at})" if at else str(exc)) from exc


def render_text(source: str, values: Mapping[str, str], where: str = "") -> str:
    """The text filled in; a ``WordingError`` when it does not read, runs too long or grows
    too large."""
    template = _compile(source, where)
    budget = _Budget()
    _guard(template.nodelist, budget)
    try:
        text = template.render(Context(dict(values), autoescape=False)).strip()
    except WordingError:
        raise
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        raise WordingError(f"{exc} ({where})" if where else str(exc)) from exc
    except Exception as exc:  # a filter failing on a text: the wording, not the letter, fails
        raise WordingError(
            _("De tekst kan niet worden ingevuld: %(error)s") % {"error": exc}
        ) from exc
    budget.spend(len(text))
    return text


_SAMPLE = {
    **{content.value: f"[{content.value}]" for content in Content},
    **{name: name for name in GENERAL_VARIABLES},
}

_TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)


def contents_used(wording: Wording) -> list[Content]:
    """The contents a wording mentions anywhere (printed or tested), in vocabulary order: the
    texts its form offers."""
    words: set[str] = set()
    for source in (wording.subject, wording.body):
        for printed, tag in _TAG.findall(_strip_comments(source)):
            words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", printed or tag))
    return [content for content in Content if content.value in words]


def _strip_comments(source: str) -> str:
    source = re.sub(r"\{#.*?#\}", "", source)
    return re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", source, flags=re.DOTALL)


def _printed_at_top(template: Template) -> set[str]:
    """The variables a template prints whatever the values: a plain ``{{ name }}`` at its top
    level, not inside an ``if``, ``for`` or any other block, and without a filter."""
    printed = set()
    for node in template.nodelist:
        if isinstance(node, VariableNode):
            expression = node.filter_expression
            variable = expression.var
            if (
                isinstance(variable, Variable)
                and variable.lookups is not None
                and len(variable.lookups) == 1
                and not expression.filters
            ):
                printed.add(variable.lookups[0])
    return printed


def _loop_depth(nodelist: NodeList) -> int:
    deepest = 0
    for node in nodelist:
        inner = max((_loop_depth(child) for child in _children(node)), default=0)
        deepest = max(deepest, inner + (1 if isinstance(node, ForNode) else 0))
    return deepest


def wording_problems(letter: Letter, wording: Wording, language: str) -> list[str]:
    """What keeps a wording from being used for ``letter``: a syntax error, a construction that
    could make it slow or huge, or a required content it does not print unconditionally at its
    top level, named in ``language`` (the interface's). Empty when it can be saved."""
    printed: set[str] = set()
    for part, source in ((_("onderwerp"), wording.subject), (_("tekst"), wording.body)):
        try:
            template = _compile(source, part)
        except WordingError as exc:
            return [str(exc)]
        if _INFLATING.search(source):
            return [
                _("%(part)s: deze filter of opdracht is in een brief niet toegestaan.")
                % {"part": part}
            ]
        if _loop_depth(template.nodelist) > MAX_LOOP_DEPTH:
            return [
                _("%(part)s: hoogstens %(depth)s herhalingen ({%% for %%}) in elkaar.")
                % {"part": part, "depth": MAX_LOOP_DEPTH}
            ]
        printed |= _printed_at_top(template)
        try:
            # Once with every text filled in: what fails only when rendered (an include of
            # another file, a filter on the wrong kind of value) is refused now, not when sending.
            render_text(source, _SAMPLE, part)
        except WordingError as exc:
            return [str(exc)]
    return [
        _("ontbreekt: %(content)s (%(variable)s)")
        % {"content": content_label(content, language), "variable": f"{{{{ {content.value} }}}}"}
        for content in letter.required_contents
        if content.value not in printed
    ]


def printed_always(wording: Wording) -> set[str]:
    """The variables a wording prints whatever the texts, as the check on saving reads them
    (a plain ``{{ name }}`` at the top level); nothing of a part that does not read."""
    printed: set[str] = set()
    for source in (wording.subject, wording.body):
        try:
            printed |= _printed_at_top(_compile(source, ""))
        except WordingError:
            continue
    return printed


def usual_contents(letter: Letter) -> list[Content]:
    """The optional contents of a letter: what its default wording says besides the contents
    the regulation requires (a decision's facts, measures, where to turn next), each printed
    only when it has a text."""
    required = set(letter.required_contents)
    return [c for c in contents_of(letter, own_kind(letter)) if c not in required]


def missing_values(letter: Letter, values: Mapping[str, str]) -> list[Content]:
    """Required contents left empty for a letter about to be sent."""
    return [c for c in letter.required_contents if not (values.get(c.value) or "").strip()]


# A text written with its own full stop, in a sentence the wording ends with one: keep one.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
# A section left out leaves its blank lines behind.
_BLANK_LINES = re.compile(r"\n[ \t]*(\n[ \t]*){2,}")


def tidy(text: str) -> str:
    return _BLANK_LINES.sub("\n\n", _DOUBLE_STOP.sub(".", text)).strip()


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks stay within one."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
