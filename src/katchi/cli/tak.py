"""``katchi tak``: the TAK gateway and its devices."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

tak_app = typer.Typer(no_args_is_help=True, help="The TAK (Cursor-on-Target) gateway.")


@tak_app.command("serve")
def serve(
    tcp_port: Annotated[
        int | None, typer.Option(help="Plain TCP (no authentication: a device is who it says it is), e.g. 8087")
    ] = None,
    tcp_host: Annotated[str, typer.Option(help="Where plain TCP listens; loopback unless you say otherwise")] = (
        "127.0.0.1"
    ),
    tls_port: Annotated[int | None, typer.Option(help="TLS with client certificates, e.g. 8089")] = None,
    tls_host: Annotated[str, typer.Option(help="Where TLS listens")] = "0.0.0.0",  # noqa: S104  (devices connect over the network)
    cert: Annotated[Path | None, typer.Option(help="Server certificate (PEM)")] = None,
    key: Annotated[Path | None, typer.Option(help="Server key (PEM)")] = None,
    ca: Annotated[Path | None, typer.Option(help="CA that signs device certificates (PEM)")] = None,
    identify_seconds: Annotated[float, typer.Option(help="A connection must name its device within this")] = 10.0,
    per_address: Annotated[int, typer.Option(help="Connections at once from one client address")] = 32,
) -> None:
    """Serve TAK devices: positions in, incidents and RFAs out, releasability per device.

    TLS is the way to face a network: a device's identity is its client certificate (its common
    name must be the uid it sends). Plain TCP is opt-in and listens on loopback unless
    --tcp-host says otherwise."""
    import asyncio
    from datetime import timedelta

    from katchi.assets import PositionPolicy
    from katchi.interop.tak.gateway import Limits
    from katchi.interop.tak.run import serve as run
    from katchi.interop.tak.run import tls_context
    from katchi.settings import get_settings

    if tcp_port is None and tls_port is None:
        raise typer.BadParameter("give --tls-port (with --cert, --key, --ca) and/or --tcp-port")
    tls = None
    if tls_port is not None:
        if not (cert and key and ca):
            raise typer.BadParameter("--tls-port needs --cert, --key and --ca")
        tls = (tls_host, tls_port, tls_context(cert, key, ca))
        typer.echo(
            f"TAK gateway: TLS on {tls_host}:{tls_port}; devices are known by their client certificate", err=True
        )
    if tcp_port is not None:
        exposed = (
            ""
            if tcp_host in ("127.0.0.1", "::1", "localhost")
            else (" — reachable from the network with no authentication: anyone there can claim a registered uid")
        )
        typer.echo(f"TAK gateway: plain TCP on {tcp_host}:{tcp_port}{exposed}", err=True)
    limits = Limits(identify_seconds=identify_seconds, per_address=per_address)
    settings = get_settings()
    positions = PositionPolicy(timedelta(seconds=settings.positions_track_seconds), settings.positions_log_move_m)
    asyncio.run(
        run(
            settings.database_url,
            tcp=(tcp_host, tcp_port) if tcp_port is not None else None,
            tls=tls,
            limits=limits,
            positions=positions,
        )
    )


@tak_app.command("add-device")
def device_add(
    uid: str,
    user: Annotated[str, typer.Option(help="User the device acts as (its organisation is the device's)")],
    asset: Annotated[str | None, typer.Option(help="Asset id its position moves")] = None,
    operation: Annotated[
        str | None, typer.Option(help="Operation id its GeoChat goes to (without one, its chat is refused)")
    ] = None,
) -> None:
    """Allow a device (its CoT uid, or TLS certificate common name) on the gateway."""
    from katchi.cli.app import _run
    from katchi.interop.tak import register_device

    _run(lambda s, ctx: register_device(s, ctx, uid, user, asset, operation))
    typer.echo(f"device {uid} registered, acting as {user}" + (f", chatting into {operation}" if operation else ""))


@tak_app.command("assign-device")
def device_assign(
    uid: str,
    operation: Annotated[
        str | None, typer.Option(help="Operation id its GeoChat goes to; leave out to unassign")
    ] = None,
) -> None:
    """Send a device's GeoChat to an operation its organisation takes part in (or to none)."""
    from katchi.cli.app import _run
    from katchi.interop.tak import assign_device

    _run(lambda s, ctx: assign_device(s, ctx, uid, operation))
    typer.echo(f"device {uid} " + (f"chats into {operation}" if operation else "is not assigned: its chat is refused"))


@tak_app.command("device-label")
def device_label(
    org: Annotated[str, typer.Argument(metavar="ORG_SLUG")],
    label: Annotated[str, typer.Argument(help="e.g. org:<slug> (the default), nation:KOR, alliance")],
) -> None:
    """Set the label the organisation's devices' GeoChat carries (default: org:<slug>)."""
    from katchi.cli.app import _run
    from katchi.interop.tak import set_device_label

    _run(lambda s, ctx: set_device_label(s, ctx, org, label))
    typer.echo(f"{org}'s devices chat under {label}")


@tak_app.command("devices")
def devices(org: Annotated[str | None, typer.Option(help="only this organisation's devices")] = None) -> None:
    """Registered devices: uid, organisation, user, asset, operation its chat goes to."""
    from katchi.cli.app import _run
    from katchi.interop.tak import list_devices

    typer.echo(f"{'UID':<32} {'ORG':<20} {'USER':<20} {'ASSET':<32} OPERATION")
    for d in _run(lambda s, ctx: list_devices(s, ctx, org)):
        typer.echo(f"{d.uid:<32} {d.org:<20} {d.user:<20} {d.asset_id or '-':<32} {d.operation_id or '-'}")
