"""Reading YAML data files strictly, keeping line numbers for error messages.

PyYAML follows YAML 1.1, which reads ``on``, ``off``, ``yes`` and ``no`` as booleans: a scenario
line ``{on: 2027-04-29}`` would get the key ``True``. Data files here use YAML 1.2 booleans only
(``true``/``false``). Duplicate keys are refused instead of silently keeping the last one.
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

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}")

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


def parse_yaml(text: str, path: str) -> YamlDocument:
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlFileError(path, f"YAML syntax error: {problem}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlFileError(path, f"YAML syntax error: {exc}") from exc
    finally:
        loader.dispose()
    if data is None:
        raise YamlFileError(path, "the file is empty")
    lines: dict[Location, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlDocument(path=path, data=data, lines=lines)


def read_text_file(path: str | Path) -> str:
    """A data file's text; a missing, unreadable or non-UTF-8 file is a YamlFileError."""
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlFileError(str(file), "no such file") from None
    except UnicodeDecodeError as exc:
        raise YamlFileError(
            str(file), f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise YamlFileError(str(file), f"cannot read: {exc.strerror}") from None


def read_yaml(path: str | Path) -> YamlDocument:
    return parse_yaml(read_text_file(path), str(path))


@dataclass(frozen=True)
class Problem:
    path: str
    location: Location
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = _dotted(self.location)
        return f"{where}: {field}: {self.message}" if field else f"{where}: {self.message}"


def _dotted(location: Location) -> str:
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        elif item["type"] == "missing":
            message = "required field is missing"
        elif item["type"] == "enum" and "expected" in item.get("ctx", {}):
            message = f"unknown value {item['input']!r}; expected {item['ctx']['expected']}"
        problems.append(Problem(document.path, location, document.line_of(location), message))
    return problems


class DataFileError(ValueError):
    """A data file that was refused as a whole; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
