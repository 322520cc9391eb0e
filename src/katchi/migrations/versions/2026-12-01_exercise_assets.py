"""Exercise assets belong to their exercise operation (NULL: a real asset of the platform).

The columns carry no foreign-key constraint: adding one makes SQLite rebuild the table, which the
taskings that reference assets forbid; the domain keeps them right.

Assets an earlier exercise run registered (named "[EX] …") are given to the newest exercise
operation, so they leave real asset lists; a new run registers its own.

Revision ID: d4f1a7c3e925
Revises: c2d8e4f6a173
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4f1a7c3e925"
down_revision: str | None = "c2d8e4f6a173"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assets") as batch:
        batch.add_column(sa.Column("operation_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("twin_of", sa.String(length=32), nullable=True))
        batch.create_index(batch.f("ix_assets_operation_id"), ["operation_id"], unique=False)

    op.execute(
        """
        UPDATE assets SET operation_id = (
            SELECT id FROM operations WHERE mode = 'exercise' ORDER BY id DESC LIMIT 1
        ) WHERE name LIKE '[EX] %'
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("assets") as batch:
        batch.drop_index(batch.f("ix_assets_operation_id"))
        batch.drop_column("twin_of")
        batch.drop_column("operation_id")
