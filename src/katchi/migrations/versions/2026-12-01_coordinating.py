"""Which participant organisations coordinate an operation (the lead and its co-coordinators).

Existing operations: the lead and the creator's organisation coordinate, as new ones do by default.

Revision ID: d3a7c5e9b120
Revises: c8e1f4a2d690
Create Date: 2026-12-01 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3a7c5e9b120"
down_revision: str | None = "c8e1f4a2d690"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("operation_participants") as batch:
        batch.add_column(sa.Column("coordinating", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(
        """
        UPDATE operation_participants SET coordinating = TRUE
        WHERE org_id = (SELECT o.lead_org_id FROM operations o WHERE o.id = operation_participants.operation_id)
           OR org_id = (SELECT u.org_id FROM operations o JOIN users u ON u.id = o.created_by
                        WHERE o.id = operation_participants.operation_id)
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("operation_participants") as batch:
        batch.drop_column("coordinating")
