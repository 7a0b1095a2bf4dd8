"""The demo's data files (``data/``): ``demo.yaml`` for the demo as a whole and one
``<slug>.yaml`` per organisation with its letterhead, people and complaints.

A file is read whole or refused whole, like a regulation or a scenario file: every problem is
named by file, line and field (``DemoFileError``). What a complaint's events mean is checked later,
against the organisation's regulation (``stories.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from klachtenregister.register.errors import RegisterError
from klachtenregister.regulations.vocabulary import Content, RoleKind
from klachtenregister.yamlio import (
    DataFileError,
    Problem,
    YamlDocument,
    YamlFileError,
    problems_from,
    read_yaml,
)

DATA_DIRECTORY = Path(__file__).parent / "data"
DEMO_FILE = "demo.yaml"

Text = Annotated[str, StringConstraints(min_length=1)]
# (first name, last name): "Marieke de Boer" alone does not say where the last name starts.
Name = tuple[Text, Text]
Model = TypeVar("Model", bound=BaseModel)


class DemoError(RegisterError):
    """The demo data could not be built: a bug in the demo's data, never a user's mistake."""


class DemoFileError(DemoError, DataFileError):
    """A demo data file that was refused; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        DataFileError.__init__(self, problems)
        self.message = str(self)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Letterhead(_Strict):
    postal_address: Text
    phone: Text
    website: Text


class Complainant(_Strict):
    name: Text
    email: str = ""
    phone: str = ""
    address: str = ""
    language: Text = "nl"


class Representative(_Strict):
    name: Text
    capacity: str = ""


class ComplaintEntry(_Strict):
    """A scenario file (``subjects``, ``involved``, ``uwv_client``, ``events``) with what the
    registration form asks besides; its events are read by ``stories.py``."""

    complainant: Complainant
    representative: Representative | None = None
    description: Text
    category: str = ""
    commissioning_party: str = ""
    subjects: list[Text] = []
    involved: list[Text] = []
    # The manager of the employee concerned (Integratiewerk's "betreffende leidinggevende"): a
    # name or a demo user; letters to the party manager go to this person.
    manager: Text = ""
    uwv_client: bool = False
    events: list[dict[str, object]] = Field(min_length=1)


class OrganisationFile(_Strict):
    code: Text = Field(description="The organisation's short code, as in its regulation.")
    letterhead: Letterhead
    people: dict[RoleKind, Name] = Field(
        default={}, description="The name of the demo user of each kind of role."
    )
    complaints: list[ComplaintEntry] = Field(min_length=1)


class MultiOrganisationUser(_Strict):
    username: Text
    name: Name
    organisations: list[Text] = Field(min_length=1)


class DemoFile(_Strict):
    organisations: list[Text] = Field(min_length=1)
    mail_domain: Text
    multi_organisation_user: MultiOrganisationUser
    letter_texts: dict[Content, Text] = {}

    @model_validator(mode="after")
    def _multi_in_the_demo(self) -> DemoFile:
        unknown = set(self.multi_organisation_user.organisations) - set(self.organisations)
        if unknown:
            raise ValueError(f"multi_organisation_user: not demo organisations: {sorted(unknown)}")
        return self


@dataclass(frozen=True)
class OrganisationData:
    slug: str
    file: OrganisationFile
    document: YamlDocument  # kept for the line numbers of problems found later


@dataclass(frozen=True)
class DemoData:
    demo: DemoFile
    organisations: tuple[OrganisationData, ...]

    @property
    def codes(self) -> dict[str, str]:
        """Organisation slug -> short code, in the order of ``demo.yaml``."""
        return {organisation.slug: organisation.file.code for organisation in self.organisations}

    def letter_texts(self) -> dict[str, str]:
        return {content.value: text for content, text in self.demo.letter_texts.items()}


def _read(path: Path, model: type[Model]) -> tuple[Model, YamlDocument]:
    try:
        document = read_yaml(path)
    except YamlFileError as exc:
        raise DemoFileError([exc.problem()]) from None
    if not isinstance(document.data, dict):
        raise DemoFileError([Problem(document.path, (), 1, "a demo file must be a mapping")])
    try:
        return model.model_validate(document.data), document
    except ValidationError as exc:
        raise DemoFileError(problems_from(exc, document)) from None


def read_demo(directory: Path = DATA_DIRECTORY) -> DemoData:
    """``demo.yaml`` and the file of every organisation it names; every file's problems at once."""
    demo, _ = _read(directory / DEMO_FILE, DemoFile)
    organisations = []
    problems = []
    for slug in demo.organisations:
        try:
            file, document = _read(directory / f"{slug}.yaml", OrganisationFile)
        except DemoFileError as exc:
            problems += exc.problems
            continue
        organisations.append(OrganisationData(slug, file, document))
    if problems:
        raise DemoFileError(problems)
    return DemoData(demo, tuple(organisations))
