"""What an insider with write access to the database does first: drop the log's append-only triggers."""

from __future__ import annotations

from sqlalchemy import text

from katchi.db import Database


def drop_log_guards(db: Database) -> None:
    with db.write_engine.begin() as conn:
        if db.is_postgres:
            conn.execute(text("DROP TRIGGER IF EXISTS log_entries_append_only ON log_entries"))
        else:
            for verb in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS log_entries_no_{verb}"))


def restore_log_guards_postgres(conn: object) -> None:
    """Put the PostgreSQL trigger back (a test that played the insider dropped it in the shared
    test database; each test starts from the migrated schema)."""
    conn.execute(text("DROP TRIGGER IF EXISTS log_entries_append_only ON log_entries"))  # type: ignore[attr-defined]
    conn.execute(  # type: ignore[attr-defined]
        text(
            "CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries "
            "FOR EACH ROW EXECUTE FUNCTION katchi_log_append_only()"
        )
    )
