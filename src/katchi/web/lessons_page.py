"""The console's lessons pages: the lessons a user may read (and a form to record an observation),
and a lesson with its texts side by side in English and Korean, its remedial actions and the
actions the user's part allows. Forms post back here and run the API's commands."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from katchi import lessons
from katchi.accounts import Organisation
from katchi.assets import catalogue
from katchi.core.access import Role
from katchi.core.errors import DomainError, NotFound
from katchi.lessons.queries import TEXT_FIELDS
from katchi.web import i18n
from katchi.web.deps import runtime
from katchi.web.forms import poster, problem_text, run
from katchi.web.pages import _signed_in, _to_login, render

router = APIRouter(include_in_schema=False)
SOURCE_TYPES: tuple[str, ...] = get_args(lessons.SourceRef.model_fields["type"].annotation)
_REF = re.compile(r"([a-z_]+):([A-Za-z0-9_-]{1,32})")


def parse_sources(values: Iterable[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """The records an observation is drawn from, written ``type:id`` (separated by commas or
    spaces), without repeats; and the items that are not such a reference."""
    refs: list[tuple[str, str]] = []
    bad: list[str] = []
    for value in values:
        for item in re.split(r"[\s,]+", value.strip()):
            if not item:
                continue
            found = _REF.fullmatch(item)
            if found is None or found.group(1) not in SOURCE_TYPES:
                bad.append(item)
            elif (ref := (found.group(1), found.group(2))) not in refs:
                refs.append(ref)
    return refs, bad


@router.get("/lessons", response_model=None)
async def lessons_page(
    request: Request,
    state: Annotated[str, Query(max_length=20)] = "",
    observe: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    """``observe``: the records to draw an observation from (``log:ID,incident:ID``, as the COP's
    marked records link here); items not understood are left out, said so but not repeated, as
    a link's words are not the server's."""
    refs, bad = parse_sources([observe])
    return await _lessons_view(request, state=state, sources=refs, left_out=bool(bad))


async def _lessons_view(
    request: Request,
    *,
    state: str = "",
    error: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
    sources: list[tuple[str, str]] | None = None,
    left_out: bool = False,
) -> Response:
    """The lessons page; ``error`` and ``status`` only from this server's own refusals; ``form``
    what was typed, kept when refused; ``sources`` the records the observation is drawn from,
    each described as the user may read it."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    lang, _ = i18n.choose_lang(request)
    rt = runtime(request)
    wanted = state if state in {s.value for s in lessons.LessonState} else None

    def load() -> tuple[list[lessons.LessonRead], list[dict[str, str]]]:
        with rt.db.read() as s:
            rows = lessons.list_lessons(s, user, cursor=None, limit=200, state=wanted)[0]
            cited = [lessons.describe_source(s, user, t, i) or {"type": t, "id": i} for t, i in sources or []]
            return rows, cited

    rows, cited = await run_in_threadpool(load)
    caps = sorted(catalogue().values(), key=lambda c: c.names[lang])
    return render(
        request, "lessons.html", status=status, user=user, csrf=csrf, lessons=rows, state=wanted or "",
        states=[s.value for s in lessons.LessonState], capabilities=caps, error=error, form=form or {},
        sources=cited, left_out=left_out,
        observes=user.can_contribute() or user.role in (Role.evaluator, Role.lessons_manager),
    )  # fmt: skip


@router.post("/lessons", response_model=None)
async def record_observation(request: Request) -> Response:
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, _csrf = caller
    text = {k: str(form.get(k) or "").strip() for k in form if k not in ("csrf_token", "source")}
    checked, unknown = parse_sources(str(v) for v in form.getlist("source"))
    more, bad = parse_sources([text.get("more_sources", "")])
    if bad := unknown + bad:
        t = i18n.translations(i18n.choose_lang(request)[0])
        message = t.gettext(
            "Not a record to observe: %(items)s. Write each as type:id, where type is one of "
            "log, decision, incident or exercise_observation."
        ) % {"items": ", ".join(bad)}
        return await _lessons_view(request, error=message, status=422, form=text, sources=checked)
    sources = checked + [r for r in more if r not in checked]
    kept = {k: v for k, v in text.items() if k != "more_sources"}
    body = {
        "title": {"en": text.get("title_en", ""), "ko": text.get("title_ko", "")},
        "observation": {"en": text.get("observation_en", ""), "ko": text.get("observation_ko", "")},
        "recommendation": {"en": text.get("recommendation_en", ""), "ko": text.get("recommendation_ko", "")},
        "hazard": text.get("hazard") or None,
        "capability_area": text.get("capability_area") or None,
        "label": text.get("label") or "alliance",
        "sources": [{"type": t, "id": i} for t, i in sources],
    }
    try:
        data = lessons.ObservationCreate.model_validate(body)
        made = await run(request, user, lambda s, ctx: lessons.record_observation(s, ctx, data))
    except (DomainError, ValidationError) as exc:
        return await _lessons_view(
            request, error=problem_text(exc), status=getattr(exc, "status", 422), form=kept, sources=sources
        )
    return RedirectResponse(f"/lessons/{made.id}", status_code=303)


