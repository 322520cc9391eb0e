"""National caveats on assets, task codes on RFAs, committed hours and national approval on taskings.

A tasking used to set its asset ``tasked`` at once; it is now a request until the owner accepts,
so an asset whose open taskings all still await the owner becomes ``requested``.

Revision ID: f7c1a9e3d524
Revises: e5b8d2f4a613
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f7c1a9e3d524"
down_revision: str | None = "e5b8d2f4a613"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Constant defaults: SQLite adds such columns in place (no copy of tables others refer to).
    with op.batch_alter_table("assets") as batch:
        batch.add_column(sa.Column("caveats", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("rfas") as batch:
        batch.add_column(sa.Column("task_codes", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("taskings") as batch:
        batch.alter_column("status", type_=sa.String(24), existing_type=sa.String(16))
        batch.add_column(sa.Column("hours", sa.Float(), nullable=True))
        batch.add_column(sa.Column("decided_by", sa.String(32), nullable=True))
        batch.add_column(sa.Column("decision_reason", sa.Text(), nullable=False, server_default=""))
    op.execute(
        """
        UPDATE assets SET status = 'requested'
        WHERE status = 'tasked'
          AND EXISTS (SELECT 1 FROM taskings t WHERE t.asset_id = assets.id AND t.status = 'tasked')
          AND NOT EXISTS (SELECT 1 FROM taskings t
                          WHERE t.asset_id = assets.id AND t.status IN ('accepted', 'underway'))
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("taskings") as batch:
        batch.drop_column("decision_reason")
        batch.drop_column("decided_by")
        batch.drop_column("hours")
        batch.alter_column("status", type_=sa.String(16), existing_type=sa.String(24))
    with op.batch_alter_table("rfas") as batch:
        batch.drop_column("task_codes")
    with op.batch_alter_table("assets") as batch:
        batch.drop_column("caveats")
