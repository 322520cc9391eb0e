"""DESIGN.md §2: domains import downward only (the import-linter contract in pyproject.toml)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_layers_are_kept() -> None:
    out = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout and "The optimiser is pure" in out.stdout


def test_no_module_writes_log_rows_outside_the_eventlog() -> None:
    """One write path: only katchi.eventlog touches the log tables."""
    offenders = []
    for path in (ROOT / "src" / "katchi").rglob("*.py"):
        if "eventlog" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"\bLogEntry\(|\bLogHead\(|\blog_entries\b|\blog_head\b", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_only_the_entry_points_read_the_process_settings() -> None:
    """``get_settings()`` caches the environment of the first caller for the whole process: a
    server's domain code that called it would pin one database URL or time zone for every app in
    the process (the tests run many). The command line and the app factory read it; everything a
    server runs gets its settings from the runtime."""
    allowed = {"settings.py", "cli", "migrations", "app.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "katchi").rglob("*.py")
        if not allowed & {path.name, *path.parts} and "get_settings(" in path.read_text()
    ]
    assert offenders == []
