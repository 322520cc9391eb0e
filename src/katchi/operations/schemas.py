"""Input and output shapes of operations, ops log, decisions, messages and contacts."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal

from babel import Locale
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Label = Field(default="alliance", max_length=80, description="Releasability: public, alliance, nation:ISO3, org:slug")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OperationCreate(_In):
    name: str = Field(min_length=1, max_length=200)
    #: The name in Korean (optional).
    name_ko: str | None = Field(default=None, max_length=200)
    mode: Literal["real", "exercise"] = "real"
    hazard: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    participants: list[str] = Field(default_factory=list, max_length=200)
    lead: str | None = None
    #: Co-coordinating organisations (participants); default: the creator's. The lead always coordinates.
    coordinators: list[str] | None = Field(default=None, max_length=200)
    description: str = Field(default="", max_length=10_000)
    #: Where the response is: a GeoJSON Polygon or MultiPolygon (optional).
    area: dict[str, Any] | None = None
    label: str = Label


class CoordinatorsSet(_In):
    """The co-coordinators the lead names (participants; the lead itself always coordinates)."""

    coordinators: list[str] = Field(max_length=200)


class ParticipantsAdd(_In):
    """Organisations (slugs) invited to take part in the operation."""

    organisations: list[str] = Field(min_length=1, max_length=200)


class StatusChange(_In):
    """Why an operation is closed or reopened (kept in the event log)."""

    reason: str = Field(default="", max_length=2_000)


class OperationRead(BaseModel):
    id: str
    name: str
    name_ko: str | None = None
    mode: str
    hazard: str
    status: str
    description: str
    area: dict[str, Any] | None = None
    lead: str
    participants: list[str]
    #: Organisations whose coordinators validate, reject and task here: the lead and its co-coordinators.
    coordinators: list[str]
    label: str
    created_at: datetime


class LogCreate(_In):
    text: str = Field(min_length=1, max_length=10_000)
    label: str = Label


class LogRead(BaseModel):
    id: str
    operation_id: str
    text: str
    author: str
    label: str
    created_at: datetime


class Link(_In):
    type: str = Field(pattern=r"^[a-z_]{1,32}$")
    id: str = Field(min_length=1, max_length=64)


class DecisionCreate(_In):
    title: str = Field(min_length=1, max_length=300)
    rationale: str = Field(default="", max_length=10_000)
    links: list[Link] = Field(default_factory=list, max_length=50)
    label: str = Label


class DecisionRead(BaseModel):
    id: str
    operation_id: str
    title: str
    rationale: str
    links: list[Link]
    decided_by: str
    label: str
    created_at: datetime


class MessageCreate(_In):
    text: str = Field(min_length=1, max_length=10_000)
    parent_id: str | None = None
    label: str = Label
    #: Organisations (slugs) the message is addressed to; each must take part in the operation.
    to_orgs: list[str] = Field(default_factory=list, max_length=50)


class MessageRead(BaseModel):
    id: str
    operation_id: str
    parent_id: str | None
    text: str
    author: str
    label: str
    created_at: datetime
    #: Organisations (slugs) it is addressed to (empty: the whole operation).
    to_orgs: list[str] = []


@cache
def _iso_639_1() -> frozenset[str]:
    return frozenset(code for code in map(str, Locale("en").languages) if len(code) == 2)


def _language(code: str) -> str:
    if code not in _iso_639_1():
        raise ValueError(f"{code!r} is not an ISO 639-1 language code (ko, en …)")
    return code


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _distinct(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


#: ISO 639-1 codes, each once, in the order given ("KO" is read as "ko").
Languages = Annotated[
    list[Annotated[str, BeforeValidator(_lower), Field(pattern=r"^[a-z]{2}$"), AfterValidator(_language)]],
    Field(max_length=12),
    AfterValidator(_distinct),
]
Phone = Annotated[str, Field(max_length=40, pattern=r"^(\+?[0-9(][0-9 ().-]{2,38})?$")]
Email = Annotated[str, Field(max_length=254, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")]
OrgSlug = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class ContactCreate(_In):
    """A liaison officer: a name, the organisation they represent (a slug of the platform), and at
    least one way to reach them (phone, radio call sign or email)."""

    name: str = Field(min_length=1, max_length=200)
    role: str = Field(default="", max_length=200, description='free text, e.g. "LNO to 2ID"')
    organisation: OrgSlug
    phone: Phone = ""
    radio_call_sign: str = Field(default="", max_length=40)
    languages: Languages = []
    email: Email = ""
    notes: str = Field(default="", max_length=2000)
    label: str = Label

    @model_validator(mode="after")
    def _reachable(self) -> ContactCreate:
        if not (self.phone or self.radio_call_sign or self.email):
            raise ValueError("give a phone, a radio call sign or an email to reach the contact by")
        return self


class ContactUpdate(_In):
    """Only the fields sent change (an empty text clears it); the label is not changed here."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    role: str | None = Field(default=None, max_length=200)
    organisation: OrgSlug | None = None
    phone: Phone | None = None
    radio_call_sign: str | None = Field(default=None, max_length=40)
    languages: Languages | None = None
    email: Email | None = None
    notes: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _something(self) -> ContactUpdate:
        if not self.model_fields_set:
            raise ValueError("send at least one field to change")
        nulls = [f for f in self.model_fields_set if getattr(self, f) is None]
        if nulls:
            raise ValueError(f"{', '.join(sorted(nulls))} may not be null")
        return self


class ContactRead(BaseModel):
    id: str
    operation_id: str
    name: str
    role: str
    organisation: str
    phone: str
    radio_call_sign: str
    languages: list[str]
    email: str
    notes: str
    label: str
    created_at: datetime
    updated_at: datetime
