"""Positions of moving assets in their own store (a track with retention), apart from the log.

Existing assets count as logged where they are now.

Revision ID: c2d8e4f6a173
Revises: b6e3f1a8c942
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c2d8e4f6a173"
down_revision: str | None = "b6e3f1a8c942"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assets") as batch:
        batch.add_column(sa.Column("logged_location", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("track_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE assets SET logged_location = location")
    op.create_table(
        "asset_positions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("asset_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name=op.f("fk_asset_positions_asset_id_assets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_positions")),
    )
    with op.batch_alter_table("asset_positions") as batch:
        batch.create_index("ix_asset_positions_asset_at", ["asset_id", "at"], unique=False)
        batch.create_index("ix_asset_positions_at", ["at"], unique=False)


def downgrade() -> None:
    op.drop_table("asset_positions")
    with op.batch_alter_table("assets") as batch:
        batch.drop_column("track_at")
        batch.drop_column("logged_location")
