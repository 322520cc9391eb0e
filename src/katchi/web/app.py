"""``create_app()``: the FastAPI application (REST under /api/v1, live stream, OpenAPI)."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from xstatic.pkg import leaflet, leaflet_markercluster

import katchi.tables  # noqa: F401  (every table registered before the first query)
from katchi import __version__
from katchi import search as search_index
from katchi.core.access import Role
from katchi.core.errors import Unauthenticated
from katchi.settings import Settings, get_settings
from katchi.web import (
    admin_page,
    approvals_page,
    devices_page,
    errors,
    lessons_page,
    notifications_page,
    operation_admin_page,
    pages,
    plans_page,
    search_page,
)
from katchi.web.deps import bearer_token, require_principal
from katchi.web.headers import SecurityHeaders
from katchi.web.routes import (
    admin,
    assets,
    cop,
    exercises,
    interop,
    lessons,
    notifications,
    operations,
    planning,
    reports,
    search,
    stream,
    tasking,
)
from katchi.web.runtime import Runtime

API = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the database, writer and live bus start with the server's lifespan."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = Runtime.build(settings)
        rt.start()
        app.state.runtime = rt
        # Load the Korean analyser's model now, beside serving, rather than in the first command
        # that writes a searchable record (it would hold the writer for a second or more).
        threading.Thread(target=search_index.warm, name="katchi-analyser", daemon=True).start()
        try:
            yield
        finally:
            rt.stop()

    app = FastAPI(
        title="Katchi",
        version=__version__,
        lifespan=lifespan,
        description="Civil–military coordination for HADR (같이: together).",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app)
    routers = (operations, exercises, cop, tasking, assets, stream, interop, planning, lessons, reports, search)
    for module in (*routers, admin, notifications):
        app.include_router(module.router, prefix=API)

    # API docs: Swagger UI 5 (it reads OpenAPI 3.1) from the swagger-ui-py package, whose static
    # files are all we use; field CMOCs are offline, so no CDN.
    app.mount("/static/swagger", StaticFiles(directory=_swagger_static()), name="swagger")
    # The console: pages, its scripts and styles, Leaflet from the xstatic packages, the base map.
    # Before the pages: /operations/new is not an operation's id.
    app.include_router(operation_admin_page.router)
    app.include_router(pages.router)
    app.include_router(admin_page.router)
    app.include_router(devices_page.router)
    app.include_router(approvals_page.router)
    app.include_router(plans_page.router)
    app.include_router(lessons_page.router)
    app.include_router(search_page.router)
    app.include_router(notifications_page.router)
    app.mount("/static/vendor/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount(
        "/static/vendor/markercluster", StaticFiles(directory=leaflet_markercluster.BASE_DIR), name="markercluster"
    )
    for part in ("js", "css", "fonts"):
        app.mount(f"/static/{part}", StaticFiles(packages=[("katchi.web", f"static/{part}")]), name=f"static-{part}")

    @app.get(f"{API}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI with its start-up script as a static file: the page carries no inline script."""
        return HTMLResponse(DOCS_PAGE)

    @app.get("/healthz", include_in_schema=False)
    async def healthz(request: Request) -> dict[str, object]:
        """Public: the status only. The platform's counters (how busy it is, how many listen) are
        for administrators' tokens."""
        rt: Runtime = app.state.runtime
        try:
            admin = bearer_token(request) is not None and (await require_principal(request)).role == Role.admin
        except Unauthenticated:
            admin = False
        if not admin:
            return {"status": "ok"}
        return {
            "status": "ok",
            "writer": {"commits": rt.writer.commits, "jobs": rt.writer.jobs},
            "live": {"subscribers": rt.bus.subscribers, "published": rt.bus.published, "last_seq": rt.bus.last_seq},
        }

    app.add_middleware(errors.BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, api_prefix=API)
    return app


def _swagger_static() -> str:
    """The swagger-ui-py package's static directory, found without importing the package (its
    ``__init__`` wires up web frameworks we do not use)."""
    spec = importlib.util.find_spec("swagger_ui")
    assert spec is not None and spec.submodule_search_locations
    return str(Path(next(iter(spec.submodule_search_locations))) / "static")


DOCS_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Katchi API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/swagger/favicon-32x32.png"></head>
<body><div id="swagger-ui" data-openapi-url="{API}/openapi.json"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/js/swagger-init.js"></script></body></html>
"""
