"""Password guessing must not stall everyone's writes: a coordinator's write latency (POST an
operations-log entry, sequentially, ``--rate`` per second) while idle, then while ``--guessers``
parallel clients post wrong passwords to the sign-in page, in one run:

- ``throttled``: the default throttle (5 failures lock an account, 50 slow an address; all the
  guessers share 127.0.0.1, as a CMOC behind one NAT would);
- ``unthrottled``: every limit out of reach (failures, attempts in flight, attempts waiting), so
  every guess costs an argon2 verification: the load the hashing itself puts on the server
  (verifications run in worker threads, at most ``KATCHI_LOGIN_HASH_CONCURRENCY`` at once, never
  on the writer thread).

    python benchmarks/login_flood.py [--guessers 40] [--seconds 10] [--rate 20]

Prints one JSON line. Goal: a write's p99 under either flood under 250 ms (with hashing on the
writer thread, as before, it was seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import katchi.tables  # noqa: F401
from _support import build, emit, katchi_process, percentile, workdir
from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TARGETS = 40


async def _writes(base: str, token: str, op_id: str, rate: int, seconds: float) -> list[float]:
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        end = time.monotonic() + seconds
        i = 0
        while time.monotonic() < end:
            started = time.monotonic()
            resp = await client.post(f"/api/v1/operations/{op_id}/log", json={"text": f"write {i}"})
            assert resp.status_code == 201, resp.text
            latencies.append(time.monotonic() - started)
            i += 1
            await asyncio.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
    return latencies


async def _guess(base: str, n: int, stop: asyncio.Event, counts: dict[str, int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as client:
        form = (await client.get("/login?lang=en")).text
        i = 0
        while not stop.is_set():
            match = CSRF.search(form)
            assert match, form
            user = f"target{(n + i) % TARGETS}" if i % 4 else f"nobody{n}-{i}"  # mostly real accounts
            resp = await client.post(
                "/login", data={"username": user, "password": f"guess-{n}-{i}", "csrf_token": match.group(1)}
            )
            counts[str(resp.status_code)] = counts.get(str(resp.status_code), 0) + 1
            form = resp.text
            i += 1


def _guessers(base: str, guessers: int, seconds: float, out: Any) -> None:
    """The flood, in its own process (its own event loop and CPU time, as remote clients would be)."""

    async def flood() -> dict[str, int]:
        stop = asyncio.Event()
        counts: dict[str, int] = {}
        tasks = [asyncio.create_task(_guess(base, n, stop, counts)) for n in range(guessers)]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)
        return counts

    out.put(asyncio.run(flood()))


async def _phase(base: str, token: str, op_id: str, args: argparse.Namespace, guessers: int) -> dict[str, Any]:
    counts: dict[str, int] = {}
    flood = None
    if guessers:
        results: Any = mp.Queue()
        flood = mp.Process(target=_guessers, args=(base, guessers, args.seconds + 1.0, results))
        flood.start()
        await asyncio.sleep(1.0)  # let the flood build up
    latencies = await _writes(base, token, op_id, args.rate, args.seconds)
    if flood is not None:
        counts = results.get(timeout=120)
        flood.join()
    out: dict[str, Any] = {
        "writes": len(latencies),
        "p50_ms": round(percentile(latencies, 50) * 1e3, 1),
        "p99_ms": round(percentile(latencies, 99) * 1e3, 1),
    }
    if guessers:
        total = sum(counts.values())
        out |= {"guesses_per_s": round(total / (args.seconds + 1), 1), "answers": counts}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guessers", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=20)
    args = parser.parse_args()
    with workdir("katchi-login-") as tmp:
        url = f"sqlite:///{tmp / 'bench.db'}"
        tokens, op_id = build(url, {"writer": ("kor-cmoc", "KOR")})
        db = Database(url)
        with transaction(db) as s:
            from katchi.accounts import UserCreate, add_user
            from katchi.core.access import Role

            ctx = Context(None, source="bench")
            for i in range(TARGETS):
                add_user(s, ctx, UserCreate(username=f"target{i}", org="kor-cmoc", role=Role.viewer))
                set_password(s, ctx, f"target{i}", f"a long unguessable phrase {i}")
        db.dispose()
        result: dict[str, Any] = {"guessers": args.guessers, "seconds": args.seconds, "rate": args.rate}
        with katchi_process(url) as base:
            result["idle"] = asyncio.run(_phase(base, tokens["writer"], op_id, args, 0))
            result["throttled"] = asyncio.run(_phase(base, tokens["writer"], op_id, args, args.guessers))
        off = "1000000000"
        os.environ |= {
            "KATCHI_LOGIN_ACCOUNT_FAILURES": off,
            "KATCHI_LOGIN_ACCOUNT_FAILURES_ANYWHERE": off,
            "KATCHI_LOGIN_ADDRESS_FAILURES": off,
            "KATCHI_LOGIN_ADDRESS_IN_FLIGHT": off,
            "KATCHI_LOGIN_WAITING_MAX": off,
        }
        with katchi_process(url) as base:
            result["unthrottled"] = asyncio.run(_phase(base, tokens["writer"], op_id, args, args.guessers))
        idle = result["idle"]["p99_ms"]
        result["p99_vs_idle"] = {k: round(result[k]["p99_ms"] / idle, 2) for k in ("throttled", "unthrottled")}
    emit(result)


if __name__ == "__main__":
    main()
