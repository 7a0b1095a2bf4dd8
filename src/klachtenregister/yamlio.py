"""Reading YAML data files strictly, keeping line numbers for error messages.

PyYAML follows YAML 1.1, which reads ``on``, ``off``, ``yes`` and ``no`` as booleans: a scenario
line ``{on: 2027-04-29}`` would get the key ``True``. Data files here use YAML 1.2 booleans only
(``true``/``false``). Duplicate keys are refused instead of silently keeping the last one.

A data file may come from anyone setting up an organisation, so its shape is bounded before it is
built: its size, its nesting depth, its number of aliases and the number of values it stands for
once every alias is expanded. A 342-byte "billion laughs" file or 500 nested brackets are refused
with a clear message instead of exhausting memory or the interpreter's recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError

Location = tuple[str | int, ...]

# Limits far above any real regulation (the largest preset is ~40 KB, ~2,000 values, 8 levels).
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 1_000
MAX_VALUES = 200_000  # scalars, mappings and sequences, every alias expanded


class StrictLoader(yaml.SafeLoader):
    pass


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(
    loader: StrictLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Hashable, object]:
    loader.flatten_mapping(node)
    mapping: dict[Hashable, object] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: StrictLoader, node: yaml.ScalarNode) -> date:
    # `2027-02-30` looks like a date to YAML but is none; say where instead of a bare ValueError.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"not a valid date: {node.value!r} ({exc})", node.start_mark
        ) from None


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlFileError(ValueError):
    """A data file that cannot be read as YAML; the message names the file and the line."""

    def __init__(self, path: str, reason: Message, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = reason
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {reason}")

    def problem(self) -> Problem:
        return Problem(self.path, (), self.line, self.message)


@dataclass
class YamlDocument:
    path: str
    data: object
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        """The line of the deepest part of ``location`` that exists in the file."""
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return None


def _record_lines(node: yaml.Node, location: Location, lines: dict[Location, int]) -> None:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*location, key)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*location, key), lines)
            lines[(*location, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*location, index), lines)


def check_events(text: str, path: str) -> None:
    """Refuse a file too large, too deeply nested or with too many aliases, from the parser's
    event stream, before anything recursive (the composer, the constructor) sees it."""
    if len(text) > MAX_BYTES:
        raise YamlFileError(
            path,
            message(
                "het bestand is te groot: {size} tekens, hoogstens {limit}",
                size=len(text),
                limit=MAX_BYTES,
            ),
        )
    depth = aliases = values = 0
    for event in yaml.parse(text, Loader=StrictLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlFileError(
                    path,
                    message("dieper genest dan {limit} niveaus; geweigerd", limit=MAX_DEPTH),
                    line,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlFileError(
                    path,
                    message("meer dan {limit} aliassen (*naam); geweigerd", limit=MAX_ALIASES),
                    line,
                )
        if isinstance(event, yaml.NodeEvent):
            values += 1
            if values > MAX_VALUES:
                raise YamlFileError(
                    path, message("meer dan {limit} waarden; geweigerd", limit=MAX_VALUES), line
                )


def check_expansion(root: yaml.Node, path: str) -> None:
    """Refuse a document whose aliases expand to more than MAX_VALUES values (an alias bomb):
    counted once per distinct node, so the count itself stays cheap."""
    sizes: dict[int, int] = {}
    # Post-order without recursion: a node's size is known once its children's are.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        size = 1 + sum(sizes.get(id(child), 0) for child in children)
        if size > MAX_VALUES:
            raise YamlFileError(
                path,
                message(
                    "de aliassen staan voor meer dan {limit} waarden (een aliasbom?); geweigerd",
                    limit=MAX_VALUES,
                ),
                node.start_mark.line + 1,
            )
        sizes[id(node)] = size


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _syntax(problem: object) -> Message:
    # The parser's own words (English) stay as they are: they name the YAML construct.
    return message("YAML-syntaxfout: {problem}", problem=problem)


def parse_yaml(text: str, path: str) -> YamlDocument:
    try:
        check_events(text, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlFileError(path, _syntax(problem), line) from exc
    except yaml.YAMLError as exc:
        raise YamlFileError(path, _syntax(exc)) from exc
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            check_expansion(node, path)
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlFileError(path, _syntax(problem), line) from exc
    except yaml.YAMLError as exc:
        raise YamlFileError(path, _syntax(exc)) from exc
    finally:
        loader.dispose()
    if data is None:
        raise YamlFileError(path, message("het bestand is leeg"))
    lines: dict[Location, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlDocument(path=path, data=data, lines=lines)


def read_text_file(path: str | Path) -> str:
    """A data file's text; a missing, unreadable or non-UTF-8 file is a YamlFileError."""
    file = Path(path)
    try:
        if file.is_file() and file.stat().st_size > MAX_BYTES * 4:
            # Not read at all: even its UTF-8 text would be over the limit.
            raise YamlFileError(
                str(file),
                message("het bestand is te groot: hoogstens {limit} bytes", limit=MAX_BYTES),
            )
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlFileError(str(file), message("bestand bestaat niet")) from None
    except UnicodeDecodeError as exc:
        raise YamlFileError(
            str(file),
            message("geen UTF-8-tekst ({reason} bij byte {at})", reason=exc.reason, at=exc.start),
        ) from None
    except OSError as exc:
        raise YamlFileError(
            str(file), message("niet te lezen: {reason}", reason=exc.strerror)
        ) from None


