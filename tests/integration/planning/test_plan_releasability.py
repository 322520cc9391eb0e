"""Property: over random organisations of three nations, plans with random nations and labels,
and comments under random labels, every reader gets exactly what the label table allows on every
read of the planning domain (list, get, versions, diff, gaps, comments), and everyone else the
same 404 as for a plan that does not exist. Plans are platform records: every signed-in
organisation counts as a participant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from katchi import planning
from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, principal_for_user
from katchi.accounts.models import User
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.core.errors import DomainError, NotFound
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.labels import expected_visible

NATIONS = ["KOR", "USA", "JPN"]


@dataclass(frozen=True)
class PlanSpec:
    author: int
    nations: frozenset[str]
    label_kind: str
    comment_label_kinds: tuple[str, ...]


orgs_st = st.lists(st.sampled_from(NATIONS), min_size=2, max_size=4)
plans_st = st.lists(
    st.builds(
        PlanSpec,
        st.integers(0, 3),
        st.frozensets(st.sampled_from(NATIONS), min_size=1, max_size=3),
        st.sampled_from(["public", "alliance", "nation", "org"]),
        st.lists(st.sampled_from(["plan", "alliance", "nation", "org"]), max_size=3).map(tuple),
    ),
    min_size=1,
    max_size=4,
)


def _label(kind: str, slug: str, nation: str) -> str:
    return {"public": "public", "alliance": "alliance", "nation": f"nation:{nation}", "org": f"org:{slug}"}[kind]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=orgs_st, specs=plans_st)
def test_every_plan_read_is_exactly_the_label_table(db_url: str, orgs: list[str], specs: list[PlanSpec]) -> None:
    db = Database(db_url)
    try:
        _check(db, orgs, specs)
    finally:
        with transaction(db) as s:  # leave the template-copied database clean for the next example
            for table in ("plan_comments", "plan_signatures", "plan_versions", "plans"):
                s.execute(planning.Plan.metadata.tables[table].delete())
        db.dispose()


def _check(db: Database, orgs: list[str], specs: list[PlanSpec]) -> None:
    system = Context(None, source="test")
    tag = f"p{uuid.uuid4().hex[:8]}"
    slugs = [f"{tag}-o{i}" for i in range(len(orgs))]
    with transaction(db) as s:
        for slug, nation in zip(slugs, orgs, strict=True):
            add_org(s, system, OrganisationCreate(slug=slug, name_en=slug, nation=nation, kind="civil"))
            add_user(s, system, UserCreate(username=f"{slug}-c", org=slug, role=Role.coordinator))
    with db.read() as s:
        people = [principal_for_user(s, s.query(User).filter(User.username == f"{slug}-c").one().id) for slug in slugs]
    made: list[tuple[str, str, list[str]]] = []  # plan id, label, comment labels
    for spec in specs:
        author = people[spec.author % len(people)]
        nations = sorted((spec.nations & set(orgs)) | {author.nation})  # nations with organisations
        label = _label(spec.label_kind, author.org_slug, author.nation)
        body = planning.PlanCreate(
            name={"en": "p"}, hazard="flood", area={"type": "Point", "coordinates": [127.0, 37.5]},
            nations=nations, label=label,
            tasks=[planning.PlanTaskIn(title={"en": "t"}, capability="truck_transport", quantity=2, phase="0-6h",
                                       lead_org=author.org_slug)],
        )  # fmt: skip
        try:
            with transaction(db) as s:
                plan = planning.create_plan(s, Context(author, source="test"), body)
        except DomainError as exc:
            # Refused when some approver of the plan's nations could not read it: never an org
            # label, and a nation label only for a plan of that nation alone.
            assert label.startswith("org:") or (label.startswith("nation:") and len(nations) > 1), exc.detail
            continue
        assert not (label.startswith("org:") or (label.startswith("nation:") and len(nations) > 1))
        with transaction(db) as s:
            planning.update_plan(s, Context(author, source="test"), plan.id, planning.PlanUpdate(hazard="typhoon"))
        comments = []
        for kind in spec.comment_label_kinds:
            wanted = None if kind == "plan" else _label(kind, author.org_slug, author.nation)
            try:
                with transaction(db) as s:
                    c = planning.comment_on_plan(
                        s, Context(author, source="test"), plan.id, planning.CommentCreate(text="c", label=wanted)
                    )
                comments.append(c.label)
            except DomainError:
                assert wanted is not None  # only a label wider than the plan's is refused
        made.append((plan.id, label, comments))

    for reader in people:
        who = (reader.org_slug, reader.nation, True)
        with db.read() as s:
            listed = {p.id for p in planning.list_plans(s, reader, cursor=None, limit=1000)[0]}
            for plan_id, label, comments in made:
                sees = expected_visible(label, who)
                assert (plan_id in listed) == sees, (label, who)
                reads = [
                    (planning.get_plan, ()),
                    (planning.list_versions, ()),
                    (planning.diff_versions, (1, 2)),
                    (planning.plan_gaps, ()),
                    (planning.list_comments, ()),
                ]
                for read, extra in reads:
                    if sees:
                        read(s, reader, plan_id, *extra)  # type: ignore[operator]
                    else:
                        try:
                            read(s, reader, plan_id, *extra)  # type: ignore[operator]
                        except NotFound as exc:
                            assert str(exc.detail) == f"no plan {plan_id}"
                        else:
                            raise AssertionError(f"{reader.org_slug} read {label}")
                if sees:
                    got = sorted(c.label for c in planning.list_comments(s, reader, plan_id))
                    assert got == sorted(c for c in comments if expected_visible(c, who))
