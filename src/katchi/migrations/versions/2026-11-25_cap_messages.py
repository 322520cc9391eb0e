"""CAP messages imported into operations (to follow Update and Cancel by their references).

Revision ID: 9c4e2d7a1b35
Revises: 7a1c0e5b9f42
Create Date: 2026-11-25 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c4e2d7a1b35"
down_revision: str | None = "7a1c0e5b9f42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cap_messages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("operation_id", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.String(length=300), nullable=False),
        sa.Column("identifier", sa.String(length=300), nullable=False),
        sa.Column("sent", sa.String(length=40), nullable=False),
        sa.Column("msg_type", sa.String(length=16), nullable=False),
        sa.Column("incident_id", sa.String(length=32), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"], ["operations.id"], name=op.f("fk_cap_messages_operation_id_operations")
        ),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_cap_messages_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_messages")),
        sa.UniqueConstraint("operation_id", "sender", "identifier", "sent", name="uq_cap_messages_key"),
    )
    with op.batch_alter_table("cap_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cap_messages_operation_id"), ["operation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cap_messages_incident_id"), ["incident_id"], unique=False)


def downgrade() -> None:
    op.drop_table("cap_messages")
