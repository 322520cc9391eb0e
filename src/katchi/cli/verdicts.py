"""One verdict line per file, shared by ``katchi cap validate`` and ``katchi cot validate``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import typer


def print_verdicts(files: Sequence[Path], validate: Callable[[bytes], Sequence[object]]) -> None:
    """``PATH<TAB>valid`` or ``PATH<TAB>invalid<TAB>problems`` per file; exit 1 if any is invalid."""
    bad = 0
    for path in files:
        try:
            problems = validate(path.read_bytes())
        except OSError as exc:
            bad += 1
            typer.echo(f"{path}\tinvalid\tcannot read: {exc.strerror}")
            continue
        if problems:
            bad += 1
            reason = "; ".join(str(p) for p in problems).replace("\t", " ").replace("\n", " ")
            typer.echo(f"{path}\tinvalid\t{reason}")
        else:
            typer.echo(f"{path}\tvalid")
    raise typer.Exit(1 if bad else 0)
