"""Incidents: human-impact figures (dead, injured, missing, trapped, displaced, in need) and the
municipality they lie in; existing incidents are placed by their location.

Revision ID: c71f2d485fc4
Revises: 7a3e5c19b2d4
Create Date: 2026-12-02 01:11:50
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c71f2d485fc4"
down_revision: str | None = "7a3e5c19b2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMPACT = ("dead", "injured", "missing", "trapped", "displaced", "in_need")


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        for name in IMPACT:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("district_code", sa.String(length=8), nullable=True))
        batch_op.create_index("ix_incidents_op_district", ["operation_id", "district_code"], unique=False)
    from katchi.cop.districts import district_of

    incidents = sa.table("incidents", sa.column("id"), sa.column("location"), sa.column("district_code"))
    conn = op.get_bind()
    for row_id, location in conn.execute(sa.select(incidents.c.id, incidents.c.location)).all():
        place = location if isinstance(location, dict) else json.loads(location)
        district = district_of(place)
        if district is not None:
            conn.execute(incidents.update().where(incidents.c.id == row_id).values(district_code=district.code))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_op_district")
        batch_op.drop_column("district_code")
        for name in reversed(IMPACT):
            batch_op.drop_column(name)
