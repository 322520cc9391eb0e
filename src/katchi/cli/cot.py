"""``katchi cot``: Cursor-on-Target events (validate now; the TAK gateway follows)."""

from __future__ import annotations

from pathlib import Path

import typer

cot_app = typer.Typer(no_args_is_help=True, help="Cursor-on-Target (TAK) events.")


@cot_app.command("validate")
def validate(files: list[Path]) -> None:
    """Check CoT event files: ``PATH<TAB>valid`` or ``PATH<TAB>invalid<TAB>reason``; exit 1 if any
    is invalid (well-formed, no DOCTYPE, size and depth limits, required attributes, coordinate and
    time ranges)."""
    from katchi.interop.cot import validate_cot

    bad = 0
    for path in files:
        try:
            problems = validate_cot(path.read_bytes())
        except OSError as exc:
            bad += 1
            typer.echo(f"{path}\tinvalid\tcannot read: {exc.strerror}")
            continue
        if problems:
            bad += 1
            typer.echo(f"{path}\tinvalid\t{'; '.join(map(str, problems))}")
        else:
            typer.echo(f"{path}\tvalid")
    raise typer.Exit(1 if bad else 0)
