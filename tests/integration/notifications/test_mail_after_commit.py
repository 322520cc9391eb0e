"""Mail goes out only for notifications that were committed, and only to well-formed addresses."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from katchi import operations
from katchi.accounts import set_email
from katchi.core import Invalid
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import in_savepoint, transaction
from katchi.notifications import Notification, mail
from katchi.settings import Settings
from tests.support.world import World, acting_as


class _Outbox:
    def __init__(self) -> None:
        self.sent: list[mail.Mail] = []

    def put(self, mails: list[mail.Mail]) -> None:
        self.sent.extend(mails)


def test_a_command_rolled_back_with_its_enclosing_savepoint_sends_no_mail(
    db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    coord = acting_as(db, world, "coord")
    with transaction(db) as s:
        set_email(s, Context(None), "roka", "roka@army.example.kr")
        op = operations.create_operation(
            s, coord, operations.OperationCreate(name="F", hazard="flood", participants=["kor-army"])
        )
    outbox = _Outbox()
    monkeypatch.setattr(mail, "_outbox", outbox)
    message = operations.MessageCreate(text="A plan that was rolled back", to_orgs=["kor-army"])
    with transaction(db) as s, pytest.raises(RuntimeError), in_savepoint(s):  # a writer job …
        with in_savepoint(s):  # … running a command in its own savepoint, which commits
            operations.post_message(s, coord, op.id, message)
        raise RuntimeError("the job fails afterwards")
    with db.read() as s:
        assert s.scalars(select(Notification)).all() == []
    assert outbox.sent == []
    with transaction(db) as s:  # the same command committed: mailed
        operations.post_message(s, coord, op.id, message)
    assert [m.to for m in outbox.sent] == ["roka@army.example.kr"]


@pytest.mark.parametrize(
    "address", ["a(b@x.com", "a:b@x.com", "a@x..com", "a b@x.com", "ä@x.com", "a@x.com\r\nBcc: y@z.com"]
)
def test_addresses_a_mail_server_would_read_otherwise_are_refused(db: Database, world: World, address: str) -> None:
    with pytest.raises(Invalid), transaction(db) as s:
        set_email(s, Context(None), "roka", address)


def test_an_exercise_notification_says_so_in_the_subject() -> None:
    outbox = mail.Outbox(Settings(smtp_host="127.0.0.1", smtp_from="katchi@cmoc.example"))
    try:
        drill = outbox.message(mail.Mail("a@x.kr", "[EXERCISE] RFA overdue", "[훈련 상황] 지원요청 기한 경과"))
        real = outbox.message(mail.Mail("a@x.kr", "RFA overdue", "지원요청 기한 경과"))
    finally:
        outbox.stop()
    assert drill["Subject"].startswith("[Katchi][EXERCISE]") and real["Subject"].startswith("[Katchi] ")