def read_yaml(path: str | Path) -> YamlDocument:
    return parse_yaml(read_text_file(path), str(path))


@dataclass(frozen=True)
class Message:
    """A problem's reason in the user's language: a Dutch template (the msgid of the catalogue
    the web interface uses too, ``{name}`` placeholders) and its values, rendered when printed
    (``klachten --lang``)."""

    template: str
    values: tuple[tuple[str, object], ...] = ()

    def render(self, language: str = "nl") -> str:
        from klachtenregister.i18n import translation  # here: i18n reads the catalogue lazily

        return translation(language).gettext(self.template).format(**dict(self.values))

    def __str__(self) -> str:
        return self.render()


def message(template: str, **values: object) -> Message:
    return Message(template, tuple(values.items()))


class Invalid(ValueError):
    """A validator's refusal with a translatable reason; pydantic carries it to ``problems_from``.

    ``parts`` are further reasons at their own place in the file (relative to the object that
    was validated), so a cross-reference error points at the line of the field that refers."""

    def __init__(self, reason: Message, parts: tuple[tuple[Location, Message], ...] = ()) -> None:
        self.reason = reason
        self.parts = parts
        super().__init__(reason.render())


@dataclass(frozen=True)
class Problem:
    path: str
    location: Location
    line: int | None
    message: Message | str  # a plain str: a reason for developers only (the demo's own files)

    def reason(self, language: str = "nl") -> str:
        return self.message if isinstance(self.message, str) else self.message.render(language)

    def render(self, language: str = "nl") -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = _dotted(self.location)
        reason = self.reason(language)
        return f"{where}: {field}: {reason}" if field else f"{where}: {reason}"

    def __str__(self) -> str:
        return self.render()


def _dotted(location: Location) -> str:
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# pydantic's error types in the file's terms; the rest keep pydantic's (English) text.
_PYDANTIC_MESSAGES = {
    "extra_forbidden": "onbekend veld",
    "missing": "verplicht veld ontbreekt",
    "dict_type": "hier hoort een verzameling velden (naam: waarde)",
    "model_type": "hier hoort een verzameling velden (naam: waarde)",
    "model_attributes_type": "hier hoort een verzameling velden (naam: waarde)",
    "list_type": "hier hoort een lijst",
    "string_type": "hier hoort tekst",
    "int_type": "hier hoort een geheel getal",
    "int_parsing": "hier hoort een geheel getal",
    "int_from_float": "hier hoort een geheel getal",
    "bool_type": "hier hoort true of false",
    "date_type": "hier hoort een datum (JJJJ-MM-DD)",
    "date_parsing": "hier hoort een datum (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "hier hoort een datum (JJJJ-MM-DD)",
    "greater_than_equal": "moet minstens {ge} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "string_too_short": "moet minstens {min_length} teken(s) lang zijn",
    "string_too_long": "mag hoogstens {max_length} tekens lang zijn",
    "too_short": "moet minstens {min_length} element(en) hebben",
    "too_long": "mag hoogstens {max_length} elementen hebben",
    "string_pattern_mismatch": "heeft niet de vorm die hier hoort (patroon {pattern})",
    "literal_error": "onbekende waarde {input}; verwacht: {expected}",
    "enum": "onbekende waarde {input}; verwacht: {expected}",
}


def _pydantic_message(item: dict[str, object]) -> Message:
    kind = str(item["type"])
    value = item.get("input")
    context = item.get("ctx") or {}
    assert isinstance(context, dict)
    error = context.get("error")
    if isinstance(error, Invalid):
        return error.reason
    if kind == "bool_type" and isinstance(value, str):
        # YAML 1.1's yes/no/on/off are text here; the files use YAML 1.2 booleans only.
        return message("{value} is geen true of false; schrijf true of false", value=repr(value))
    if kind in ("int_type", "int_parsing") and _quoted_number(value):
        return message(
            "{value} is tekst; schrijf het getal zonder aanhalingstekens", value=repr(value)
        )
    template = _PYDANTIC_MESSAGES.get(kind)
    if template is not None:
        values = {key: str(val) for key, val in context.items()}
        values["input"] = repr(value)
        try:
            template.format(**values)
        except (KeyError, IndexError):
            template = None
        else:
            return Message(template, tuple(values.items()))
    return Message(
        str(item["msg"]).removeprefix("Value error, ").replace("{", "{{").replace("}", "}}")
    )


def problems_from(
    error: ValidationError, document: YamlDocument, prefix: Location = ()
) -> list[Problem]:
    """One Problem per validation error; ``prefix`` is where the validated part sits in the file."""
    problems = []
    for item in error.errors(include_url=False):
        # pydantic reports a failing union member or a before-validator with the function name
        # in the location; drop those so the path is the file's own.
        location = prefix + tuple(
            part for part in item["loc"] if isinstance(part, int) or "[" not in str(part)
        )
        context = item.get("ctx") or {}
        invalid = context.get("error")
        if isinstance(invalid, Invalid) and invalid.parts:
            for part, reason in invalid.parts:
                where = location + part
                problems.append(Problem(document.path, where, document.line_of(where), reason))
            continue
        reason = _pydantic_message(dict(item))
        problems.append(Problem(document.path, location, document.line_of(location), reason))
    return problems


def _quoted_number(value: object) -> bool:
    return isinstance(value, str) and value.strip().lstrip("+-").isdigit()


class DataFileError(ValueError):
    """A data file that was refused as a whole; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
