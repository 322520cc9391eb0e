"""Child process for the crash test: appends ops-log entries through the group-commit writer from
four threads and prints ``ACK <entry id>`` only after each commit returns."""

from __future__ import annotations

import sys
import threading

import katchi.tables  # noqa: F401
from katchi.accounts import principal_for_token
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import Writer
from katchi.operations import LogCreate, post_log


def main(db_url: str, token: str, op_id: str, tag: str) -> None:
    db = Database(db_url)
    with db.read() as s:
        principal = principal_for_token(s, token)
    writer = Writer(db, batch_max=64)
    writer.start()
    lock = threading.Lock()

    def worker(n: int) -> None:
        i = 0
        while True:
            i += 1
            text = f"{tag}-{n}-{i}"
            fut = writer.submit(lambda s, t=text: post_log(s, Context(principal, "test"), op_id, LogCreate(text=t)))
            entry = fut.result()
            with lock:
                sys.stdout.write(f"ACK {entry.id}\n")
                sys.stdout.flush()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(4)]
    for t in threads:
        t.start()
    threads[0].join()


if __name__ == "__main__":
    main(*sys.argv[1:5])
