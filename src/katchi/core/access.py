"""The one read rule (DESIGN.md §5): which releasability labels a principal may read.

Every query that returns records to a person or device filters through :func:`label_filter`
(SQL) or :func:`can_read` (in memory, for live streams); both are derived from
:func:`readable_labels`, so the API, the stream and every export agree by construction.

``participant`` says whether the principal's organisation takes part in the operation the
record belongs to. Records with no operation (assets, organisations) belong to the whole
platform, whose registered organisations form the alliance: pass ``participant=True`` for any
authenticated principal there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute


class Role(StrEnum):
    """What a user may do; labels, not roles, decide what they may see (admins included)."""

    viewer = "viewer"
    contributor = "contributor"
    coordinator = "coordinator"
    asset_manager = "asset_manager"
    exercise_controller = "exercise_controller"
    #: Records observations against an exercise's objectives and fills in its improvement plan.
    evaluator = "evaluator"
    #: Speaks for its nation: approves taskings of its nation's assets that need national approval.
    approver = "approver"
    #: Validates observations into lessons, assigns remedial actions and verifies them.
    lessons_manager = "lessons_manager"
    admin = "admin"


#: Roles allowed to create records (incidents, RFAs, log entries, messages).
CONTRIBUTING_ROLES = frozenset(
    {Role.contributor, Role.coordinator, Role.asset_manager, Role.exercise_controller, Role.admin}
)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a user of one organisation, or ``None`` for the anonymous public."""

    user_id: str
    username: str
    role: Role
    org_id: str
    org_slug: str
    org_kind: str
    nation: str

    @property
    def label(self) -> str:
        """Actor snapshot kept in the event log."""
        return f"{self.username}@{self.org_slug}"

    def can_contribute(self) -> bool:
        return self.role in CONTRIBUTING_ROLES


def on_platform(principal: Principal | None) -> bool:
    """Whether ``principal`` reads records of no operation (assets, plans, lessons) as a member of
    the alliance: the platform's registered organisations form it, so every signed-in principal
    does and the anonymous public does not."""
    return principal is not None


def readable_labels(principal: Principal | None, *, participant: bool) -> frozenset[str]:
    """The labels ``principal`` may read in a context where its organisation does or does not take part."""
    if principal is None:
        return frozenset({"public"})
    labels = {"public"}
    if principal.org_slug:
        labels.add(f"org:{principal.org_slug}")
    if participant:
        labels.add("alliance")
        if principal.nation:
            labels.add(f"nation:{principal.nation}")
    return frozenset(labels)


def least_reader(label: str, *, org_nation: str = "") -> Principal | None:
    """The reader that every member of ``label``'s audience in an operation reads at least as much
    as (``None``: the public): a document released under ``label`` (a situation report) is built
    from what this reader may read, so no member of its audience learns from it what they could
    not read themselves, whatever its author may read. ``org_nation`` is the nation of the
    organisation an ``org:`` label names."""
    kind, _, value = label.partition(":")
    if kind == "public":
        return None
    nation = value if kind == "nation" else org_nation if kind == "org" else ""
    slug = value if kind == "org" else ""
    return Principal(user_id="", username=f"audience of {label}", role=Role.viewer, org_id="", org_slug=slug,
                     org_kind="", nation=nation)  # fmt: skip


def reader(principal: Principal | None, *, participant: bool) -> Callable[[str], bool]:
    """The rule as a predicate on labels, for records that name other records with their own labels
    (the parts of an event or a record a reader may not read are left out for that reader)."""
    return readable_labels(principal, participant=participant).__contains__


def can_read(principal: Principal | None, label: str, *, participant: bool) -> bool:
    """In-memory form of the rule, for live streams and single records already loaded."""
    return label in readable_labels(principal, participant=participant)


def label_filter(
    label_col: InstrumentedAttribute[str] | ColumnElement[str],
    principal: Principal | None,
    *,
    participant: bool | ColumnElement[bool],
) -> ColumnElement[bool]:
    """SQL form of the rule. ``participant`` may be a SQL expression (e.g. an EXISTS per row)."""
    if isinstance(participant, bool):
        return label_col.in_(sorted(readable_labels(principal, participant=participant)))
    outside = readable_labels(principal, participant=False)
    inside = readable_labels(principal, participant=True) - outside
    return or_(label_col.in_(sorted(outside)), and_(participant, label_col.in_(sorted(inside))))
