"""The console's pages (server-rendered Jinja2): sign-in, the operations list, an operation's COP.

Every page reads through the same access-checked queries as the API; the COP page then loads its
records from the API and follows the operation's live stream with the session cookie.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from katchi import __version__, lessons
from katchi.accounts import close_web_session
from katchi.assets import MANAGING, catalogue
from katchi.core.access import Principal, Role
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.core.errors import DomainError, NotFound
from katchi.core.geo import bbox_of
from katchi.eventlog import REGISTRY
from katchi.exercises import LIVE_STATES, clock_now, exercise_start, latest_clocks
from katchi.operations import (
    coordinates,
    coordinating_slugs,
    list_operations,
    operation_read,
    timeline_head,
    timeline_last_time,
    visible_operation,
)
from katchi.tasking import TRANSITIONS, RfaState, allowed_actions
from katchi.web import i18n
from katchi.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    new_login_csrf,
    session_principal,
    set_cookie,
)
from katchi.web.deps import runtime

router = APIRouter(include_in_schema=False)
INCIDENT_KINDS = [
    "building_collapse",
    "trapped_people",
    "fire",
    "flood",
    "landslide",
    "mass_casualty",
    "road_blocked",
    "displacement",
    "water_shortage",
    "power_outage",
    "hazmat",
    "other",
]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("katchi.web", "templates"),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
    env.globals["static"] = lambda path: f"/static/{path}?v={__version__}"
    return env


ENV = _env()


#: Query parameters the header's language links carry over: searches, filters and paging.
KEPT_ACROSS_LANGUAGES = frozenset({"q", "type", "state", "hazard", "cursor"})


def refusal(
    request: Request, user: Principal, csrf: str, status: int, *, not_found: str, not_allowed: str
) -> HTMLResponse:
    """The error page for a record the user may not see (404, ``not_found``) or may see but not
    change (403, ``not_allowed``); both messages are catalogue ids (``N_``)."""
    t = i18n.translations(i18n.choose_lang(request)[0])
    title, detail = (
        (t.gettext("Not found"), t.gettext(not_found))
        if status == 404
        else (t.gettext("Not allowed"), t.gettext(not_allowed))
    )
    return render(request, "error.html", status=status, user=user, csrf=csrf, title=title, detail=detail)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's language (and remember a language asked for with ?lang=)."""
    lang, asked = i18n.choose_lang(request)
    t = i18n.translations(lang)
    user: Principal | None = context.get("user")

    labels = [("alliance", t.gettext("Alliance (all participants)")), ("public", t.gettext("Public"))]
    if user is not None:
        labels += [
            (f"nation:{user.nation}", t.gettext("Only %(nation)s") % {"nation": user.nation}),
            (f"org:{user.org_slug}", t.gettext("Only my organisation")),
        ]

    # The language links keep the page's search and filters, and nothing else a link brought (a
    # page never repeats what it did not understand or say itself).
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in KEPT_ACROSS_LANGUAGES]
    lang_links = {code: "?" + urlencode([*kept, ("lang", code)]) for code in ("ko", "en")}
    html = ENV.get_template(template).render(
        lang=lang,
        lang_links=lang_links,
        _=t.gettext,
        gettext=t.gettext,
        ngettext=t.ngettext,
        fmt_datetime=lambda v: i18n.fmt_datetime(v, lang),
        fmt_number=lambda v: i18n.fmt_number(v, lang),
        label_options=labels,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if asked:
        set_cookie(response, request, i18n.LANG_COOKIE, lang, max_age=365 * 86400)
    return response


async def _signed_in(request: Request) -> tuple[Principal, str] | None:
    return await session_principal(request)


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def _safe_next(value: str) -> str:
    """Only paths on this site (no scheme, no //host): an open redirect would help phishing."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "/") -> HTMLResponse:
    token = new_login_csrf()
    response = render(request, "login.html", login_csrf=token, next=_safe_next(next), username="", error=None)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.post("/login", response_model=None)
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    lang, _ = i18n.choose_lang(request)
    t = i18n.translations(lang)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    try:
        check_csrf(request, expected or "-", csrf_token)
    except DomainError:
        return await _login_failed(request, username, t.gettext("The form expired; please sign in again."))
    address = request.client.host if request.client else "unknown"
    outcome = await runtime(request).signin.attempt(username.strip(), password, address)
    if outcome.opened is None:
        if outcome.refused is None:
            return await _login_failed(request, username, t.gettext("Wrong username or password."))
        if outcome.refused == "account":
            minutes = max(1, -(-(outcome.retry_after or 60) // 60))
            message = t.ngettext(
                "Too many failed sign-ins. Try again in %(num)d minute.",
                "Too many failed sign-ins. Try again in %(num)d minutes.",
                minutes,
            ) % {"num": minutes}
        elif outcome.refused == "address":
            message = t.gettext("Too many failed sign-ins from your network. Wait a moment and try again.")
        else:
            message = t.gettext("The server is busy. Wait a moment and try again.")
        status = 503 if outcome.refused == "busy" else 429
        refused = await _login_failed(request, username, message, status=status)
        refused.headers["Retry-After"] = str(outcome.retry_after or 1)
        return refused
    response = RedirectResponse(_safe_next(next), status_code=303)
    max_age = int(outcome.opened.expires_at.timestamp() - utcnow().timestamp())
    set_cookie(response, request, SESSION_COOKIE, outcome.opened.token, max_age=max_age)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


async def _login_failed(request: Request, username: str, error: str, status: int = 401) -> HTMLResponse:
    token = new_login_csrf()
    response = render(request, "login.html", status=status, login_csrf=token, next="/", username=username, error=error)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.post("/logout", response_model=None)
async def logout(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    signed_in = await _signed_in(request)
    token = request.cookies.get(SESSION_COOKIE)
    if signed_in is not None and token:
        check_csrf(request, signed_in[1], csrf_token)
        rt = runtime(request)
        await asyncio.wrap_future(
            rt.writer.submit(lambda s: close_web_session(s, Context(signed_in[0], source="web"), token))
        )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", response_model=None)
async def home(request: Request) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    rt = runtime(request)

    def load() -> tuple[list[Any], dict[str, dict[str, Any]]]:
        with rt.db.read() as s:
            items, _ = list_operations(s, user, cursor=None, limit=200, newest_first=True)
            return items, latest_clocks(s, [op.id for op in items if op.mode == "exercise"])

    ops, clocks = await run_in_threadpool(load)
    # Exercises being played now first (a newcomer lands on the live one), then the newest opened
    # (ids are time-ordered; an exercise's created_at is its scenario's simulated start).
    ops.sort(key=lambda op: clocks.get(op.id, {}).get("state") not in LIVE_STATES)
    return render(request, "operations.html", user=user, csrf=csrf, operations=ops, clocks=clocks, live=LIVE_STATES)


@router.get("/operations/{op_id}", response_model=None)
async def operation_page(
    request: Request, op_id: str, at: Annotated[str | None, Query(max_length=64)] = None
) -> Response:
    """The operation's COP, live; with ``at`` (ISO time or T+6h), as it was then (a replay)."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    rt = runtime(request)

    def load() -> tuple[Any, int, Any, list[str], bool, list[str], datetime, datetime, list[Any], bool]:
        with rt.db.read() as s:
            view = visible_operation(s, user, op_id)
            clock = latest_clocks(s, [view.id]).get(view.id)
            # Who drives the clock: the exercise's own coordinators and its controllers.
            coordinating = coordinates(s, user, view)
            drives = view.op.mode == "exercise" and (
                coordinating or (user.role == Role.exercise_controller and view.participant)
            )
            participants = operation_read(s, view.op).participants
            start = exercise_start(s, view.op) if view.op.mode == "exercise" else view.op.created_at
            head = timeline_head(s, user, view)
            now = clock_now(clock, utcnow()) if clock else utcnow()
            last = timeline_last_time(s, user, view)
            now = max(now, last) if last else now
            # Lessons from earlier responses that concern it (its hazard, RFAs' capabilities, area).
            surfaced = lessons.operation_lessons(s, user, view.id, cursor=None, limit=20)[0]
            coordinators = coordinating_slugs(s, view.id)
            return view, head, clock, coordinators, drives, participants, start, now, surfaced, coordinating

    try:
        (
            view,
            head,
            clock,
            coordinators,
            drives_clock,
            participants,
            start,
            now,
            surfaced,
            coordinating,
        ) = await run_in_threadpool(load)
    except NotFound:
        lang, _ = i18n.choose_lang(request)
        t = i18n.translations(lang)
        return render(
            request,
            "error.html",
            status=404,
            user=user,
            csrf=csrf,
            title=t.gettext("Not found"),
            detail=t.gettext("There is no such operation, or you may not see it."),
        )
    lang, _ = i18n.choose_lang(request)
    op = view.op
    # The MSEL is the control cell's: its controllers hold, release and write injects.
    controls_msel = op.mode == "exercise" and user.role == Role.exercise_controller and view.participant
    evaluates = op.mode == "exercise" and user.role == Role.evaluator and view.participant
    # Asset managers lend their organisation's real assets to an exercise (a twin plays them).
    lends = op.mode == "exercise" and user.role in MANAGING and view.participant
    # Who may record an observation, drawn from records marked here (as on the lessons page).
    observes = user.can_contribute() or user.role in (Role.evaluator, Role.lessons_manager)
    # The directory: contributors list their own organisation's liaison officers, the operation's
    # coordinators anyone's (the command decides; the form offers what it would accept).
    contributes = view.participant and user.can_contribute()
    contact_orgs = sorted({*participants, user.org_slug}) if coordinating else [user.org_slug]
    caps = sorted(catalogue().values(), key=lambda c: c.names[lang])
    config = {
        "operation": {
            "id": op.id,
            "name": op.name,
            "mode": op.mode,
            "coordinators": coordinators,
            "start": start.isoformat(),
        },
        "lang": lang,
        "csrf": csrf,
        "after": head,
        "user": {"username": user.username, "org": user.org_slug, "role": user.role.value, "nation": user.nation},
        "participant": view.participant,
        "coordinates": coordinating,
        "observes": observes,
        "capabilities": {c.code: c.names[lang] for c in caps},
        "messages": i18n.script_messages(lang),
        "centre": [36.4, 127.8],
        # The operation's area as [west, south, east, north]: the map opens on it.
        "area": list(bbox_of(op.area)) if op.area else None,
        "basemap": "/static/korea/provinces.geojson",
        "basemap_detail": "/static/korea/municipalities.geojson",
        "now": utcnow().isoformat(),
        "clock": clock,
        # The MSEL: controllers change it; evaluators read it (expected actions).
        "msel": controls_msel or evaluates,
        "msel_controls": controls_msel,
        # A replay: the picture at ``at``, with a slider from the start to now.
        "replay": {"at": at, "end": now.isoformat()} if at else None,
        "kinds": sorted(REGISTRY),
        "transitions": {
            st.value: [[a.value, sorted(x.value for x in TRANSITIONS[a].actors)] for a in allowed_actions(st)]
            for st in RfaState
        },
    }
    return render(
        request,
        "cop.html",
        user=user,
        csrf=csrf,
        op=op,
        config=config,
        drives_clock=drives_clock,
        controls_msel=controls_msel,
        reads_msel=controls_msel or evaluates,
        evaluates=evaluates,
        lends=lends,
        replay=bool(at),
        participants=participants,
        capabilities=caps,
        capability_names={c.code: c.names[lang] for c in caps},
        incident_kinds=INCIDENT_KINDS,
        lessons=surfaced,
        observes=observes,
        contributes=contributes,
        contact_orgs=contact_orgs,
        coordinates=coordinating,
    )


@router.get("/static/korea/{name}.geojson")
def basemap(name: str) -> Response:
    """The offline base map: Korean provinces and municipalities (KOSTAT 2013, see data/README.md)."""
    if name not in ("provinces", "municipalities"):
        return Response(status_code=404)
    data = resources.files("katchi.data").joinpath(f"korea/{name}.geojson").read_bytes()
    return Response(data, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=86400"})
