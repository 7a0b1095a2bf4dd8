"""Scenario files: a complaint's facts and its dated events, to replay with the engine.

```yaml
subjects: [jan]        # the people the complaint is about
events:
  - {on: 2027-04-29, event: received, channel: written, facts_date: 2027-04-20}
  - {on: 2027-05-03, event: acknowledged}
```

A file is read whole or refused whole, with every problem named by line and field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
)

from klachtenregister.lifecycle.events import EventRecord, details_model
from klachtenregister.lifecycle.progress import ComplaintFacts
from klachtenregister.regulations.vocabulary import Event
from klachtenregister.yamlio import (
    DataFileError,
    Problem,
    YamlDocument,
    YamlFileError,
    message,
    problems_from,
    read_yaml,
)

Person = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ScenarioError(DataFileError):
    """A scenario file that was refused; ``problems`` lists every reason."""


class _ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subjects: list[Person] = Field(default=[], description="The people the complaint is about.")
    involved: list[Person] = Field(
        default=[], description="Others involved in the conduct complained about."
    )
    uwv_client: StrictBool = False
    events: list[dict[str, object]] = Field(min_length=1)


class _EventHead(BaseModel):
    model_config = ConfigDict(extra="allow")

    on: dt.date
    event: Event


@dataclass(frozen=True)
class Scenario:
    facts: ComplaintFacts
    events: tuple[EventRecord, ...]


def read_scenario(path: str | Path) -> Scenario:
    try:
        document = read_yaml(path)
    except YamlFileError as exc:
        raise ScenarioError([exc.problem()]) from None
    return scenario_from_document(document)


def scenario_from_document(document: YamlDocument) -> Scenario:
    if not isinstance(document.data, dict):
        raise ScenarioError(
            [
                Problem(
                    document.path,
                    (),
                    1,
                    message("een scenariobestand moet een verzameling velden met 'events' zijn"),
                )
            ]
        )
    try:
        file = _ScenarioFile.model_validate(document.data)
    except ValidationError as exc:
        # The events are checked one by one below; report their list's own problems here.
        raise ScenarioError(problems_from(exc, document)) from None
    problems: list[Problem] = []
    events = []
    for index, item in enumerate(file.events):
        where = ("events", index)
        try:
            head = _EventHead.model_validate(item)
            extra = {k: v for k, v in item.items() if k not in ("on", "event")}
            details = details_model(head.event).model_validate(extra)
        except ValidationError as exc:
            problems.extend(problems_from(exc, document, where))
            continue
        events.append(EventRecord(head.on, head.event, details))
    if problems:
        raise ScenarioError(problems)
    facts = ComplaintFacts.of(file.subjects, file.involved, file.uwv_client)
    return Scenario(facts, tuple(events))
