"""E-mail of notifications, when the server has SMTP settings: sent after commit by one thread.

A notification's mail carries exactly its text (both languages: Katchi does not know a user's
language outside a browser session), so it never says more than the recipient may read. A mail
that cannot be sent is logged and dropped; the notification in the console is not affected.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from katchi.settings import Settings

log = logging.getLogger(__name__)

SUBJECT = "[Katchi] 새 알림 / New notification"
_STOP = object()


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    text_en: str
    text_ko: str


class Outbox:
    """Sends queued mails on its own thread through the configured SMTP server."""

    def __init__(self, settings: Settings) -> None:
        self._s = settings
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="katchi-mail", daemon=True)
        self._idle = threading.Event()
        self._idle.set()
        self.sent = 0
        self.failed = 0
        self._thread.start()

    def put(self, mails: list[Mail]) -> None:
        self._idle.clear()
        self._queue.put(list(mails))

    def stop(self, timeout: float = 10.0) -> None:
        """Send what is queued (up to ``timeout``), then end the thread."""
        self._queue.put(_STOP)
        self._thread.join(timeout=timeout)

    def message(self, mail: Mail) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self._s.smtp_from
        msg["To"] = mail.to
        exercise = mail.text_en.startswith("[EXERCISE]")
        msg["Subject"] = SUBJECT.replace("[Katchi]", "[Katchi][EXERCISE]") if exercise else SUBJECT
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain="katchi")
        body = f"{mail.text_ko}\n\n{mail.text_en}\n"
        if self._s.public_url:
            body += f"\n{self._s.public_url.rstrip('/')}/notifications\n"
        msg.set_content(body)
        return msg

    def _send(self, mails: list[Mail]) -> None:
        s = self._s
        assert s.smtp_host is not None
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
                if s.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password or "")
                for mail in mails:
                    try:
                        smtp.send_message(self.message(mail), to_addrs=[mail.to])
                        self.sent += 1
                    except smtplib.SMTPException:
                        self.failed += 1
                        log.exception("could not e-mail a notification to %s", mail.to)
        except (OSError, smtplib.SMTPException):
            self.failed += len(mails)
            log.exception("could not reach the SMTP server %s:%s", s.smtp_host, s.smtp_port)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                self._idle.set()
                return
            assert isinstance(item, list)
            self._send(item)
            if self._queue.empty():
                self._idle.set()

    def wait_idle(self, timeout: float) -> bool:
        """Whether everything queued has been tried within ``timeout`` seconds."""
        return self._idle.wait(timeout)


_outbox: Outbox | None = None
_lock = threading.Lock()


def configure(settings: Settings) -> Outbox | None:
    """Start sending notification mails with ``settings`` (no SMTP host: none are sent)."""
    global _outbox
    with _lock:
        if _outbox is not None:
            _outbox.stop()
        _outbox = Outbox(settings) if settings.smtp_host else None
        return _outbox


def shutdown() -> None:
    """Send what is queued and stop sending."""
    global _outbox
    with _lock:
        if _outbox is not None:
            _outbox.stop()
        _outbox = None


def configured() -> bool:
    return _outbox is not None


def send_later(mails: list[Mail]) -> None:
    outbox = _outbox
    if outbox is not None:
        outbox.put(mails)
