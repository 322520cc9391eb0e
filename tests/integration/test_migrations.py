"""The migrations build exactly the schema the models describe (hand-written migrations included)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import katchi.tables
from katchi.db import Database


def test_migrations_match_the_models(db: Database) -> None:
    engine = create_engine(db.url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), katchi.tables.metadata)
    finally:
        engine.dispose()
    assert diff == []
