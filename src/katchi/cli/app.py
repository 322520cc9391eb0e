"""``katchi db|org|user|token|operation|seed|serve|audit``: thin wrappers over domain commands."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from katchi.cli.cap import cap_app
from katchi.cli.cot import cot_app
from katchi.cli.exercise import exercise_app
from katchi.cli.operation import operation_app
from katchi.cli.tak import tak_app
from katchi.core.access import Role
from katchi.settings import get_settings

app = typer.Typer(
    no_args_is_help=True, help="Katchi (같이): civil–military coordination for HADR.", pretty_exceptions_enable=False
)
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
org_app = typer.Typer(no_args_is_help=True, help="Organisations.")
user_app = typer.Typer(no_args_is_help=True, help="Users.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens.")
seed_app = typer.Typer(no_args_is_help=True, help="Sample data.")
audit_app = typer.Typer(no_args_is_help=True, help="The event log's integrity.")
positions_app = typer.Typer(no_args_is_help=True, help="Positions of moving assets (their tracks).")
search_app = typer.Typer(no_args_is_help=True, help="The search index.")
notifications_app = typer.Typer(no_args_is_help=True, help="Notifications.")
for sub, name in (
    (db_app, "db"),
    (org_app, "org"),
    (user_app, "user"),
    (token_app, "token"),
    (seed_app, "seed"),
    (audit_app, "audit"),
    (positions_app, "positions"),
    (search_app, "search"),
    (notifications_app, "notifications"),
    (exercise_app, "exercise"),
    (cap_app, "cap"),
    (cot_app, "cot"),
    (tak_app, "tak"),
    (operation_app, "operation"),
):
    app.add_typer(sub, name=name)


def _database():
    import katchi.tables  # noqa: F401
    from katchi.db import Database

    return Database(get_settings().database_url)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _run(fn):
    """Run ``fn(session, ctx)`` as one CLI command transaction; domain errors become messages."""
    from katchi.core.context import Context
    from katchi.core.errors import DomainError
    from katchi.eventlog import transaction

    db = _database()
    try:
        with transaction(db) as session:
            return fn(session, Context(None, source="cli"))
    except DomainError as exc:
        raise _fail(exc.detail) from None
    finally:
        db.dispose()


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Create or migrate the schema to ``revision`` (default: the newest)."""
    from katchi.db import upgrade_schema

    upgrade_schema(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")
    if revision == "head":
        built = _index(rebuild=False)
        if built is not None:
            typer.echo(f"search index built: {built['documents']} records in {built['seconds']} s")


def _index(*, rebuild: bool) -> dict[str, float] | None:
    """Rebuild the search index (always, or only if another analyser built it)."""
    from katchi import search

    db = _database()
    try:
        with db.write_session() as session, session.begin():
            return search.rebuild(session) if rebuild else search.ensure_current(session)
    finally:
        db.dispose()


@search_app.command("reindex")
def search_reindex() -> None:
    """Recompute the search index from the records (after restoring a backup, or to check it)."""
    built = _index(rebuild=True)
    assert built is not None
    typer.echo(f"search index built: {built['documents']} records in {built['seconds']} s")


@org_app.command("add")
def org_add(
    slug: str,
    name: Annotated[str, typer.Option(help="English name")],
    nation: Annotated[str, typer.Option(help="ISO 3166-1 alpha-3, e.g. KOR, USA")],
    kind: Annotated[str, typer.Option(help="military | civil | ngo | io")],
    name_ko: Annotated[str | None, typer.Option(help="Korean name")] = None,
) -> None:
    """Register an organisation."""
    from pydantic import ValidationError

    from katchi.accounts import OrganisationCreate, add_org

    try:
        data = OrganisationCreate(slug=slug, name_en=name, name_ko=name_ko, nation=nation.upper(), kind=kind)
    except ValidationError as exc:
        raise _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None
    _run(lambda s, ctx: add_org(s, ctx, data))
    typer.echo(f"organisation {slug} added")


@user_app.command("add")
def user_add(
    username: str,
    org: Annotated[str, typer.Option(help="organisation slug")],
    role: Annotated[
        str,
        typer.Option(
            help="viewer | contributor | coordinator | asset_manager | exercise_controller | evaluator | approver "
            "(speaks for its nation: national approvals) | admin"
        ),
    ],
    display_name: Annotated[str | None, typer.Option()] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read a password from standard input")
    ] = False,
) -> None:
    """Create a user of an organisation."""
    from pydantic import ValidationError

    from katchi.accounts import UserCreate, add_user, set_password

    try:
        data = UserCreate(username=username, org=org, role=role, display_name=display_name)
    except ValidationError as exc:
        raise _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None

    def go(s, ctx):
        add_user(s, ctx, data)
        if password is not None:
            set_password(s, ctx, username, password)

    _run(go)
    typer.echo(f"user {username} added")


