"""Every registered event kind is produced by a command, each command writes exactly one entry in its
own transaction, and every stored payload validates against its kind's model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import katchi.tables  # noqa: F401
from katchi import accounts, assets, cop, exercises, lessons, notifications, operations, planning, reports, tasking
from katchi.accounts import User, principal_for_token, principal_for_user
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import REGISTRY, LogEntry, transaction, verify_log
from katchi.exercises.scenario import Inject, Objective
from katchi.interop.tak import assign_device, register_device, set_device_label
from tests.support.api import point
from tests.support.world import World


def test_every_event_kind_is_emitted_once_per_command(db: Database, world: World) -> None:
    def as_(user: str) -> Context:
        with db.read() as s:
            p = principal_for_token(s, world.tokens[user])
        return Context(p, source="test")

    emitted: list[str] = []

    def run(ctx: Context, fn: Callable[[Session, Context], Any]) -> Any:
        # Each command gets its own context, with the time it runs at, as each request does: a
        # context kept from earlier would act in the past (a slow step, such as loading the search
        # analyser, left a reused context seconds behind the exercise clock).
        ctx = Context(ctx.principal, source=ctx.source)
        with db.read() as s:
            before = s.scalar(select(func.count()).select_from(LogEntry))
        with transaction(db) as s:
            result = fn(s, ctx)
        with db.read() as s:
            new = s.scalars(select(LogEntry).order_by(LogEntry.seq).offset(before)).all()
        # One event per command, plus the asset status a tasking step moves (its readers may not
        # read the tasking, so the asset's change is its own event).
        moved = [e for e in new[:-1] if e.kind == "assets.asset.updated" and e.subject_type == "asset"]
        # Activating a plan creates one draft RFA per task, each its own record and event.
        if new[-1].kind == "planning.plan.activated":
            moved += [e for e in new[:-1] if e.kind == "tasking.rfa.created"]
        assert len(new) - len(moved) == 1, [e.kind for e in new]
        emitted.extend(e.kind for e in new)
        for e in new:
            REGISTRY[e.kind].payload.model_validate(e.payload)
        return result

    system = Context(None, source="test")
    run(
        system,
        lambda s, c: accounts.add_org(
            s, c, accounts.OrganisationCreate(slug="wfp", name_en="World Food Programme", nation="ITA", kind="io")
        ),
    )
    run(
        system, lambda s, c: accounts.add_user(s, c, accounts.UserCreate(username="wfp-user", org="wfp", role="viewer"))
    )
    run(system, lambda s, c: accounts.set_password(s, c, "wfp-user", "long enough password"))
    run(system, lambda s, c: accounts.create_token(s, c, "wfp-user"))
    run(system, lambda s, c: accounts.revoke_user_tokens(s, c, "wfp-user"))
    run(system, lambda s, c: accounts.record_login_failure(s, c, "wfp-user", "192.0.2.7"))
    with db.read() as s:
        verified = accounts.verify_login(s, "wfp-user", "long enough password")
    assert verified is not None
    opened = run(
        system, lambda s, c: accounts.open_web_session(s, c, "wfp-user", verified, lifetime=timedelta(hours=1))
    )
    run(system, lambda s, c: accounts.close_web_session(s, c, opened.token))
    run(system, lambda s, c: accounts.set_email(s, c, "wfp-user", "duty@wfp.example.org"))
    run(system, lambda s, c: accounts.disable_user(s, c, "wfp-user"))
    run(system, lambda s, c: accounts.enable_user(s, c, "wfp-user"))
    run(system, lambda s, c: accounts.set_role(s, c, "wfp-user", Role.contributor))

    coord, prov, usav = as_("coord"), as_("province"), as_("usav")
    op = run(
        coord,
        lambda s, c: operations.create_operation(
            s, c, operations.OperationCreate(name="op", hazard="flood", participants=["kor-province", "us-aviation"])
        ),
    )
    run(
        coord,
        lambda s, c: operations.set_coordinators(
            s, c, op.id, operations.CoordinatorsSet(coordinators=["kor-province"])
        ),
    )
    run(coord, lambda s, c: operations.post_log(s, c, op.id, operations.LogCreate(text="hello")))
    run(
        coord,
        lambda s, c: operations.record_decision(
            s,
            c,
            op.id,
            operations.DecisionCreate(
                title="Open shelter", rationale="Rain", links=[{"type": "operation", "id": op.id}]
            ),
        ),
    )
    msg = run(prov, lambda s, c: operations.post_message(s, c, op.id, operations.MessageCreate(text="hi")))
    run(coord, lambda s, c: operations.post_message(s, c, op.id, operations.MessageCreate(text="re", parent_id=msg.id)))
    inc = run(
        prov,
        lambda s, c: cop.report_incident(
            s,
            c,
            op.id,
            cop.IncidentCreate(kind="flood", title="Flooded underpass", severity="moderate", location=point()),
        ),
    )
    run(prov, lambda s, c: cop.update_incident(s, c, inc.id, cop.IncidentUpdate(severity="severe")))
    gym = run(
        prov,
        lambda s, c: cop.add_facility(
            s, c, op.id, cop.FacilityCreate(kind="shelter", name="Gym", capacity=300, location=point())
        ),
    )
    run(prov, lambda s, c: cop.update_facility(s, c, gym.id, cop.FacilityUpdate(status="full", occupancy=300)))
    lno = run(
        prov,
        lambda s, c: operations.add_contact(
            s, c, op.id, operations.ContactCreate(name="Kim", organisation="kor-province", phone="010-1234-5678")
        ),
    )
    run(prov, lambda s, c: operations.update_contact(s, c, lno.id, operations.ContactUpdate(languages=["ko", "en"])))
    run(prov, lambda s, c: operations.remove_contact(s, c, lno.id))
    heli = run(
        usav,
        lambda s, c: assets.register_asset(
            s, c, assets.AssetCreate(name="UH-60", capability="medium_helicopter", location=point())
        ),
    )
    run(usav, lambda s, c: assets.update_asset(s, c, heli.id, assets.AssetUpdate(location=point(127, 37))))

    def rfa() -> str:
        r = run(
            prov,
            lambda s, c: tasking.create_rfa(
                s, c, op.id, tasking.RfaCreate(title="lift", capability="medium_helicopter", location=point())
            ),
        )
        return r.id  # type: ignore[no-any-return]

    def act(ctx: Context, rfa_id: str, action: str, **body: Any) -> None:
        run(
            ctx, lambda s, c: tasking.act_on_rfa(s, c, rfa_id, tasking.RfaAction(action), tasking.RfaActionBody(**body))
        )

    a = rfa()
    for ctx, action in [(prov, "submit"), (coord, "validate")]:
        act(ctx, a, action)
    act(coord, a, "task", asset_id=heli.id)
    act(usav, a, "decline", reason="busy")
    act(coord, a, "task", asset_id=heli.id)
    for action in ["accept", "start", "complete"]:
        act(usav, a, action)
    b = rfa()
    act(prov, b, "submit")
    act(coord, b, "reject", reason="duplicate")
    # A caveat asking for national approval: the asset's nation approves, then denies a second request.
    caveats = assets.Caveats(national_approval=True)
    run(usav, lambda s, c: assets.update_asset(s, c, heli.id, assets.AssetUpdate(caveats=caveats)))
    with transaction(db) as s:
        accounts.add_user(s, system, accounts.UserCreate(username="us-approver", org="us-aviation", role="approver"))
        s.flush()
        world.tokens["us-approver"] = accounts.create_token(s, system, "us-approver")
    approver = as_("us-approver")
    for decision in (True, False):
        d = rfa()
        act(prov, d, "submit")
        act(coord, d, "validate")
        act(coord, d, "task", asset_id=heli.id)
        run(approver, lambda s, c, d=d, yes=decision: tasking.decide(s, c, d, approve=yes, reason="crew rest"))
    act(prov, rfa(), "cancel")
    late = run(
        prov,
        lambda s, c: tasking.create_rfa(
            s,
            c,
            op.id,
            tasking.RfaCreate(
                title="late", capability="medium_helicopter", location=point(), needed_by=c.now - timedelta(hours=1)
            ),
        ),
    )
    assert run(system, notifications.sweep_overdue).overdue == 1 and late.id
    with transaction(db) as s:
        own = cop.report_incident(
            s,
            coord,
            op.id,
            cop.IncidentCreate(kind="fire", title="Fire", severity="minor", location=point(), label="nation:KOR"),
        )
    run(coord, lambda s, c: cop.release_incident(s, c, own.id, "public"))
    mine = run(
        coord,
        lambda s, c: tasking.create_rfa(
            s, c, op.id, tasking.RfaCreate(title="fuel", capability="fuel_supply", location=point(), label="nation:KOR")
        ),
    )
    run(coord, lambda s, c: tasking.release_rfa(s, c, mine.id, "alliance"))
    uscoord = as_("uscoord")
    with transaction(db) as s:
        jeep = assets.register_asset(
            s,
            uscoord,
            assets.AssetCreate(name="Fuel truck", capability="fuel_supply", location=point(), label="org:us-liaison"),
        )
    run(uscoord, lambda s, c: assets.release_asset(s, c, jeep.id, "alliance"))
    run(system, lambda s, c: register_device(s, c, "ANDROID-test-1", "usav"))
    run(system, lambda s, c: assign_device(s, c, "ANDROID-test-1", op.id))
    run(system, lambda s, c: set_device_label(s, c, "us-aviation", "nation:USA"))
    drill = run(
        coord,
        lambda s, c: operations.create_operation(
            s, c, operations.OperationCreate(name="drill", mode="exercise", hazard="earthquake")
        ),
    )
    run(
        coord,
        lambda s, c: exercises.record_clock(
            s, c, drill.id, state="running", sim_time=c.now, speed=60.0, scenario="Seoul M6.5 earthquake"
        ),
    )
    run(coord, lambda s, c: exercises.request_clock(s, c, drill.id, exercises.ClockRequest(action="pause")))
    scenario_inject = Inject(at=timedelta(0), kind="aftershock", title="Aftershock")
    objective = Objective(id="O1", metric="rfa_tasked_p50_min", target=60)
    run(coord, lambda s, c: exercises.load_msel(s, c, drill.id, [scenario_inject], [objective]))
    for username, role in (("drill-ctl", "exercise_controller"), ("drill-eval", "evaluator")):
        run(
            system,
            lambda s, c, u=username, r=role: accounts.add_user(
                s, c, accounts.UserCreate(username=u, org="kor-cmoc", role=r)
            ),
        )
    with transaction(db) as s:
        ctl = Context(
            principal_for_user(s, s.scalar(select(User.id).where(User.username == "drill-ctl"))), source="test"
        )
        ev = Context(
            principal_for_user(s, s.scalar(select(User.id).where(User.username == "drill-eval"))), source="test"
        )
    adhoc = run(ctl, lambda s, c: exercises.add_inject(s, c, drill.id, exercises.InjectCreate(title="Bridge closed")))
    run(ctl, lambda s, c: exercises.set_held(s, c, adhoc.id, held=True))
    run(
        ctl,
        lambda s, c: exercises.update_inject(s, c, adhoc.id, exercises.InjectUpdate(title="Han River bridge closed")),
    )
    run(ctl, lambda s, c: exercises.set_held(s, c, adhoc.id, held=False))
    run(coord, lambda s, c: exercises.deliver_inject(s, c, adhoc.id))
    run(
        ev,
        lambda s, c: exercises.record_observation(
            s, c, drill.id, exercises.ObservationCreate(kind="strength", text="RFA validated fast", objective="O1")
        ),
    )
    run(
        ctl,
        lambda s, c: exercises.add_improvement(
            s,
            c,
            drill.id,
            exercises.ImprovementCreate(
                issue="Shelter lists late",
                corrective_action="Share by HXL",
                responsible_org="kor-cmoc",
                due=date(2027, 3, 1),
            ),
        ),
    )
    run(coord, lambda s, c: exercises.record_results(s, c, drill.id, reached=c.now, metrics={"rfas": 0}, objectives=[]))

    run(
        system,
        lambda s, c: accounts.add_user(s, c, accounts.UserCreate(username="kor-ok", org="kor-cmoc", role="approver")),
    )
    with db.read() as s:
        signer = Context(
            principal_for_user(s, s.scalar(select(User.id).where(User.username == "kor-ok"))), source="test"
        )
    task = planning.PlanTaskIn(
        title={"en": "Water", "ko": "급수"},
        capability="water_purification",
        quantity=2,
        phase="0-6h",
        lead_org="kor-cmoc",
    )
    plan_in = planning.PlanCreate(
        name={"en": "Flood plan"}, hazard="flood", area=point(), nations=["KOR"], tasks=[task]
    )
    plan = run(coord, lambda s, c: planning.create_plan(s, c, plan_in))
    run(coord, lambda s, c: planning.update_plan(s, c, plan.id, planning.PlanUpdate(hazard="typhoon")))
    run(coord, lambda s, c: planning.comment_on_plan(s, c, plan.id, planning.CommentCreate(text="Looks right")))
    no_body = planning.PlanActionBody()
    for actor, action in ((coord, "submit"), (signer, "approve")):
        run(actor, lambda s, c, a=action: planning.act_on_plan(s, c, plan.id, planning.PlanAction(a), no_body))
    into = planning.PlanActionBody(operation_id=op.id)
    run(coord, lambda s, c: planning.act_on_plan(s, c, plan.id, planning.PlanAction.activate, into))
    other = run(coord, lambda s, c: planning.create_plan(s, c, plan_in))
    for actor, action in ((coord, "submit"), (signer, "reject"), (coord, "archive")):
        run(actor, lambda s, c, a=action: planning.act_on_plan(s, c, other.id, planning.PlanAction(a), no_body))

    run(
        system,
        lambda s, c: accounts.add_user(
            s, c, accounts.UserCreate(username="ll", org="kor-cmoc", role="lessons_manager")
        ),
    )
    with db.read() as s:
        ll = Context(principal_for_user(s, s.scalar(select(User.id).where(User.username == "ll"))), source="test")
    seen = lessons.ObservationCreate(title={"en": "Late lists"}, observation={"en": "Shelter lists came late"})
    lesson = run(coord, lambda s, c: lessons.record_observation(s, c, seen))
    both = lessons.LessonUpdate(title={"en": "Late lists", "ko": "늦은 명단"})
    run(ll, lambda s, c: lessons.edit_lesson(s, c, lesson.id, both))
    assign = lessons.LessonActionBody(owner_org="kor-cmoc", due=date(2027, 3, 1), text={"en": "Use HXL"})
    evidence = lessons.LessonActionBody(evidence=lessons.Evidence(type="operation_record", id=inc.id))
    for action, body in (("validate", lessons.LessonActionBody()), ("assign", assign),
                         ("implement", lessons.LessonActionBody()), ("verify", evidence)):  # fmt: skip
        run(ll, lambda s, c, a=action, b=body: lessons.act_on_lesson(s, c, lesson.id, lessons.LessonAction(a), b))
    dropped = run(coord, lambda s, c: lessons.record_observation(s, c, seen))
    run(
        ll,
        lambda s, c: lessons.act_on_lesson(s, c, dropped.id, lessons.LessonAction.reject, lessons.LessonActionBody()),
    )

    period = reports.SitRepCreate(
        period_start=datetime(2026, 1, 1, tzinfo=UTC), period_end=datetime(2026, 1, 2, tzinfo=UTC)
    )
    sitrep = run(coord, lambda s, c: reports.draft_sitrep(s, c, op.id, period, zone=reports.zone_named("Asia/Seoul")))
    run(coord, lambda s, c: reports.edit_sitrep(s, c, sitrep.id, reports.SitRepUpdate(gaps={"en": "Fuel"})))
    run(coord, lambda s, c: reports.issue_sitrep(s, c, sitrep.id))
    run(coord, lambda s, c: reports.set_schedule(s, c, op.id, reports.ScheduleSet(times=["06:00"])))

    closing = run(
        coord,
        lambda s, c: operations.create_operation(s, c, operations.OperationCreate(name="short", hazard="fire")),
    )
    run(
        coord,
        lambda s, c: operations.add_participants(
            s, c, closing.id, operations.ParticipantsAdd(organisations=["kor-army"])
        ),
    )
    run(coord, lambda s, c: operations.close_operation(s, c, closing.id, operations.StatusChange(reason="done")))
    run(coord, lambda s, c: operations.reopen_operation(s, c, closing.id, operations.StatusChange()))
    assert set(emitted) == set(REGISTRY), set(REGISTRY) - set(emitted)
    assert verify_log(db).ok
