"""Who is acting, through which channel, and when: passed to every domain command."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from katchi.core.access import Principal
from katchi.core.clock import utcnow
from katchi.core.errors import Forbidden


@dataclass(frozen=True, slots=True)
class Context:
    """``principal`` is ``None`` only for system actions (CLI administration, migrations)."""

    principal: Principal | None
    source: str = "web"
    now: datetime = field(default_factory=utcnow)

    @property
    def actor_id(self) -> str | None:
        return self.principal.user_id if self.principal else None

    @property
    def actor_label(self) -> str:
        return self.principal.label if self.principal else f"system ({self.source})"

    def require(self) -> Principal:
        """The acting principal; system contexts may not run user commands."""
        if self.principal is None:
            raise Forbidden("this command needs a signed-in user")
        return self.principal
