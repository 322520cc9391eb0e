"""What a running server holds: the database, the group-commit writer, the live bus and feeder."""

from __future__ import annotations

from dataclasses import dataclass

from katchi.db import Database
from katchi.eventlog import Feeder, LiveBus, Writer
from katchi.settings import Settings
from katchi.web.principals import PrincipalCache


@dataclass
class Runtime:
    settings: Settings
    db: Database
    writer: Writer
    bus: LiveBus
    feeder: Feeder
    principals: PrincipalCache

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        db = Database(settings.database_url)
        bus = LiveBus(queue_max=settings.stream_queue_max)
        feeder = Feeder(db, bus)
        writer = Writer(db, batch_max=settings.writer_batch_max, on_commit=feeder.offer)
        return cls(settings, db, writer, bus, feeder, PrincipalCache(settings.principal_cache_seconds))

    def start(self) -> None:
        self.writer.start()
        self.feeder.start()

    def stop(self) -> None:
        self.writer.stop()
        self.feeder.stop()
        self.db.dispose()
