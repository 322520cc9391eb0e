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
    from katchi.cli.verdicts import print_verdicts
    from katchi.interop.cot import validate_cot

    print_verdicts(files, validate_cot)
