"""The ``katchi`` command line (Typer), grouped by noun."""

from katchi.cli.app import app, main

__all__ = ["app", "main"]
