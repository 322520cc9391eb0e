"""``katchi cap``: CAP alerts (validate now; import, export and feed polling follow)."""

from __future__ import annotations

from pathlib import Path

import typer

cap_app = typer.Typer(no_args_is_help=True, help="OASIS CAP alerts.")


@cap_app.command("validate")
def validate(files: list[Path]) -> None:
    """Check CAP files: ``PATH<TAB>valid`` or ``PATH<TAB>invalid<TAB>reason`` (every problem, with
    its path); exit 1 if any is invalid."""
    from katchi.interop.cap import validate_cap

    bad = 0
    for path in files:
        try:
            problems = validate_cap(path.read_bytes())
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
