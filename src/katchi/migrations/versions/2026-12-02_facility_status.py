"""Facilities: beds available and needs, for the live status of shelters and hospitals.

Revision ID: bbec94aedb49
Revises: c71f2d485fc4
Create Date: 2026-12-02 02:11:23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bbec94aedb49"
down_revision: str | None = "c71f2d485fc4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("beds_available", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("needs", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_column("needs")
        batch_op.drop_column("beds_available")
