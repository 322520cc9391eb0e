"""Runtime settings from ``KATCHI_*`` environment variables; read lazily, never at import."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can tune; defaults suit one laptop in a field CMOC."""

    model_config = SettingsConfigDict(env_prefix="KATCHI_", extra="ignore")

    database_url: str = "sqlite:///katchi.db"
    #: The address people and feed readers reach this server at (``https://cmoc.example.kr``):
    #: links in feeds are built from it, never from a request's Host header. Unset: relative links.
    public_url: str | None = None
    #: Largest request body accepted, in bytes; larger bodies answer 413 before any parsing.
    max_body_bytes: int = 1_048_576
    #: How many commands the writer may fold into one durable commit (group commit).
    writer_batch_max: int = 256
    #: Live-stream subscribers whose queue exceeds this are dropped; they resume from the log.
    stream_queue_max: int = 10_000
    #: Seconds between SSE keep-alive comments.
    stream_ping_seconds: float = 15.0
    #: How long a bearer token's principal is remembered; a revoked token stops working after this.
    principal_cache_seconds: float = 2.0
    #: How often an open live stream checks that its credentials still hold (revoked, disabled,
    #: signed out, expired: the stream closes).
    credential_recheck_seconds: float = 2.0
    #: A console session ends this long after sign-in, however busy …
    session_hours: float = 12.0
    #: … and after this long without a request.
    session_idle_minutes: float = 120.0
    #: Sign-in throttle: failures counted over this window …
    login_window_seconds: int = 300
    #: … lock an account for one client address (429 with Retry-After) at this many from it …
    login_account_failures: int = 5
    #: … and for every address at this many from anywhere …
    login_account_failures_anywhere: int = 20
    #: … and slow a client address (checked one at a time, wrong answers 429) at this many.
    login_address_failures: int = 50
    #: Attempts of one address checked at once, and of everyone waiting for a check; beyond them
    #: the sign-in page answers 429 or 503 at once instead of queueing.
    login_address_in_flight: int = 8
    login_waiting_max: int = 64
    #: Passwords verified at once (argon2id with 4 lanes: ~130 ms on 2 cores and 64 MiB each).
    login_hash_concurrency: int = 1
    #: How long the answer to a request with ``Idempotency-Key`` is kept for its retries.
    idempotency_keep_hours: float = 24.0
    #: The time zone situation reports are written in (their periods, figures' "as of", due times).
    report_timezone: str = "Asia/Seoul"
    #: How often the server looks for scheduled situation reports that have fallen due.
    sitrep_schedule_seconds: float = 60.0
    #: Where the server writes a signed checkpoint of the log every ``audit_checkpoint_seconds``
    #: (unset: it writes none); keep it off the database's disk, e.g. a mounted share.
    audit_checkpoint_dir: str | None = None
    audit_checkpoint_seconds: float = 3600.0
    #: Positions of moving assets (TAK devices): a track point at most every this many seconds …
    positions_track_seconds: float = 10.0
    #: … a move logged only this far (metres) from the last logged position …
    positions_log_move_m: float = 250.0
    #: … every track point kept this long, then one per ``positions_thin_minutes`` …
    positions_full_hours: float = 24.0
    positions_thin_minutes: float = 5.0
    #: … and none after this many days.
    positions_keep_days: float = 30.0
    #: How often the server looks for open RFAs past their needed-by time (seconds; 0: never).
    notification_sweep_seconds: float = 60.0
    #: E-mail of notifications (optional): the SMTP server, unset to send none …
    smtp_host: str | None = None
    smtp_port: int = 587
    #: … its account, if it asks for one …
    smtp_user: str | None = None
    smtp_password: str | None = None
    #: … the sender address, and whether to upgrade the connection with STARTTLS.
    smtp_from: str = "katchi@localhost"
    smtp_starttls: bool = True
    page_size_default: int = 100
    page_size_max: int = 1000


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
