"""Exercise assets belong to their exercise operation (NULL: a real asset of the platform).

The columns carry no foreign-key constraint: adding one makes SQLite rebuild the table, which the
taskings that reference assets forbid; the domain keeps them right.

Assets an earlier exercise run registered (named "[EX] …") are given to the exercise that last
tasked them, else to the newest exercise their organisation takes part in, so they leave real
asset lists; a new run registers its own.

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

    # An earlier run's exercise asset goes to the exercise that last tasked it, else to the newest
    # exercise its organisation takes part in; one never used in an exercise stays real.
    op.execute(
        """
        UPDATE assets SET operation_id = (
            SELECT t.operation_id FROM taskings t JOIN operations o ON o.id = t.operation_id
            WHERE t.asset_id = assets.id AND o.mode = 'exercise' ORDER BY t.id DESC LIMIT 1
        ) WHERE name LIKE '[EX] %'
        """
    )
    op.execute(
        """
        UPDATE assets SET operation_id = (
            SELECT p.operation_id FROM operation_participants p JOIN operations o ON o.id = p.operation_id
            WHERE p.org_id = assets.org_id AND o.mode = 'exercise' ORDER BY p.operation_id DESC LIMIT 1
        ) WHERE name LIKE '[EX] %' AND operation_id IS NULL
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("assets") as batch:
        batch.drop_index(batch.f("ix_assets_operation_id"))
        batch.drop_column("twin_of")
        batch.drop_column("operation_id")
