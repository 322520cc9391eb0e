"""The latest event of a kind in an operation (its exercise clock) found by index, not by a scan.

Revision ID: c8e1f4a2d690
Revises: b2f6a9d3c417
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "c8e1f4a2d690"
down_revision: str | None = "b2f6a9d3c417"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_log_entries_op_kind_seq", "log_entries", ["operation_id", "kind", "seq"])


def downgrade() -> None:
    op.drop_index("ix_log_entries_op_kind_seq", table_name="log_entries")