@user_app.command("set-password")
def user_set_password(
    username: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input (required)")
    ] = False,
) -> None:
    """Set a user's password (at least 12 characters, not a common or guessable one); their console
    sessions end."""
    from katchi.accounts import set_password

    if not password_stdin:
        raise _fail("give the password on standard input with --password-stdin (never on the command line)", 2)
    password = sys.stdin.readline().rstrip("\n")
    _run(lambda s, ctx: set_password(s, ctx, username, password))
    typer.echo(f"password of {username} set; their console sessions were ended")


@user_app.command("list")
def user_list(org: Annotated[str | None, typer.Option(help="only this organisation's users")] = None) -> None:
    """Users (never their passwords): name, organisation, role, whether active, whether they have a password."""
    from katchi.accounts import list_users

    rows = _run(lambda s, ctx: list_users(s, ctx, org))
    typer.echo(f"{'USER':<24} {'ORG':<20} {'ROLE':<20} {'ACTIVE':<7} PASSWORD")
    for u in rows:
        typer.echo(
            f"{u.username:<24} {u.org:<20} {u.role:<20} {'yes' if u.active else 'no':<7} "
            f"{'yes' if u.has_password else 'no'}"
        )


@user_app.command("set-role")
def user_set_role(
    username: str,
    role: Annotated[str, typer.Argument(help=", ".join(r.value for r in Role))],
) -> None:
    """Change what a user may do; their sessions and tokens act with the new role at once."""
    from katchi.accounts import set_role

    try:
        new = Role(role)
    except ValueError:
        raise _fail(f"unknown role {role!r}: one of {', '.join(r.value for r in Role)}", 2) from None
    changed = _run(lambda s, ctx: set_role(s, ctx, username, new))
    typer.echo(f"{username} is now {role}" if changed else f"{username} already was {role}")


