"""Exercises people play: the MSEL of each exercise (scheduled and ad-hoc injects), evaluators'
observations and the improvement plan.

Revision ID: 5c52a253638d
Revises: d4f1a7c3e925
Create Date: 2026-12-01 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c52a253638d"
down_revision: str | None = "d4f1a7c3e925"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exercise_improvements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("operation_id", sa.String(length=32), nullable=False),
        sa.Column("objective", sa.String(length=64), nullable=True),
        sa.Column("issue", sa.Text(), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=False),
        sa.Column("responsible_org_id", sa.String(length=32), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_exercise_improvements_author_id_users")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_exercise_improvements_operation_id_operations")
        ),
        sa.ForeignKeyConstraint(
            ["responsible_org_id"],
            ["organisations.id"],
            name=op.f("fk_exercise_improvements_responsible_org_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_improvements")),
    )
    with op.batch_alter_table("exercise_improvements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_improvements_operation_id"), ["operation_id"], unique=False)

    op.create_table(
        "exercise_injects",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("operation_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("location", sa.JSON(), nullable=True),
        sa.Column("to_org_id", sa.String(length=32), nullable=True),
        sa.Column("expected_action", sa.Text(), nullable=False),
        sa.Column("objective", sa.String(length=64), nullable=True),
        sa.Column("effects", sa.JSON(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_exercise_injects_created_by_users")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_exercise_injects_operation_id_operations")
        ),
        sa.ForeignKeyConstraint(
            ["to_org_id"], ["organisations.id"], name=op.f("fk_exercise_injects_to_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_injects")),
    )
    with op.batch_alter_table("exercise_injects", schema=None) as batch_op:
        batch_op.create_index("ix_exercise_injects_due", ["operation_id", "status", "at"], unique=False)

    op.create_table(
        "exercise_observations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("operation_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("objective", sa.String(length=64), nullable=False),
        sa.Column("cited_entries", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("org_id", sa.String(length=32), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_exercise_observations_author_id_users")),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_exercise_observations_operation_id_operations")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_exercise_observations_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_observations")),
    )
    with op.batch_alter_table("exercise_observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_observations_operation_id"), ["operation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exercise_observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_observations_operation_id"))

    op.drop_table("exercise_observations")
    with op.batch_alter_table("exercise_injects", schema=None) as batch_op:
        batch_op.drop_index("ix_exercise_injects_due")

    op.drop_table("exercise_injects")
    with op.batch_alter_table("exercise_improvements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exercise_improvements_operation_id"))

    op.drop_table("exercise_improvements")
