"""``katchi exercise``: validate scenarios, run them headless, or play them live into a server."""

from __future__ import annotations

import dataclasses
import json
import signal
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import Annotated, Any

import typer

exercise_app = typer.Typer(no_args_is_help=True, help="Joint exercises: scenarios played into Katchi.")


def _scenario(path: Path, seed: int | None) -> Any:
    from katchi.core.errors import Invalid
    from katchi.exercises import load_scenario

    try:
        scenario = load_scenario(path)
    except (Invalid, OSError) as exc:
        typer.echo(f"error: {getattr(exc, 'detail', exc)}", err=True)
        raise typer.Exit(2) from None
    return scenario if seed is None else scenario.model_copy(update={"seed": seed})


def _minutes(value: str | None) -> float | None:
    from katchi.exercises import parse_duration

    if value is None:
        return None
    try:
        return parse_duration(value).total_seconds() / 60
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _policy(name: str) -> str:
    from katchi.exercises.policies import make_policy

    try:
        return make_policy(name).name
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@exercise_app.command("validate")
def validate(scenarios: list[Path]) -> None:
    """Check scenario files: ``PATH<TAB>valid`` or ``PATH<TAB>invalid<TAB>reason``; exit 1 if any is invalid."""
    from katchi.core.errors import Invalid
    from katchi.exercises import load_scenario

    bad = 0
    for path in scenarios:
        try:
            load_scenario(path)
            typer.echo(f"{path}\tvalid")
        except (Invalid, OSError) as exc:
            bad += 1
            reason = str(getattr(exc, "detail", exc)).replace("\n", "; ")
            typer.echo(f"{path}\tinvalid\t{reason}")
    raise typer.Exit(1 if bad else 0)


