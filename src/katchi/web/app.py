"""``create_app()``: the FastAPI application (REST under /api/v1, live stream, OpenAPI)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path
from xstatic.pkg import leaflet, leaflet_markercluster

import katchi.tables  # noqa: F401  (every table registered before the first query)
from katchi import __version__
from katchi.core.access import Role
from katchi.core.errors import Unauthenticated
from katchi.settings import Settings, get_settings
from katchi.web import approvals_page, errors, pages
from katchi.web.deps import bearer_token, require_principal
from katchi.web.routes import assets, cop, interop, operations, stream, tasking
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
    for module in (operations, cop, tasking, assets, stream, interop):
        app.include_router(module.router, prefix=API)

    # API docs served from the swagger-ui-bundle package: field CMOCs are offline, so no CDN.
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    # The console: pages, its scripts and styles, Leaflet from the xstatic packages, the base map.
    app.include_router(pages.router)
    app.include_router(approvals_page.router)
    app.mount("/static/vendor/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount(
        "/static/vendor/markercluster", StaticFiles(directory=leaflet_markercluster.BASE_DIR), name="markercluster"
    )
    for part in ("js", "css", "fonts"):
        app.mount(f"/static/{part}", StaticFiles(packages=[("katchi.web", f"static/{part}")]), name=f"static-{part}")

    @app.get(f"{API}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API}/openapi.json",
            title="Katchi API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

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
    return app
