"""HTTP edge: parses input, calls a command or query, renders. No rules live here."""

from katchi.web.app import create_app

__all__ = ["create_app"]