@router.get("/lessons/{lesson_id}", response_model=None)
async def lesson_page(request: Request, lesson_id: str) -> Response:
    return await _lesson_view(request, lesson_id)


async def _lesson_view(request: Request, lesson_id: str, *, error: str = "", status: int = 200) -> Response:
    """A lesson's page; ``error`` and ``status`` only from this server's own refusals."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    lang, _ = i18n.choose_lang(request)
    rt = runtime(request)

    def load() -> tuple[lessons.LessonRead | None, list[str], list[dict[str, str]]]:
        with rt.db.read() as s:
            try:
                lesson = lessons.get_lesson(s, user, lesson_id)
            except NotFound:
                return None, [], []
            # The sources this reader may read (the lesson shows no other), with their words.
            cited = [lessons.describe_source(s, user, x["type"], x["id"]) or x for x in lesson.sources]
            return lesson, list(s.scalars(select(Organisation.slug).order_by(Organisation.slug))), cited

    lesson, orgs, cited = await run_in_threadpool(load)
    if lesson is None:
        t = i18n.translations(lang)
        detail = t.gettext("There is no such lesson, or you may not see it.")
        return render(
            request, "error.html", status=404, user=user, csrf=csrf, title=t.gettext("Not found"), detail=detail
        )
    manager = user.role == Role.lessons_manager
    owner = user.can_contribute() and any(
        a.status == "open" and a.owner_org == user.org_slug for a in lesson.remedial_actions
    )
    edits = (manager or (user.org_slug == lesson.org and user.can_contribute())) and lesson.state not in (
        "verified",
        "rejected",
    )
    names = {c.code: c.names[lang] for c in catalogue().values()}
    return render(
        request, "lesson.html", status=status, user=user, csrf=csrf, lesson=lesson, fields=TEXT_FIELDS,
        manager=manager, owner=owner, edits=edits, orgs=orgs, capabilities=names, error=error, sources=cited,
    )  # fmt: skip


@router.post("/lessons/{lesson_id}/edit", response_model=None)
async def edit_lesson(request: Request, lesson_id: str) -> Response:
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, _csrf = caller
    body = {f: {"en": str(form.get(f"{f}_en") or "").strip(), "ko": str(form.get(f"{f}_ko") or "").strip()}
            for f in TEXT_FIELDS if f"{f}_en" in form}  # fmt: skip
    try:
        data = lessons.LessonUpdate.model_validate(body)
        await run(request, user, lambda s, ctx: lessons.edit_lesson(s, ctx, lesson_id, data))
    except (DomainError, ValidationError) as exc:
        return await _lesson_view(request, lesson_id, error=problem_text(exc), status=getattr(exc, "status", 422))
    return RedirectResponse(f"/lessons/{lesson_id}", status_code=303)


@router.post("/lessons/{lesson_id}/actions/{action}", response_model=None)
async def act(
    request: Request,
    lesson_id: str,
    action: str,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=10_000)] = "",
    owner_org: Annotated[str, Form(max_length=63)] = "",
    due: Annotated[str, Form(max_length=20)] = "",
    text_en: Annotated[str, Form(max_length=2000)] = "",
    text_ko: Annotated[str, Form(max_length=2000)] = "",
    root_cause_en: Annotated[str, Form(max_length=10_000)] = "",
    root_cause_ko: Annotated[str, Form(max_length=10_000)] = "",
    remedial_action_id: Annotated[str, Form(max_length=32)] = "",
    evidence_type: Annotated[str, Form(max_length=30)] = "",
    evidence_id: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    caller = await poster(request, csrf_token)
    if isinstance(caller, Response):
        return caller
    user, _csrf = caller
    fields: dict[str, Any] = {"reason": reason.strip()}
    if action == "validate" and (root_cause_en or root_cause_ko):
        fields["root_cause"] = {"en": root_cause_en.strip(), "ko": root_cause_ko.strip()}
    if action == "assign":
        fields |= {"owner_org": owner_org or None, "due": due or None,
                   "text": {"en": text_en.strip(), "ko": text_ko.strip()}}  # fmt: skip
    if action == "implement" and remedial_action_id:
        fields["remedial_action_id"] = remedial_action_id
    if action == "verify" and evidence_id:
        fields["evidence"] = {"type": evidence_type or "operation_record", "id": evidence_id.strip()}
    try:
        step = lessons.LessonAction(action)
        body = lessons.LessonActionBody.model_validate(fields)
        await run(request, user, lambda s, ctx: lessons.act_on_lesson(s, ctx, lesson_id, step, body))
    except (DomainError, ValidationError, ValueError) as exc:
        if isinstance(exc, NotFound):
            return await _lesson_view(request, lesson_id)
        message = problem_text(exc) if isinstance(exc, DomainError | ValidationError) else f"unknown action {action}"
        return await _lesson_view(request, lesson_id, error=message, status=getattr(exc, "status", 422))
    return RedirectResponse(f"/lessons/{lesson_id}", status_code=303)
