"""Domain errors; the web layer renders each as RFC 9457 ``application/problem+json``."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. ``status`` is the HTTP status the web layer answers with."""

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def problem(self) -> dict[str, Any]:
        """The problem+json body."""
        body: dict[str, Any] = {
            "type": f"https://katchi.dev/problems/{self.type_slug}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        body.update(self.extra)
        return body


class NotFound(DomainError):
    """Missing, or invisible to the caller: the two are indistinguishable on purpose."""

    status = 404
    title = "Not found"
    type_slug = "not-found"


class Forbidden(DomainError):
    """The caller can see the record but their role or organisation may not do this."""

    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class Conflict(DomainError):
    """The record is not in a state that allows the action (e.g. an illegal RFA transition)."""

    status = 409
    title = "Conflict"
    type_slug = "conflict"


class Invalid(DomainError):
    """The input breaks a rule of the domain (unknown label, capability, geometry …)."""

    status = 422
    title = "Unprocessable input"
    type_slug = "invalid"


class Unauthenticated(DomainError):
    """No or bad credentials."""

    status = 401
    title = "Unauthenticated"
    type_slug = "unauthenticated"


class Busy(DomainError):
    """The server is already doing as much of this as it allows at once: try again shortly."""

    status = 429
    title = "Busy"
    type_slug = "busy"
