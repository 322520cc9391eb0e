"""What a running server holds: the database, the group-commit writer, the live bus and feeder."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session

from katchi import notifications
from katchi.db import Database
from katchi.eventlog import Feeder, LiveBus, Writer
from katchi.settings import Settings
from katchi.web.principals import PrincipalCache
from katchi.web.signin import SignIn

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    writer: Writer
    bus: LiveBus
    feeder: Feeder
    principals: PrincipalCache
    signin: SignIn = field(init=False)
    _stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        db = Database(settings.database_url)
        bus = LiveBus(queue_max=settings.stream_queue_max)
        feeder = Feeder(db, bus)
        writer = Writer(db, batch_max=settings.writer_batch_max, on_commit=feeder.offer)
        return cls(settings, db, writer, bus, feeder, PrincipalCache(settings.principal_cache_seconds))

    def __post_init__(self) -> None:
        self.signin = SignIn(self)

    def start(self) -> None:
        self.writer.start()
        self.feeder.start()
        if self.settings.audit_checkpoint_dir:
            threading.Thread(target=self._checkpoints, name="katchi-audit-checkpoints", daemon=True).start()
        threading.Thread(target=self._positions, name="katchi-positions-retention", daemon=True).start()
        notifications.mail.configure(self.settings)
        self._every(self.settings.sitrep_schedule_seconds, self._sitrep_schedules, "sitrep-schedules")
        if self.settings.notification_sweep_seconds > 0:
            self._every(self.settings.notification_sweep_seconds, self._sweep, "overdue-sweep")

    def _every(self, seconds: float, job: Callable[[Session], object], name: str) -> None:
        """Run ``job`` through the writer every ``seconds`` (first after one interval) until stopped;
        a failure is logged and the next round comes as usual."""

        def loop() -> None:
            while not self._stop.wait(seconds):
                try:
                    self.writer.submit(job).result()
                except Exception:
                    log.exception("the periodic job %s failed", name)

        threading.Thread(target=loop, name=f"katchi-{name}", daemon=True).start()

    def _sitrep_schedules(self, session: Session) -> object:
        """Draft the situation reports whose scheduled time has come."""
        from katchi.core.clock import utcnow
        from katchi.reports import prepare_scheduled_sitreps, zone_named

        return prepare_scheduled_sitreps(session, utcnow(), zone=zone_named(self.settings.report_timezone))

    def _sweep(self, session: Session) -> object:
        """Log the open RFAs newly past their needed-by time (each operation by its own clock),
        which notifies their coordinators."""
        from katchi.core.context import Context
        from katchi.exercises import exercise_time

        return notifications.sweep_overdue(session, Context(None, source="sweep", timekeeper=exercise_time))

    def _positions(self) -> None:
        """Thin and drop old track points (``prune_positions``), and drop the answers kept for
        ``Idempotency-Key`` retries once they are old (``prune_answers``), at start and every hour."""
        from katchi.assets import prune_positions
        from katchi.core.clock import utcnow
        from katchi.eventlog import prune_answers

        s = self.settings
        while not self._stop.is_set():
            try:
                kept_since = utcnow() - timedelta(hours=s.idempotency_keep_hours)
                self.writer.submit(partial(prune_answers, before=kept_since)).result()
            except Exception:
                log.exception("could not prune the kept idempotent answers")
            try:
                self.writer.submit(
                    lambda session: prune_positions(
                        session,
                        utcnow(),
                        full=timedelta(hours=s.positions_full_hours),
                        keep=timedelta(days=s.positions_keep_days),
                        every=timedelta(minutes=s.positions_thin_minutes),
                    )
                ).result()
            except Exception:
                log.exception("could not prune the positions store")
            self._stop.wait(3600)

    def _checkpoints(self) -> None:
        """Write a signed checkpoint of the log now and then every ``audit_checkpoint_seconds``."""
        from katchi.eventlog.checkpoint import default_key_path, dumps, make_checkpoint, node_key

        directory = Path(self.settings.audit_checkpoint_dir or ".")
        while not self._stop.is_set():
            try:
                key = node_key(default_key_path(), self.settings.database_url)
                doc = make_checkpoint(self.db, key)
                directory.mkdir(parents=True, exist_ok=True)
                name = f"checkpoint-{doc['seq']:012d}-{doc['time'].replace(':', '')}.json"
                (directory / name).write_text(dumps(doc) + "\n")
            except Exception:
                log.exception("could not write an audit checkpoint to %s", directory)
            self._stop.wait(self.settings.audit_checkpoint_seconds)

    def stop(self) -> None:
        self._stop.set()
        self.writer.stop()
        notifications.mail.shutdown()
        self.feeder.stop()
        self.db.dispose()
