"""Playing a run into Katchi in-process: set up the exercise's world, then turn the engine's actions
into domain commands (the same functions the API calls), committed in batches.

Everything the engine creates lives in an operation in ``exercise`` mode; the assets it registers
carry ``[EX]`` in their names, and every log entry has source ``sim``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from katchi.accounts import (
    Organisation,
    OrganisationCreate,
    User,
    UserCreate,
    add_org,
    add_user,
    principal_for_user,
    principal_of,
)
from katchi.assets import EXERCISE_PREFIX, AssetCreate, AssetUpdate, register_asset, update_asset, visible_asset
from katchi.cop import (
    FacilityCreate,
    FacilityUpdate,
    IncidentCreate,
    IncidentUpdate,
    add_facility,
    report_incident,
    update_facility,
    update_incident,
)
from katchi.core.access import Principal, Role, can_read
from katchi.core.context import Context
from katchi.core.errors import DomainError, NotFound
from katchi.core.geo import centre_of
from katchi.db import Database
from katchi.eventlog import before_commit, in_savepoint, take_write_lock
from katchi.exercises.engine import Delivery, Hospital, Outcome, Unit
from katchi.exercises.models import ExerciseInject
from katchi.exercises.msel import SIMULATOR, deliver_inject, delivery_label, due_injects, load_msel
from katchi.exercises.needs import Need, NeedKind
from katchi.exercises.prepare import lead_org
from katchi.exercises.scenario import Scenario
from katchi.exercises.service import record_clock, record_results
from katchi.operations import (
    OperationCreate,
    create_operation,
    scoped,
    scoped_get,
    visible_operation,
)
from katchi.tasking import (
    TRANSITIONS,
    Rfa,
    RfaAction,
    RfaActionBody,
    RfaCreate,
    RfaState,
    Tasking,
    act_on_rfa,
    create_rfa,
)

SOURCE = SIMULATOR
#: States from which the simulated coordinator may task a request.
_TASKABLE = TRANSITIONS[RfaAction.task].sources
#: States of a request while its tasking is on its way to being done.
_UNDER_OUR_TASKING = frozenset({RfaState.tasked, RfaState.accepted, RfaState.underway})
log = logging.getLogger(__name__)
#: What the simulated owner does for a request people wrote themselves: an hour's work on site.
PEOPLES_REQUEST = NeedKind("request", "Request", "요청", "other", "medium", "moderate", 0.0, 60.0, 0.0)


def point(lon: float, lat: float) -> dict[str, object]:
    return {"type": "Point", "coordinates": [lon, lat]}


@dataclass
class SimWorld:
    """Who acts for each organisation in the exercise, and the operation it plays into."""

    operation_id: str
    start: datetime
    principals: dict[str, Principal]
    lead: str
    centre: tuple[float, float]
    hospitals: dict[str, str] = field(default_factory=dict)
    #: The organisations that coordinate the exercise operation (the lead first).
    coordinators: tuple[str, ...] = ()
    #: The scenario's injects as loaded into the exercise's MSEL, in order.
    msel: list[Delivery] = field(default_factory=list)

    def ctx(self, org: str, t: float) -> Context:
        return Context(self.principals[org], source=SOURCE, now=self.start + timedelta(minutes=t))


def _principal(session: Session, ctx: Context, slug: str) -> Principal:
    """The exercise user ``sim-<org>`` (a coordinator of that organisation), created once."""
    username = f"sim-{slug}"
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        add_user(session, ctx, UserCreate(username=username, org=slug, role=Role.coordinator, display_name=username))
        session.flush()
        user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    org = session.get(Organisation, user.org_id)
    assert org is not None
    return principal_of(user, org)


def setup_world(
    session: Session,
    scenario: Scenario,
    operation_name: str,
    units: list[Unit],
    hospitals: list[Hospital],
    *,
    start: datetime | None = None,
    also_participating: tuple[str, ...] = (),
    co_coordinators: tuple[str, ...] = (),
) -> SimWorld:
    """Create (or reuse) the scenario's organisations, users and assets, open the exercise
    operation with its facilities, and fill in each unit's and hospital's ``handle``.

    ``also_participating``: organisations already in the database whose people join the exercise
    (players and observers beside the simulated ones); ``co_coordinators``: those of them whose
    coordinators validate and task requests with the scenario's lead."""
    start = start or scenario.start
    system = Context(None, source=SOURCE, now=start)
    for o in scenario.organisations:
        if session.scalar(select(Organisation.id).where(Organisation.slug == o.slug)) is None:
            add_org(
                session,
                system,
                OrganisationCreate(slug=o.slug, name_en=o.name_en, name_ko=o.name_ko, nation=o.nation, kind=o.kind),
            )
    session.flush()
    principals = {o.slug: _principal(session, system, o.slug) for o in scenario.organisations}
    lead = lead_org(scenario)
    h = scenario.hazard
    centre = (h.epicentre.lon, h.epicentre.lat) if h.kind == "earthquake" else _centre_of(scenario)
    coordinators = tuple(dict.fromkeys([lead, *scenario.coordinators, *co_coordinators]))
    world = SimWorld("", start, principals, lead, centre, coordinators=coordinators)
    op = create_operation(
        session,
        world.ctx(lead, 0),
        OperationCreate(
            name=operation_name,
            mode="exercise",
            hazard=h.kind,
            participants=[o.slug for o in scenario.organisations] + list(also_participating),
            lead=lead,
            coordinators=list(coordinators),
            description=f"EXERCISE · {scenario.name} / {scenario.name_ko} (seed {scenario.seed})",
        ),
    )
    world.operation_id = op.id
    labels = {(a.org, a.name): a.label for a in scenario.assets}
    for u in units:  # each exercise plays twins of its own: real assets are never touched
        name = EXERCISE_PREFIX + u.name
        spec = next(a for a in scenario.assets if a.org == u.org and u.name.startswith(a.name))
        asset = register_asset(
            session,
            world.ctx(u.org, 0),
            AssetCreate(
                name=name,
                capability=u.capability,
                capacity=spec.capacity,
                location=point(u.lon, u.lat),
                label=labels[(spec.org, spec.name)],
                home_base=f"{u.lon:.4f},{u.lat:.4f}",
                speed_kmh=u.speed_kmh,
            ),
            operation_id=op.id,
        )
        u.handle = asset.id
    for f in scenario.facilities:
        fac = add_facility(
            session,
            world.ctx(lead, 0),
            op.id,
            FacilityCreate(
                kind=f.kind, name=f.name, capacity=f.capacity, location=point(f.location.lon, f.location.lat)
            ),
        )
        world.hospitals[f.name] = fac.id
    for hosp in hospitals:
        hosp.handle = world.hospitals.get(hosp.name)
    ids = load_msel(session, world.ctx(lead, 0), op.id, scenario.injects, scenario.objectives)
    world.msel = [
        Delivery(i.at, i.kind, i.title, {k: v for k, v in i.payload.items() if k != "position"}, i.label, id=ref)
        for i, ref in zip(scenario.injects, ids, strict=True)
    ]
    return world