@user_app.command("set-email")
def user_set_email(
    username: str,
    email: Annotated[str, typer.Argument(help='the address notifications are e-mailed to ("" removes it)')],
) -> None:
    """Set where a user's notifications are e-mailed when the server has SMTP settings."""
    from katchi.accounts import set_email

    _run(lambda s, ctx: set_email(s, ctx, username, email))
    typer.echo(f"e-mail of {username} {'set' if email.strip() else 'removed'}")


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Stop a user acting anywhere: tokens, console sessions, live streams and TAK devices stop
    within seconds. ``katchi user enable`` undoes it."""
    from katchi.accounts import disable_user

    changed = _run(lambda s, ctx: disable_user(s, ctx, username))
    typer.echo(f"user {username} disabled" if changed else f"user {username} was already disabled")


@user_app.command("enable")
def user_enable(username: str) -> None:
    """Let a disabled user act again (their unrevoked tokens work again)."""
    from katchi.accounts import enable_user

    changed = _run(lambda s, ctx: enable_user(s, ctx, username))
    typer.echo(f"user {username} enabled" if changed else f"user {username} was already enabled")


@token_app.command("create")
def token_create(
    username: str,
    expires: Annotated[str | None, typer.Option(help="lifetime such as 90m, 12h, 30d or 8w (default: none)")] = None,
) -> None:
    """Issue an API token for a user and print only the token."""
    from katchi.accounts import create_token, parse_duration
    from katchi.core.errors import DomainError

    try:
        lifetime = parse_duration(expires) if expires else None
    except DomainError as exc:
        raise _fail(exc.detail, 2) from None
    typer.echo(_run(lambda s, ctx: create_token(s, ctx, username, expires_in=lifetime)))


@token_app.command("list")
def token_list(username: Annotated[str | None, typer.Argument(help="only this user's tokens")] = None) -> None:
    """Tokens (never the tokens themselves): id, user, prefix, created, expires, revoked."""
    from katchi.accounts import list_tokens

    rows = _run(lambda s, ctx: list_tokens(s, ctx, username))
    typer.echo(f"{'ID':<32} {'USER':<16} {'PREFIX':<15} {'CREATED':<17} {'EXPIRES':<17} REVOKED")
    for t in rows:
        typer.echo(
            f"{t.id:<32} {t.username:<16} {t.prefix:<15} {_when(t.created_at):<17} "
            f"{_when(t.expires_at) or 'never':<17} {_when(t.revoked_at) or '-'}"
        )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str | None, typer.Argument(help="a token id from `katchi token list`")] = None,
    user: Annotated[str | None, typer.Option("--user", help="revoke every token of this user")] = None,
) -> None:
    """Revoke one token, or every token of a user; servers refuse it within seconds."""
    from katchi.accounts import revoke_token, revoke_user_tokens

    if (token_id is None) == (user is None):
        raise _fail("give either a TOKEN_ID or --user NAME", 2)
    if user is not None:
        count = _run(lambda s, ctx: revoke_user_tokens(s, ctx, user))
        typer.echo(f"{count} token(s) of {user} revoked")
        return
    assert token_id is not None
    info = _run(lambda s, ctx: revoke_token(s, ctx, token_id))
    typer.echo(f"token {info.id} ({info.prefix}…) of {info.username} revoked")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%MZ") if moment else ""


@seed_app.command("demo")
def seed_demo() -> None:
    """Seed ROK/US/civilian organisations, users, assets and a demo operation; print the logins."""
    from katchi.cli.seed import seed

    _run(lambda s, ctx: seed(s, ctx, echo=typer.echo))


@audit_app.command("verify")
def audit_verify(
    checkpoint: Annotated[
        Path | None, typer.Option(help="A checkpoint file the log must still extend (from `katchi audit checkpoint`)")
    ] = None,
) -> None:
    """Recompute the event log's hash chain; exit 1 naming the first bad seq (or why the log no
    longer extends the checkpoint)."""
    from katchi.eventlog import verify_log
    from katchi.eventlog.checkpoint import CheckpointError, read_checkpoint, verify_extends

    db = _database()
    try:
        if checkpoint is None:
            result = verify_log(db)
        else:
            try:
                result = verify_extends(db, read_checkpoint(checkpoint.read_text()))
            except (CheckpointError, OSError) as exc:
                typer.echo(f"error: {checkpoint}: {exc}", err=True)
                raise typer.Exit(2) from None
    finally:
        db.dispose()
    if result.ok:
        anchored = f", extends the checkpoint {checkpoint}" if checkpoint else ""
        typer.echo(f"ok: {result.checked} entries, hash chain intact{anchored}")
        return
    typer.echo(f"FAILED at seq {result.bad_seq}: {result.reason} ({result.checked} entries verified before it)")
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    out: Annotated[Path | None, typer.Option(help="Also write it to this file")] = None,
) -> None:
    """Print the log's head signed with this node's Ed25519 key (KATCHI_AUDIT_KEY, by default
    ~/.config/katchi/audit-ed25519.pem, created on first use): keep it elsewhere, or hand it to a
    partner; `katchi audit verify --checkpoint FILE` later proves the log still extends it."""
    from katchi.eventlog.checkpoint import CheckpointError, default_key_path, dumps, make_checkpoint, node_key

    db = _database()
    try:
        key = node_key(default_key_path(), get_settings().database_url)
        line = dumps(make_checkpoint(db, key))
    except CheckpointError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    if out is not None:
        out.write_text(line + "\n")
    typer.echo(line)


@positions_app.command("prune")
def positions_prune() -> None:
    """Thin tracks older than KATCHI_POSITIONS_FULL_HOURS to one point per
    KATCHI_POSITIONS_THIN_MINUTES and drop points older than KATCHI_POSITIONS_KEEP_DAYS (the
    server does this every hour)."""
    from datetime import timedelta

    from katchi.assets import prune_positions
    from katchi.core.clock import utcnow

    s = get_settings()
    removed = _run(
        lambda session, ctx: prune_positions(
            session,
            utcnow(),
            full=timedelta(hours=s.positions_full_hours),
            keep=timedelta(days=s.positions_keep_days),
            every=timedelta(minutes=s.positions_thin_minutes),
        )
    )
    typer.echo(f"{removed} track point(s) removed")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    log_level: Annotated[str, typer.Option()] = "info",
) -> None:
    """Serve the API, live streams and (later) the web console."""
    import uvicorn

    from katchi.web import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level=log_level, access_log=False)


def main() -> None:
    app()


@notifications_app.command("sweep")
def notifications_sweep() -> None:
    """Report open RFAs newly past their needed-by time (each operation by its own clock, an
    exercise's simulated time), once per RFA; the server does this every
    KATCHI_NOTIFICATION_SWEEP_SECONDS."""
    from katchi import notifications
    from katchi.core.context import Context
    from katchi.core.errors import DomainError
    from katchi.eventlog import transaction
    from katchi.exercises import exercise_time

    settings = get_settings()
    notifications.mail.configure(settings)
    db = _database()
    try:
        with transaction(db) as session:
            found = notifications.sweep_overdue(session, Context(None, source="cli", timekeeper=exercise_time))
    except DomainError as exc:
        raise _fail(exc.detail) from None
    finally:
        db.dispose()
        notifications.mail.shutdown()
    typer.echo(f"{found.overdue} RFA(s) newly overdue")
