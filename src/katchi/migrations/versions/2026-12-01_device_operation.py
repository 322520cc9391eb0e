"""TAK devices are assigned to one operation (their chat goes there), and an organisation may set
the label its devices' chat carries (none: ``org:<slug>``).

Revision ID: e5b8d2f4a613
Revises: d3a7c5e9b120
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5b8d2f4a613"
down_revision: str | None = "d3a7c5e9b120"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tak_devices") as batch:
        batch.add_column(sa.Column("operation_id", sa.String(32), nullable=True))
        batch.create_foreign_key("fk_tak_devices_operation_id_operations", "operations", ["operation_id"], ["id"])
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("device_label", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("device_label")
    with op.batch_alter_table("tak_devices") as batch:
        batch.drop_constraint("fk_tak_devices_operation_id_operations", type_="foreignkey")
        batch.drop_column("operation_id")
