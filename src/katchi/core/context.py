"""Who is acting, through which channel, and when: passed to every domain command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from katchi.core.access import Principal
from katchi.core.clock import utcnow
from katchi.core.errors import Forbidden

#: An operation's own time, if it keeps one (an exercise's simulated clock): ``(session,
#: operation_id) → time or None``. The layer that builds contexts for people supplies it.
Timekeeper = Callable[[Any, str], datetime | None]


@dataclass(frozen=True, slots=True)
class Context:
    """``principal`` is ``None`` only for system actions (CLI administration, migrations)."""

    principal: Principal | None
    source: str = "web"
    now: datetime = field(default_factory=utcnow)
    #: When set, events of an operation that keeps its own time occur at that time (``occurred``).
    timekeeper: Timekeeper | None = None

    def occurred(self, session: Any, operation_id: str | None) -> datetime:
        """When an event of ``operation_id`` occurs: the operation's own time (an exercise's
        simulated time), else ``now``."""
        if self.timekeeper is not None and operation_id is not None:
            own = self.timekeeper(session, operation_id)
            if own is not None:
                return own
        return self.now

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
