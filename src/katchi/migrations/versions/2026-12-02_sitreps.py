"""Situation reports and the schedules that draft them.

Revision ID: ec7f9602c450
Revises: d58e74c6793c
Create Date: 2026-12-02 02:12:32
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ec7f9602c450"
down_revision: str | None = "d58e74c6793c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sitrep_schedules",
        sa.Column("operation_id", sa.String(length=32), nullable=False),
        sa.Column("times", sa.JSON(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("last_slot", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_sitrep_schedules_operation_id_operations")
        ),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"], name=op.f("fk_sitrep_schedules_set_by_users")),
        sa.PrimaryKeyConstraint("operation_id", name=op.f("pk_sitrep_schedules")),
    )
    op.create_table(
        "sitreps",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("operation_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("scheduled", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("org_id", sa.String(length=32), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by_label", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_sitreps_author_id_users")),
        sa.ForeignKeyConstraint(["operation_id"], ["operations.id"], name=op.f("fk_sitreps_operation_id_operations")),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name=op.f("fk_sitreps_org_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sitreps")),
    )
    with op.batch_alter_table("sitreps", schema=None) as batch_op:
        batch_op.create_index("ix_sitreps_op_label_number", ["operation_id", "label", "number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("sitreps", schema=None) as batch_op:
        batch_op.drop_index("ix_sitreps_op_label_number")

    op.drop_table("sitreps")
    op.drop_table("sitrep_schedules")
