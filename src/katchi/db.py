"""Engine and session factory. SQLite runs durable (WAL, synchronous=FULL) with real write locks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import orjson
from sqlalchemy import JSON, DateTime, Dialect, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The SQLite settings the server must run with; asserted by the crash test.
SQLITE_PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Katchi stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


def _sqlite_setup(engine: Engine, *, write: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite recipe)
        cur = dbapi_conn.cursor()
        if write:  # WAL is a property of the file; setting it takes a lock, so only writers do
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    begin = "BEGIN IMMEDIATE" if write else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


def make_engine(url: str, *, write: bool = False) -> Engine:
    """An engine for ``url``; on SQLite ``write`` engines take the write lock at BEGIN."""
    if url.startswith("sqlite"):
        # Readers run in the server's thread pool: keep enough pooled connections that none is
        # opened and closed per request.
        engine = create_engine(
            url,
            json_deserializer=json_loads,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=4 if write else 40,
            max_overflow=4 if write else 20,
        )
        _sqlite_setup(engine, write=write)
        return engine
    return create_engine(url, json_deserializer=json_loads, pool_pre_ping=True, pool_size=10, max_overflow=20)


def json_loads(text: str | bytes) -> Any:
    """JSON columns read with orjson (several times faster than ``json``; replaying a log reads
    tens of thousands of payloads); ``json`` still reads what only it wrote (``NaN``)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


@dataclass
class Database:
    """Read and write session factories over one database."""

    url: str
    read_engine: Engine = field(init=False)
    write_engine: Engine = field(init=False)

    def __post_init__(self) -> None:
        self.read_engine = make_engine(self.url)
        self.write_engine = make_engine(self.url, write=True) if self.is_sqlite else self.read_engine
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; rolled back at the end."""
        with self._read() as session:  # close() ends the transaction; loaded objects stay readable
            yield session

    def write_session(self) -> Session:
        """A new session whose transaction holds the database write lock from its start."""
        return self._write()

    def dispose(self) -> None:
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()


#: ``session.info`` keys under this prefix hold read caches that stay valid until the database
#: changes underneath; the group-commit writer carries them from one transaction to the next while
#: nobody else has written (SQLite ``PRAGMA data_version``).
CACHE_PREFIX = "katchi_cache:"


def cached(session: Session, name: str, key: Any, load: Callable[[], Any]) -> Any:
    """``load()`` once per ``(name, key)`` for as long as the session's cache lives."""
    cache: dict[Any, Any] = session.info.setdefault(CACHE_PREFIX + name, {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def forget(session: Session, *names: str) -> None:
    """Drop caches a command has made stale (e.g. a new organisation, a changed operation)."""
    for name in names:
        session.info.pop(CACHE_PREFIX + name, None)


def upgrade_schema(url: str, revision: str = "head") -> None:
    """Create or migrate the schema at ``url`` with the packaged Alembic migrations."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("katchi") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, revision)
