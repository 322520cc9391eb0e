"""Alembic environment: the URL comes from the Config (set by ``katchi db upgrade``) or settings."""

from __future__ import annotations

from alembic import context

import katchi.tables
from katchi.db import make_engine
from katchi.settings import get_settings

config = context.config
target_metadata = katchi.tables.metadata
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(url, write=True)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=katchi.tables.described_by_models,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
