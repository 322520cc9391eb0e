"""``katchi operation``: the platform operator's view of operations — list them, close, reopen and
invite organisations (the same commands the console's coordinators use)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

operation_app = typer.Typer(no_args_is_help=True, help="Operations (close, reopen, invite participants).")


@operation_app.command("list")
def operation_list() -> None:
    """Every operation: id, status, mode, lead, participants, name."""
    from sqlalchemy import select

    from katchi.cli.app import _run
    from katchi.operations import Operation, operation_read

    def go(s: Any, ctx: Any) -> list[Any]:
        return [operation_read(s, op) for op in s.scalars(select(Operation).order_by(Operation.id))]

    typer.echo(f"{'ID':<32} {'STATUS':<7} {'MODE':<9} {'LEAD':<16} {'PARTICIPANTS':<40} NAME")
    for op in _run(go):
        typer.echo(f"{op.id:<32} {op.status:<7} {op.mode:<9} {op.lead:<16} {','.join(op.participants):<40} {op.name}")


@operation_app.command("close")
def operation_close(
    op_id: Annotated[str, typer.Argument(metavar="OPERATION_ID")],
    reason: Annotated[str, typer.Option(help="why (kept in the event log)")] = "",
) -> None:
    """Close an operation: it stays readable; no record is added to it any more."""
    from katchi.cli.app import _run
    from katchi.operations import StatusChange, close_operation

    _run(lambda s, ctx: close_operation(s, ctx, op_id, StatusChange(reason=reason)))
    typer.echo(f"operation {op_id} closed")


@operation_app.command("reopen")
def operation_reopen(
    op_id: Annotated[str, typer.Argument(metavar="OPERATION_ID")],
    reason: Annotated[str, typer.Option(help="why (kept in the event log)")] = "",
) -> None:
    """Reopen a closed operation."""
    from katchi.cli.app import _run
    from katchi.operations import StatusChange, reopen_operation

    _run(lambda s, ctx: reopen_operation(s, ctx, op_id, StatusChange(reason=reason)))
    typer.echo(f"operation {op_id} reopened")


@operation_app.command("invite")
def operation_invite(
    op_id: Annotated[str, typer.Argument(metavar="OPERATION_ID")],
    orgs: Annotated[list[str], typer.Argument(metavar="ORG_SLUG...")],
) -> None:
    """Invite organisations to take part: their users then read its alliance records (earlier ones too)."""
    from katchi.cli.app import _run
    from katchi.operations import ParticipantsAdd, add_participants

    op = _run(lambda s, ctx: add_participants(s, ctx, op_id, ParticipantsAdd(organisations=orgs)))
    typer.echo(f"operation {op_id}: participants {', '.join(op.participants)}")
