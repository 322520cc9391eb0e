"""``katchi cap``: CAP alerts (validate now; import, export and feed polling follow)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

cap_app = typer.Typer(no_args_is_help=True, help="OASIS CAP alerts.")


@cap_app.command("validate")
def validate(files: list[Path]) -> None:
    """Check CAP files: ``PATH<TAB>valid`` or ``PATH<TAB>invalid<TAB>reason`` (every problem, with
    its path); exit 1 if any is invalid."""
    from katchi.cli.verdicts import print_verdicts
    from katchi.interop.cap import validate_cap

    print_verdicts(files, validate_cap)


@cap_app.command("poll")
def poll(
    url: str,
    operation: Annotated[str, typer.Option(help="Operation id to import into")],
    as_user: Annotated[str, typer.Option("--as", help="Username the imports are made as")],
    allow_host: Annotated[list[str], typer.Option(help="Host that may be fetched (repeat); nothing else is")],
    every: Annotated[float, typer.Option(help="Poll again every N seconds (0: once)")] = 0.0,
    max_bytes: Annotated[int, typer.Option(help="Largest document accepted")] = 2 * 1024 * 1024,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per request")] = 10.0,
) -> None:
    """Fetch a CAP feed (Atom/RSS) or message and import its alerts into an operation.

    One line per message: ``URL<TAB>created|updated|cancelled|skipped|invalid|refused<TAB>detail``.
    Only allow-listed hosts are fetched; redirects are checked hop by hop; exit 1 if anything was
    refused or invalid."""
    import time

    from sqlalchemy import select

    from katchi.accounts import User, principal_for_user
    from katchi.cli.app import _database
    from katchi.core.context import Context
    from katchi.core.errors import DomainError
    from katchi.eventlog import transaction
    from katchi.interop.cap import decode, validate_cap
    from katchi.interop.cap.poll import Fetcher, fetch_messages
    from katchi.interop.cap.service import import_alert

    db = _database()
    with db.read() as s:
        user_id = s.scalar(select(User.id).where(User.username == as_user))

    def acting() -> Context | None:
        """The user as the database has them now: a disabled user stops the poller."""
        with db.read() as s:
            principal = principal_for_user(s, user_id) if user_id else None
        return Context(principal, source="interop:cap") if principal else None

    ctx = acting()
    if ctx is None:
        typer.echo(f"error: no active user {as_user}", err=True)
        raise typer.Exit(2)
    fetcher = Fetcher(frozenset(h.lower() for h in allow_host), max_bytes=max_bytes, timeout_s=timeout)
    failed = False
    while True:
        ctx = acting()
        if ctx is None:
            typer.echo(f"error: {as_user} was disabled; stopping", err=True)
            db.dispose()
            raise typer.Exit(2)
        for item in fetch_messages(fetcher, url):
            if item.body is None:
                failed = True
                typer.echo(f"{item.url}\trefused\t{item.error}")
                continue
            problems = validate_cap(item.body)
            if problems:
                failed = True
                typer.echo(f"{item.url}\tinvalid\t{'; '.join(map(str, problems))}")
                continue
            try:
                with transaction(db) as s:
                    result = import_alert(s, Context(ctx.principal, source=ctx.source), operation, decode(item.body))
            except DomainError as exc:
                failed = True
                typer.echo(f"{item.url}\trefused\t{exc.detail}")
                continue
            typer.echo(f"{item.url}\t{result.action}\t{result.incident_id or result.reason}")
        if every <= 0:
            break
        time.sleep(every)
    db.dispose()
    raise typer.Exit(1 if failed else 0)
