"""The event log is append-only in the database itself: UPDATE and DELETE on ``log_entries`` are
refused by triggers (SQLite and PostgreSQL). An insider must drop them first, which a signed
checkpoint (``katchi audit checkpoint``) then reveals.

Revision ID: a4d9e2c7f815
Revises: f7c1a9e3d524
Create Date: 2026-12-01 13:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "a4d9e2c7f815"
down_revision: str | None = "f7c1a9e3d524"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "the event log is append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION katchi_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$
            """
        )
        op.execute(
            "CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries "
            "FOR EACH ROW EXECUTE FUNCTION katchi_log_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER log_entries_no_{verb.lower()} BEFORE {verb} ON log_entries "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER log_entries_append_only ON log_entries")
        op.execute("DROP FUNCTION katchi_log_append_only()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER log_entries_no_{verb}")
