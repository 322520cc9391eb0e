"""What interop remembers: which CAP message became which incident (for Update and Cancel)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class CapMessage(Base):
    """A CAP message imported into an operation, keyed as CAP references it: sender, identifier, sent."""

    __tablename__ = "cap_messages"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    sender: Mapped[str] = mapped_column(String(300))
    identifier: Mapped[str] = mapped_column(String(300))
    sent: Mapped[str] = mapped_column(String(40))
    msg_type: Mapped[str] = mapped_column(String(16))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    imported_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("operation_id", "sender", "identifier", "sent", name="uq_cap_messages_key"),)


class TakDevice(Base):
    """A TAK device (ATAK, WinTAK, iTAK) allowed on the gateway: its CoT ``uid`` (and, over TLS,
    its client certificate's common name), the organisation it speaks for, the asset it moves, and
    the operation its organisation assigned it to (its chat goes there; none: chat is refused)."""

    __tablename__ = "tak_devices"

    uid: Mapped[str] = mapped_column(String(256), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    asset_id: Mapped[str | None] = mapped_column(ForeignKey("assets.id"))
    operation_id: Mapped[str | None] = mapped_column(ForeignKey("operations.id"), default=None)
    created_at: Mapped[datetime]
