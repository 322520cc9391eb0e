"""The SQL form and the in-memory form of the read rule agree, for every label and principal."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select

from katchi.core.access import Principal, Role, can_read, label_filter, least_reader, readable_labels

NATIONS = ["KOR", "USA", "JPN"]
SLUGS = ["a", "b", "c"]
labels_st = st.one_of(
    st.sampled_from(["public", "alliance"]),
    st.sampled_from(NATIONS).map(lambda n: f"nation:{n}"),
    st.sampled_from(SLUGS).map(lambda s: f"org:{s}"),
)
principal_st = st.one_of(
    st.none(),
    st.builds(
        lambda slug, nation, role: Principal("u", "u", role, "id-" + slug, slug, "civil", nation),
        st.sampled_from(SLUGS),
        st.sampled_from(NATIONS),
        st.sampled_from(list(Role)),
    ),
)

meta = MetaData()
records = Table("records", meta, Column("id", String, primary_key=True), Column("label", String))
engine = create_engine("sqlite://")
meta.create_all(engine)


@settings(max_examples=300)
@given(labels=st.lists(labels_st, max_size=12), principal=principal_st, participant=st.booleans())
def test_sql_filter_equals_in_memory_rule(labels: list[str], principal: Principal | None, participant: bool) -> None:
    with engine.begin() as conn:
        conn.execute(records.delete())
        if labels:
            conn.execute(insert(records), [{"id": str(i), "label": lab} for i, lab in enumerate(labels)])
        got = {
            r.id
            for r in conn.execute(
                select(records.c.id).where(label_filter(records.c.label, principal, participant=participant))
            )
        }
    assert got == {str(i) for i, lab in enumerate(labels) if can_read(principal, lab, participant=participant)}


def test_label_table() -> None:
    kor = Principal("u", "u", Role.viewer, "o1", "krc", "ngo", "KOR")
    assert readable_labels(None, participant=True) == {"public"}
    assert readable_labels(kor, participant=False) == {"public", "org:krc"}
    assert readable_labels(kor, participant=True) == {"public", "org:krc", "alliance", "nation:KOR"}
    admin = Principal("u", "u", Role.admin, "o1", "krc", "ngo", "KOR")
    assert not can_read(admin, "nation:USA", participant=True)  # admin roles do not bypass labels


@settings(max_examples=300)
@given(
    document=labels_st,
    record_label=labels_st,
    member=principal_st.filter(lambda p: p is not None),
)
def test_the_least_reader_of_a_label_reads_nothing_a_member_of_its_audience_may_not(
    document: str, record_label: str, member: Principal
) -> None:
    """Whatever a document under ``document`` draws on (what its least reader may read), every
    participant who may read the document may read too; and the least reader reads the document."""
    nation_of = {slug: NATIONS[i] for i, slug in enumerate(SLUGS)}
    least = least_reader(document, org_nation=nation_of.get(document.removeprefix("org:"), ""))
    assert can_read(least, document, participant=True)
    member = Principal("u", "u", member.role, "id", member.org_slug, "civil", nation_of[member.org_slug])
    if can_read(member, document, participant=True) and can_read(least, record_label, participant=True):
        assert can_read(member, record_label, participant=True)


def test_least_readers() -> None:
    assert readable_labels(least_reader("public"), participant=True) == {"public"}
    assert readable_labels(least_reader("alliance"), participant=True) == {"public", "alliance"}
    assert readable_labels(least_reader("nation:USA"), participant=True) == {"public", "alliance", "nation:USA"}
    assert readable_labels(least_reader("org:usfk", org_nation="USA"), participant=True) == {
        "public",
        "alliance",
        "nation:USA",
        "org:usfk",
    }
