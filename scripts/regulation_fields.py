"""Write docs/regulation-fields.md: every field of a regulation file, required or optional, with
its default and type, read from the schema itself (issue 14 §6), so the reference cannot drift
from what the loader accepts. `python scripts/regulation_fields.py` rewrites the file;
tests/docs/test_docs.py fails when it is out of date."""

from __future__ import annotations

import enum
import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Condition

TARGET = Path(__file__).resolve().parents[1] / "docs" / "regulation-fields.md"

# What makes each condition true, as the engine (lifecycle.progress.holds) and the letters read it.
CONDITIONS = {
    Condition.UWV_CLIENT: "the complaint was registered as coming from a client of UWV "
    '("UWV-cliënt" on the registration form; `uwv_client: true` in a scenario)',
    Condition.SUBJECT_NAMED: "the complaint names at least one person it is about (a subject, "
    '"beklaagde"), at registration or by a later `facts_corrected`',
    Condition.ANONYMOUS: 'the complainant gave no name ("anoniem" at registration; `received` '
    "with `anonymous: true`)",
    Condition.NOT_IN_WRITING: "the complaint came in orally (channel `oral`: by telephone or in "
    "a conversation), as registered or corrected, and was not put in writing since "
    "(`complaint_put_in_writing`)",
    Condition.CHANNEL_NOT_ACCEPTED: "the complaint came in on a channel not listed under "
    "`definitions.channels.accepted` (an oral or portal complaint where only letters are taken), "
    "and was not put in writing since (`complaint_put_in_writing`)",
    Condition.INCOMPLETE: "the complainant was asked to complete the complaint "
    "(`completion_requested`) and has not completed it since (`complaint_completed`)",
}

_SCALARS = {str: "text", int: "whole number", bool: "`true`/`false`", float: "number"}


def _type(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin in (typing.Union, types.UnionType):
        kinds = [_type(a) for a in args if a is not type(None)]
        return " or ".join(kinds)
    if origin is list:
        return f"list of {_type(args[0])}".replace("list of one of the ", "list of ")
    if origin is dict:
        return f"mapping of {_type(args[0])} to {_type(args[1])}"
    if origin is typing.Literal:
        return " or ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        if issubclass(annotation, enum.Enum):
            return f"one of the [{annotation.__name__} values](regulations.md#vocabularies)"
        if annotation.__name__ == "date":
            return "date (YYYY-MM-DD)"
        return _SCALARS.get(annotation, annotation.__name__)
    return str(annotation).replace("typing.", "")


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> None:
    if model.__name__ in seen:
        return
    seen[model.__name__] = model
    for field in model.model_fields.values():
        for inner in _nested(field.annotation):
            _models(inner, seen)


def _nested(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested(arg)]


def _default(field: typing.Any) -> str:
    if field.is_required():
        return ""
    value = field.default_factory() if field.default_factory is not None else field.default
    if value is PydanticUndefined or value is None:
        return "none"
    if isinstance(value, enum.Enum):
        return f"`{value.value}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, BaseModel):
        return "as in its block"
    if value in ([], {}, ""):
        return "empty"
    return f"`{value}`"


def render() -> str:
    models: dict[str, type[BaseModel]] = {}
    _models(Regulation, models)
    out = [
        "# Regulation fields",
        "",
        "Every field a regulation file may hold, block by block, as the loader checks it: whether",
        "it is required, its default when left out, and what it holds. Written by",
        "`scripts/regulation_fields.py` from the schema; what the fields mean is in",
        "[regulations.md](regulations.md). A field not listed here is refused (`onbekend veld`).",
        "",
    ]
    for name, model in models.items():
        # Only a docstring the class itself has: an inherited one describes another block.
        own = (
            "The file itself: the top level."
            if model is Regulation
            else model.__dict__.get("__doc__")
        )
        out += [f"## {name}", ""]
        if own:
            out += [own.strip().splitlines()[0], ""]
        out += ["| field | required | default | holds |", "|---|---|---|---|"]
        for field_name, field in model.model_fields.items():
            key = field.alias or field_name
            required = "yes" if field.is_required() else "no"
            holds = _type(field.annotation)
            if field.description:
                holds += f": {field.description}"
            out.append(f"| `{key}` | {required} | {_default(field)} | {holds} |")
        out.append("")
    out += [
        "## Conditions",
        "",
        "A rule's `condition` or `applies_when` holds for a complaint when:",
        "",
    ]
    out += [f"- `{condition.value}`: {CONDITIONS[condition]}." for condition in Condition]
    return "\n".join(out) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
