"""Request dependencies: the runtime, the caller (bearer token), paging parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from katchi.accounts import principal_for_token
from katchi.core.access import Principal
from katchi.core.errors import Unauthenticated
from katchi.web.runtime import Runtime


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def require_principal(request: Request) -> Principal:
    """The signed-in caller; 401 without valid credentials."""
    token = bearer_token(request)
    if token is None:
        raise Unauthenticated("send Authorization: Bearer <token>")
    with runtime(request).db.read() as session:
        principal = principal_for_token(session, token)
    if principal is None:
        raise Unauthenticated("unknown or revoked token")
    return principal


Caller = Annotated[Principal, Depends(require_principal)]
Rt = Annotated[Runtime, Depends(runtime)]


class Paging:
    def __init__(
        self,
        request: Request,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    ) -> None:
        settings = runtime(request).settings
        self.cursor = cursor
        self.limit = min(limit or settings.page_size_default, settings.page_size_max)


PageParams = Annotated[Paging, Depends()]