@exercise_app.command("run")
def run(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO")],
    headless: Annotated[bool, typer.Option("--headless/--no-headless", help="Run as fast as possible.")] = True,
    policy: Annotated[str, typer.Option(help="none | greedy (nearest-available) | optimal")] = "nearest-available",
    until: Annotated[str | None, typer.Option(help="Simulated time to run, e.g. 72h (default: the scenario's)")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the after-action report (HTML and PDF) here")] = None,
    database: Annotated[
        str | None, typer.Option(help="Database URL to play into (default: a fresh temporary SQLite file)")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's random seed")] = None,
    engine_only: Annotated[bool, typer.Option(help="Run the model without writing to Katchi")] = False,
) -> None:
    """Play a scenario headless through Katchi's commands and print one JSON line of metrics."""
    import katchi.tables  # noqa: F401  (every table and its hooks, such as the search index's)
    from katchi.exercises.run import run_engine_only, run_headless

    if not headless:
        typer.echo("error: use `katchi exercise start` to play a scenario live", err=True)
        raise typer.Exit(2)
    scenario = _scenario(scenario_path, seed)
    name = _policy(policy)
    if engine_only:
        result = run_engine_only(scenario, name, _minutes(until))
    else:
        result = run_headless(scenario, name, until_min=_minutes(until), database_url=database)
    if report is not None:
        from katchi.exercises.report import write_report

        html, pdf = write_report(result, report)
        typer.echo(f"report: {html} {pdf}", err=True)
    typer.echo(json.dumps(result.metrics, ensure_ascii=False))


def _slugs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


_HELP = "commands: pause | resume | speed N | jump 6h | status | quit"
#: How often (simulated minutes) the simulator looks for requests people made of the owners it plays.
ADOPT_EVERY_MIN = 2.0
#: How often (wall seconds) the live run reads the MSEL for injects that have come due.
MSEL_EVERY_S = 1.0


def _read_commands(commands: Queue[str]) -> None:
    for line in sys.stdin:
        commands.put(line.strip())


def _follow_requests(db: Any, operation_id: str, after_seq: int, commands: Queue[str], stop: threading.Event) -> None:
    """Clock requests made through the API (a controller's console) join the terminal's commands."""
    from katchi.exercises.queries import clock_requests

    last = after_seq
    while not stop.wait(0.5):
        try:
            with db.read() as session:
                requests = clock_requests(session, operation_id, last)
        except Exception as exc:  # the database is busy or away: ask again
            typer.echo(f"could not read clock requests: {exc}", err=True)
            continue
        for seq, command in requests:
            commands.put(command)
            last = seq


@exercise_app.command("start")
def start(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO")],
    operation: Annotated[str, typer.Option(help="Name of the exercise operation to create")],
    speed: Annotated[float, typer.Option(help="Simulated seconds per wall second")] = 60.0,
    policy: Annotated[str, typer.Option(help="none | greedy (nearest-available) | optimal")] = "nearest-available",
    until: Annotated[str | None, typer.Option(help="Simulated time to play (default: the scenario's)")] = None,
    seed: Annotated[int | None, typer.Option(help="Override the scenario's random seed")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the after-action report here at the end")] = None,
    participants: Annotated[
        str, typer.Option(help="More organisations (slugs, comma-separated) whose people join the exercise")
    ] = "",
    play: Annotated[
        str,
        typer.Option(
            help="Scenario organisations (slugs, comma-separated) that people play: the simulator never acts "
            "for them (if one coordinates, it validates and tasks nothing) and plays the others"
        ),
    ] = "",
    coordinators: Annotated[
        str,
        typer.Option(
            help="Co-coordinating organisations (slugs, comma-separated, participants): their coordinators "
            "validate and task requests with the scenario's lead"
        ),
    ] = "",
) -> None:
    """Play a scenario live into the database a running server uses (KATCHI_DATABASE_URL).

    Reads clock commands from standard input: pause, resume, speed N, jump 6h, status, quit.
    """
    from katchi.cli.app import _database
    from katchi.core.errors import DomainError
    from katchi.eventlog import transaction
    from katchi.exercises.live import ExerciseClock, play_live
    from katchi.exercises.metrics import from_log
    from katchi.exercises.platform import ServiceSink, setup_world
    from katchi.exercises.prepare import hospitals_of, prepare, units_of
    from katchi.exercises.queries import latest_seq
    from katchi.exercises.run import RunResult, engine_for, metrics_of, objective_results

    scenario = _scenario(scenario_path, seed)
    name = _policy(policy)
    if speed <= 0:
        raise typer.BadParameter("speed must be positive")
    prepared = prepare(scenario, _minutes(until))
    units, hospitals = units_of(scenario), hospitals_of(scenario)
    played = frozenset(_slugs(play))
    unknown = played - {o.slug for o in scenario.organisations}
    if unknown:
        raise typer.BadParameter(f"--play names organisations the scenario does not have: {', '.join(sorted(unknown))}")
    db = _database()
    extra = _slugs(participants)
    try:
        with transaction(db) as session:
            world = setup_world(
                session,
                scenario,
                operation,
                units,
                hospitals,
                also_participating=extra,
                co_coordinators=_slugs(coordinators),
            )
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    with db.read() as session:
        start_seq = latest_seq(session)
    sink = ServiceSink(db, world, batch=500, people=True)
    engine = engine_for(
        prepared,
        name,
        sink,
        units,
        hospitals,
        played=played,
        coordination_played=bool(played & set(world.coordinators)),
        adopt_every_min=ADOPT_EVERY_MIN,
        injects=(),  # read from the MSEL as the clock reaches them: controllers change it live
    )
    clock = ExerciseClock(speed)
    stop = threading.Event()
    commands: Queue[str] = Queue()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if sys.stdin is not None:
        threading.Thread(target=_read_commands, args=(commands,), daemon=True).start()
    threading.Thread(
        target=_follow_requests, args=(db, world.operation_id, start_seq, commands, stop), daemon=True
    ).start()
    last_hour = [0]
    msel_read = [0.0]

    def tick() -> None:
        try:
            while True:
                _apply(commands.get_nowait(), clock, sink, scenario.name, stop)
        except Empty:
            pass
        if time.monotonic() - msel_read[0] >= MSEL_EVERY_S:
            msel_read[0] = time.monotonic()
            try:
                for inject in sink.due_deliveries(clock.now()):
                    engine.schedule_inject(inject)
            except Exception as exc:  # the database is busy or away: read it next time
                typer.echo(f"could not read the MSEL: {exc}", err=True)
        hour = int(engine.now // 60)
        if hour > last_hour[0]:
            last_hour[0] = hour
            done = sum(1 for n in prepared.needs if n.completed_at is not None)
            arisen = sum(1 for n in prepared.needs if n.at <= engine.now)
            people = sum(engine.skipped.values()) + engine.left_to_people + engine.units_taken
            typer.echo(
                f"T+{hour}h  needs reported {arisen}  met {done}  by people first {people}  speed {clock.speed:g}x",
                err=True,
            )

    typer.echo(f"operation {world.operation_id}: {operation} — playing {scenario.name} at {speed:g}x", err=True)
    typer.echo(_HELP, err=True)
    sink.clock(0.0, "running", speed, scenario.name)
    t0 = time.perf_counter()
    lags: list[float] = []
    try:
        reached = play_live(engine, clock, stop=stop, on_tick=tick, lags=lags)
    except BaseException:
        # A run that failed is no longer being played: say so, or every console shows it LIVE.
        sink.discard()
        sink.clock(min(engine.now, engine.until_min), "ended", clock.speed, scenario.name)
        raise
    sink.clock(reached, "ended", clock.speed, scenario.name)
    sink.close()
    with db.read() as session:
        times, incidents = from_log(session, world.operation_id, world.start)
    # Quit early: the metrics and the report cover what was played, not the planned length.
    prepared = dataclasses.replace(prepared, until_min=reached)
    result = RunResult(
        metrics_of(scenario, name, prepared, engine, times, time.perf_counter() - t0, incidents=incidents),
        prepared,
        units,
        hospitals,
        times,
    )
    result.metrics["operation_id"] = world.operation_id
    result.metrics["refused_commands"] = sink.refused
    result.metrics.update(lag_figures(lags))
    sink.results(reached, result.metrics, objective_results(scenario, result.metrics))
    if report is not None:
        from sqlalchemy import select

        from katchi.accounts import Organisation, stand_in
        from katchi.exercises.aar import evaluation_of
        from katchi.exercises.report import write_report

        # Observations and the improvement plan as the exercise's lead organisation reads them.
        with db.read() as session:
            lead = session.scalar(select(Organisation).where(Organisation.slug == world.lead))
            assert lead is not None
            evaluation = evaluation_of(session, stand_in(lead), world.operation_id)
        write_report(result, report, evaluation)
    db.dispose()
    typer.echo(json.dumps(result.metrics, ensure_ascii=False))


def lag_figures(lags: list[float]) -> dict[str, float | None]:
    """How far behind its clock the engine played its events (wall seconds): p50, p99, max."""
    if not lags:
        return {"clock_lag_p50_s": None, "clock_lag_p99_s": None, "clock_lag_max_s": None}
    ordered = sorted(lags)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"clock_lag_p50_s": pick(0.5), "clock_lag_p99_s": pick(0.99), "clock_lag_max_s": round(ordered[-1], 3)}


def _apply(command: str, clock: Any, sink: Any, scenario: str, stop: threading.Event) -> None:
    from katchi.exercises import parse_duration

    words = command.split()
    if not words:
        return
    verb, args = words[0].lower(), words[1:]
    try:
        if verb == "pause":
            clock.pause()
        elif verb == "resume":
            clock.resume()
        elif verb == "speed" and args:
            clock.set_speed(float(args[0]))
        elif verb == "jump" and args:
            clock.jump(parse_duration(args[0]).total_seconds() / 60)
        elif verb == "quit":
            stop.set()
            return
        elif verb != "status":
            typer.echo(_HELP, err=True)
            return
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        return
    state = "paused" if clock.paused else "running"
    if verb != "status":
        sink.clock(clock.now(), state, clock.speed, scenario)
    typer.echo(f"clock: T+{clock.now() / 60:.2f}h {state} at {clock.speed:g}x", err=True)