def delivery_of(row: ExerciseInject, start: datetime) -> Delivery:
    """An MSEL row as the engine plays it."""
    return Delivery(row.at - start, row.kind, row.title, dict(row.effects), row.label, id=row.id)


def _centre_of(scenario: Scenario) -> tuple[float, float]:
    h = scenario.hazard
    pts = [p for _, p in h.track] if h.kind == "typhoon" else list(h.centreline)  # type: ignore[union-attr]
    return (sum(p.lon for p in pts) / len(pts), sum(p.lat for p in pts) / len(pts))


def _title(need: Need) -> str:
    return f"{need.kind.title_en} / {need.kind.title_ko} · {need.district_en} {need.district_ko} ({need.people})"


class ServiceSink:
    """Runs each engine action as a domain command; commits every ``batch`` commands and on flush.

    People act in the same operation while it plays: before each step of a request the sink reads
    the request's state as it is now and answers an ``Outcome`` (taken, already taken by people,
    taken over by people, unit busy) instead of assuming the engine's own picture is true. A batch
    takes the log's write lock first, like every writer, so people's commands wait for it to commit
    (live mode commits whenever the clock waits) and then read what it did."""

    def __init__(self, db: Database, world: SimWorld, *, batch: int = 5000, people: bool = False) -> None:
        self.db = db
        self.world = world
        self.batch = batch
        #: Whether people act in the operation too (a live exercise): then each step reads what they
        #: did first, each command runs in its own savepoint and a refusal is skipped. A headless run
        #: is alone: the state is what the simulator made it, and a refusal is a bug that stops it.
        self.people = people
        self.commands = 0
        #: Commands a rule refused (and that were undone alone): people changed what they relied on.
        self.refused = 0
        self._session: Session | None = None
        self._pending = 0
        #: MSEL injects handed to the engine and not yet delivered (or given back).
        self.in_flight: set[str] = set()

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = session = self.db.write_session()
            # The identity map holds objects weakly, so an RFA created a minute (of simulation) ago
            # would be read back from the database at its next step; keep them for the batch.
            refs: list[object] = []
            event.listen(session, "pending_to_persistent", lambda _s, obj: refs.append(obj))
            event.listen(session, "loaded_as_persistent", lambda _s, obj: refs.append(obj))
            session.begin()
            # Held until the batch commits: people's commands queue behind it, so what the sink
            # reads stays true until then (and nobody deadlocks with it).
            take_write_lock(session)
        return self._session

    def _done(self) -> None:
        self.commands += 1
        self._pending += 1
        if self._pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self._session is None:
            return
        try:
            before_commit(self._session)
            self._session.commit()
        finally:
            self._session.close()
            self._session = None
            self._pending = 0

    def close(self) -> None:
        self.flush()

    def discard(self) -> None:
        """Drop the batch in progress (after a failure), so what follows starts on a clean one."""
        if self._session is not None:
            self._session.rollback()
            self._session.close()
            self._session = None
            self._pending = 0

    def clock(self, t: float, state: str, speed: float, scenario: str) -> None:
        """Record the exercise clock (live mode) so consoles can show simulated time."""
        w = self.world
        record_clock(
            self.session,
            w.ctx(w.lead, t),
            w.operation_id,
            state=state,  # type: ignore[arg-type]
            sim_time=w.start + timedelta(minutes=t),
            speed=speed,
            scenario=scenario,
        )
        self._done()
        self.flush()

    def results(self, t: float, metrics: dict[str, Any], objectives: list[dict[str, Any]]) -> None:
        """Record what the run measured, for the after-action report (after the run's last batch)."""
        w = self.world
        record_results(
            self.session,
            w.ctx(w.lead, t),
            w.operation_id,
            reached=w.start + timedelta(minutes=t),
            metrics=metrics,
            objectives=objectives,
        )
        self._done()
        self.flush()

    # --- engine actions ---------------------------------------------------------------------

    def report_need(self, t: float, need: Need) -> None:
        w = self.world
        ctx = w.ctx(w.lead, t)
        title = _title(need)
        incident = report_incident(
            self.session,
            ctx,
            w.operation_id,
            IncidentCreate(
                kind=need.kind.incident_kind,
                title=title,
                severity=need.kind.severity,
                location=point(need.lon, need.lat),
                people_affected=need.people,
                **({need.kind.impact: need.people} if need.kind.impact else {}),
            ),
        )
        self._done()
        rfa = create_rfa(
            self.session,
            ctx,
            w.operation_id,
            RfaCreate(
                title=title,
                capability=need.capability,
                quantity=need.people,
                location=point(need.lon, need.lat),
                priority=need.priority,
                description=f"incident {incident.id}",
                submit=True,
            ),
        )
        self._done()
        need.incident, need.rfa = incident.id, rfa.id

    # --- what people did meanwhile ------------------------------------------------------------

    def _now(
        self, ctx: Context, need: Need, alone: RfaState, asset: str | None = None
    ) -> tuple[str | None, str | None]:
        """The request's state and the asset it is tasked to, as ``ctx``'s organisation may read
        them now (through the access rule everyone reads through); ``(None, None)`` if it may not.
        The batch holds the log's write lock, so nobody changes them while it runs. In a run without
        people (headless) they are what the simulator made them: ``alone`` and ``asset``."""
        assert need.rfa is not None
        if not self.people:
            return alone, asset
        try:
            rfa, _view = scoped_get(self.session, Rfa, ctx.principal, need.rfa, "RFA")
        except NotFound:
            return None, None
        tasking = self.session.get(Tasking, rfa.current_tasking_id) if rfa.current_tasking_id else None
        return rfa.state, tasking.asset_id if tasking is not None else None

    def unit_free(self, unit: Unit) -> bool:
        assert unit.handle is not None
        try:
            asset, _org = visible_asset(self.session, self.world.principals[unit.org], unit.handle)
        except NotFound:
            return False
        return asset.status == "available"

    def tasked_by_people(self, t: float, units: dict[str, Unit], needs: dict[str, Need]) -> list[tuple[Need, Unit]]:
        """Requests people tasked to units the simulator plays, still waiting for the owner: read
        as each owner organisation reads its taskings (the access rule), only in a live run. A
        request people wrote themselves (not one of ``needs``) becomes a need of its own, so the
        simulated owner answers it as it answers the scenario's."""
        if not self.people:
            return []
        found: list[tuple[Need, Unit]] = []
        by_org: dict[str, list[str]] = {}
        for handle, unit in units.items():
            by_org.setdefault(unit.org, []).append(handle)
        for org, handles in by_org.items():
            principal = self.world.principals[org]
            try:
                view = visible_operation(self.session, principal, self.world.operation_id)
            except NotFound:
                continue
            waiting, _ = scoped(
                self.session,
                Tasking,
                principal,
                view,
                cursor=None,
                limit=len(handles) * 4,
                where=(Tasking.status == "tasked", Tasking.asset_id.in_(handles)),
            )
            for tasking in waiting:
                if tasking.asset_id not in units:
                    continue
                need = needs.get(tasking.rfa_id) or self._request_of_people(t, principal, tasking.rfa_id)
                if need is not None:
                    found.append((need, units.pop(tasking.asset_id)))
        return found

    def _request_of_people(self, t: float, owner: Principal, rfa_id: str) -> Need | None:
        """A need for a request people wrote, as its owner reads it (its place and quantity)."""
        try:
            rfa, _view = scoped_get(self.session, Rfa, owner, rfa_id, "RFA")
        except NotFound:
            return None
        lon, lat = centre_of(rfa.location)
        return Need(-1, PEOPLES_REQUEST, rfa.capability, t, lon, lat, "", "", rfa.quantity, rfa=rfa.id)

    def _safely(self, command: Callable[[], object]) -> bool:
        """Run one command; with people about, in a savepoint. Should a rule still say no (people
        changed something the re-read did not foresee), that command alone is undone, the refusal is
        reported, and the run goes on: nothing people do in an exercise may stop it."""
        if not self.people:
            command()
            self._done()
            return True
        try:
            with in_savepoint(self.session):
                command()
        except DomainError as exc:
            self.refused += 1
            log.warning("exercise: the simulator's action was refused and skipped: %s", exc.detail)
            return False
        self._done()
        return True

    def _act(self, ctx: Context, need: Need, action: RfaAction, body: RfaActionBody | None = None) -> bool:
        assert need.rfa is not None
        rfa_id = need.rfa
        return self._safely(lambda: act_on_rfa(self.session, ctx, rfa_id, action, body or RfaActionBody()))

    # --- a request's life, each step judged on the platform's state --------------------------

    def validate(self, t: float, need: Need) -> Outcome:
        ctx = self.world.ctx(self.world.lead, t)
        state, _asset = self._now(ctx, need, RfaState.submitted)
        if state == RfaState.submitted:
            return Outcome.done if self._act(ctx, need, RfaAction.validate) else Outcome.gone
        return Outcome.already if state in _TASKABLE else Outcome.gone

    def task(self, t: float, need: Need, unit: Unit) -> Outcome:
        ctx = self.world.ctx(self.world.lead, t)
        state, _asset = self._now(ctx, need, RfaState.validated)
        if state not in _TASKABLE:
            return Outcome.gone
        if self.people and not self.unit_free(unit):
            return Outcome.busy
        why = "no civilian asset of this capability is available (nearest-available policy)" if unit.military else ""
        body = RfaActionBody(asset_id=unit.handle, justification=why)
        return Outcome.done if self._act(ctx, need, RfaAction.task, body) else Outcome.busy

    def depart(self, t: float, need: Need, unit: Unit) -> Outcome:
        """The owner accepts and sets off: each step taken unless people took it already."""
        ctx = self.world.ctx(unit.org, t)
        outcome = Outcome.already
        for action, source in ((RfaAction.accept, RfaState.tasked), (RfaAction.start, RfaState.accepted)):
            state, asset = self._now(ctx, need, source, unit.handle)
            if asset != unit.handle or state not in _UNDER_OUR_TASKING:
                return Outcome.gone
            if state == source:
                if not self._act(ctx, need, action):
                    return Outcome.gone
                outcome = Outcome.done
        return outcome

    def arrive(self, t: float, need: Need, unit: Unit) -> Outcome:
        ctx = self.world.ctx(unit.org, t)
        state, asset = self._now(ctx, need, RfaState.underway, unit.handle)
        if asset != unit.handle or state not in (RfaState.underway, RfaState.completed):
            return Outcome.gone
        assert unit.handle is not None
        handle, where = unit.handle, AssetUpdate(location=point(unit.lon, unit.lat))
        self._safely(lambda: update_asset(self.session, ctx, handle, where))
        return Outcome.done

    def complete(self, t: float, need: Need, unit: Unit) -> Outcome:
        ctx = self.world.ctx(unit.org, t)
        state, asset = self._now(ctx, need, RfaState.underway, unit.handle)
        if asset != unit.handle:
            return Outcome.gone
        if state == RfaState.completed:
            return Outcome.already
        if state != RfaState.underway:
            return Outcome.gone
        reason = f"rescued alive: {need.rescued} of {need.people}" if need.kind.key in ("sar", "water_rescue") else ""
        if not self._act(ctx, need, RfaAction.complete, RfaActionBody(reason=reason)):
            return Outcome.gone
        incident = need.incident
        if incident is None:  # a request people wrote: its incident, if any, is theirs to close
            return Outcome.done
        closed = IncidentUpdate(status="closed", people_affected=need.people - need.rescued if need.rescued else None)
        self._safely(lambda: update_incident(self.session, self.world.ctx(self.world.lead, t), incident, closed))
        return Outcome.done

    def _author(self, row: ExerciseInject, label: str) -> Principal | None:
        """Who delivers an inject under ``label``: the lead, unless the label hides it from the
        lead; then an organisation the simulator plays that may read it (a nation:USA inject is
        delivered by a US participant); else the controller who wrote it."""
        w = self.world
        for slug in (w.lead, *w.principals):
            if can_read(w.principals[slug], label, participant=True):
                return w.principals[slug]
        return principal_for_user(self.session, row.created_by)

    def due_deliveries(self, until_min: float) -> list[Delivery]:
        """Pending MSEL injects due by ``until_min`` that the engine does not have yet: live runs
        ask every second, so controllers' holds, edits and ad-hoc injects take effect."""
        w = self.world
        with self.db.read() as session:
            rows = due_injects(session, w.operation_id, w.start + timedelta(minutes=until_min))
            due = [delivery_of(r, w.start) for r in rows if r.id not in self.in_flight]
        self.in_flight.update(d.id for d in due if d.id)
        return due

    def inject(self, t: float, inject: Delivery) -> bool:
        """Deliver an MSEL inject, and put it on the map when it has a place; False when it was
        held, delivered or moved later since the engine was given it."""
        w = self.world
        assert inject.id is not None, "a run into Katchi plays the MSEL it loaded"
        self.in_flight.discard(inject.id)
        row = self.session.get(ExerciseInject, inject.id)
        if row is None:
            return False
        to = self.session.get(Organisation, row.to_org_id) if row.to_org_id else None
        label = delivery_label(row.label, to.slug if to else None)
        author = self._author(row, label)
        if author is None:
            return False
        ctx = Context(author, source=SOURCE, now=w.start + timedelta(minutes=t))
        ref = inject.id
        delivered: list[object] = []
        self._safely(lambda: delivered.append(deliver_inject(self.session, ctx, ref)))
        if not delivered or delivered[0] is None:
            return False
        if row.location is not None:
            where = row.location
            incident = IncidentCreate(
                kind=row.kind.replace("-", "_"),
                title=row.title,
                severity=row.effects.get("severity", "severe"),
                location=where,
                label=label,
            )
            self._safely(lambda: report_incident(self.session, ctx, w.operation_id, incident))
        return True

    def hospital_overloaded(self, t: float, hospital: Hospital) -> None:
        w = self.world
        report_incident(
            self.session,
            w.ctx(w.lead, t),
            w.operation_id,
            IncidentCreate(
                kind="hospital_overload",
                title=f"{hospital.name}: casualties exceed surge capacity / 병원 수용 한계 초과 ({hospital.occupancy})",
                severity="severe",
                location=point(hospital.lon, hospital.lat),
                people_affected=hospital.occupancy,
            ),
        )
        self._done()
        if hospital.handle is not None:  # the map shows the hospital full
            update_facility(
                self.session,
                w.ctx(w.lead, t),
                hospital.handle,
                FacilityUpdate(status="full", occupancy=hospital.occupancy, beds_available=0),
            )
            self._done()
