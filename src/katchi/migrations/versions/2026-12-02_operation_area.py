"""Operations: a name in Korean and the area of the response (GeoJSON), both optional.

Revision ID: 5d2a6855d8fb
Revises: ec7f9602c450
Create Date: 2026-12-02 02:24:17
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2a6855d8fb"
down_revision: str | None = "ec7f9602c450"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_ko", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("area", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_column("area")
        batch_op.drop_column("name_ko")
