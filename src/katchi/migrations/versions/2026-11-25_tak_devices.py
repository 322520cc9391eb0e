"""TAK devices allowed on the gateway.

Revision ID: b2f6a9d3c417
Revises: 9c4e2d7a1b35
Create Date: 2026-11-25 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b2f6a9d3c417"
down_revision: str | None = "9c4e2d7a1b35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tak_devices",
        sa.Column("uid", sa.String(length=256), nullable=False),
        sa.Column("org_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("asset_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name=op.f("fk_tak_devices_org_id_organisations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_tak_devices_user_id_users")),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name=op.f("fk_tak_devices_asset_id_assets")),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_tak_devices")),
    )
    with op.batch_alter_table("tak_devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tak_devices_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    op.drop_table("tak_devices")
