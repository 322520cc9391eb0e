"""Interoperability throughput, in one run:

  * CAP: every real CAP sample in tests/fixtures/cap parsed (defusedxml) and fully validated by
    Katchi, beside bare ``lxml.etree.fromstring`` of the same bytes.
    Goal: Katchi's parse + validate ≥ 25 % of bare lxml parse speed.
  * TAK: N plain-TCP devices of one organisation connect and identify (2 s warm-up), then each
    sends a CoT position R times a second (the send time in the event) while reading what the
    gateway sends it (every position goes to the other N−1, as TAK users expect), for S seconds,
    then 5 s to drain (only the timed phase is counted); against ``katchi tak serve``
    (which also writes the positions to the devices' assets) and against taky (PyPI) under the same
    load, and against FreeTAKServer 2.2.1 (PyPI; ``--no-fts`` to skip: it takes ~40 s to start).
    A device's own position echoed back is not counted as a delivery. Figures: accepted msgs/s,
    deliveries/s, p50/p99 send→delivery, unread backlog, CPU and memory per connection.
    Goal: Katchi holds 100 × 5/s with p99 ≤ 500 ms and no backlog.

    python benchmarks/interop.py [--devices 100] [--rate 5] [--seconds 10] [--no-taky] [--no-fts] [--no-cap]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import build, emit, free_port, percentile, workdir
from _tak_load import process_usage, run_load
from katchi.interop.cap import validate_cap

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "cap"


def rate(fn, docs: list[bytes], seconds: float = 2.0) -> float:  # type: ignore[no-untyped-def]
    """Documents per second, best of three timed passes of at least ``seconds`` / 3 each."""
    best = 0.0
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / 3:
            for d in docs:
                fn(d)
            n += len(docs)
        best = max(best, n / (time.perf_counter() - t0))
    return best


def cap_figures(rounds: int = 7) -> dict[str, Any]:
    """Interleaved rounds (one Katchi pass, one bare-lxml pass over the same documents) so both
    see the same machine state; the median of the per-round ratios is reported."""
    names = [
        line.split("\t")[2].rsplit("/", 1)[-1]
        for line in (FIXTURES / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.split("\t")[5].startswith("valid")
    ]
    docs = [(FIXTURES / n).read_bytes() for n in names]
    assert all(validate_cap(d) == [] for d in docs)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    ours, bare = [], []
    for _ in range(rounds):
        ours.append(rate(validate_cap, docs, seconds=0.9))
        bare.append(rate(lambda d: etree.fromstring(d, parser), docs, seconds=0.9))
    ratios = sorted(k / b for k, b in zip(ours, bare, strict=True))
    return {
        "cap_documents": len(docs),
        "cap_bytes_mean": round(sum(map(len, docs)) / len(docs)),
        "cap_validated_per_s": round(sorted(ours)[rounds // 2]),
        "lxml_parsed_per_s": round(sorted(bare)[rounds // 2]),
        "cap_vs_lxml": round(ratios[rounds // 2], 3),
        "cap_vs_lxml_range": [round(ratios[0], 3), round(ratios[-1], 3)],
        "goal_cap_vs_lxml": 0.25,
    }


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def _load(proc: subprocess.Popen[bytes], port: int, uids: list[str], rate_: float, seconds: float) -> dict[str, Any]:
    time.sleep(0.5)
    cpu0, rss0 = process_usage(proc.pid)
    result = asyncio.run(run_load(port, uids, rate_, seconds))
    cpu1, rss1 = process_usage(proc.pid)
    n = len(uids)
    expected = result.sent * (n - 1)
    lat = [x * 1000 for x in result.latencies]
    return {
        "accepted_msgs_per_s": round(result.sent / seconds),
        "deliveries_per_s": round(result.received / seconds),
        "expected_deliveries": expected,
        "unread_backlog": max(0, expected - result.received),
        "p50_ms": round(percentile(lat, 50), 1) if lat else None,
        "p99_ms": round(percentile(lat, 99), 1) if lat else None,
        "disconnected": result.disconnected,
        "cpu_ms_per_conn_per_s": round((cpu1 - cpu0) * 1000 / (seconds + 7) / n, 2),
        "rss_kb_per_conn": round(max(0, rss1 - rss0) / 1024 / n, 1),
        "rss_mb": round(rss1 / 2**20, 1),
    }


def katchi_tak(devices: int, rate_: float, seconds: float) -> dict[str, Any]:
    from katchi.assets import AssetCreate, register_asset
    from katchi.core.context import Context
    from katchi.db import Database
    from katchi.eventlog import transaction
    from katchi.interop.tak import register_device

    with workdir("katchi-tak-") as tmp:
        url = f"sqlite:///{tmp / 'tak.db'}"
        tokens, _ = build(url, {"bench": ("bench-org", "KOR")})
        db = Database(url)
        uids = [f"ANDROID-BENCH-{i:03d}" for i in range(devices)]
        with transaction(db) as s:
            from katchi.accounts import principal_for_token

            ctx = Context(principal_for_token(s, tokens["bench"]), source="bench")
            point = {"type": "Point", "coordinates": [127.0, 37.5]}
            for uid in uids:
                spec = AssetCreate(name=uid, capability="truck_transport", location=point)
                asset = register_asset(s, ctx, spec)
                register_device(s, Context(None, source="bench"), uid, "bench", asset.id)
        db.dispose()
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "katchi", "tak", "serve", "--tcp-port", str(port), "--per-address", "200"],
            env=os.environ | {"KATCHI_DATABASE_URL": url},
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_port(port, proc)
            figures = _load(proc, port, uids, rate_, seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        db = Database(url)
        with db.read() as s:
            from sqlalchemy import func, select

            from katchi.assets import AssetPosition
            from katchi.eventlog import LogEntry

            # Moves in the chained log (only beyond 250 m of the last logged one) and points in the
            # positions store (its track, at most every 10 s per asset).
            figures["positions_logged"] = s.scalar(
                select(func.count()).select_from(LogEntry).where(LogEntry.kind == "assets.asset.updated")
            )
            figures["track_points"] = s.scalar(select(func.count()).select_from(AssetPosition))
        db.dispose()
    return figures


def taky_tak(devices: int, rate_: float, seconds: float) -> dict[str, Any] | str:
    taky = Path("/tmp/taky-venv/bin/taky")
    if not taky.exists():
        made = subprocess.run([sys.executable, "-m", "venv", "/tmp/taky-venv"], check=False)
        pip = subprocess.run(["/tmp/taky-venv/bin/pip", "install", "-q", "taky"], check=False, capture_output=True)
        if made.returncode or pip.returncode or not taky.exists():
            return "taky could not be installed"
    with workdir("taky-") as tmp:
        port = free_port()
        conf = tmp / "taky.conf"
        conf.write_text(
            f"[taky]\nbind_ip = 127.0.0.1\nroot_dir = {tmp}\n[cot_server]\nport = {port}\n[ssl]\nenabled = false\n"
        )
        proc = subprocess.Popen([str(taky), "-c", str(conf), "-l", "error"], cwd=tmp, stderr=subprocess.DEVNULL)
        try:
            _wait_port(port, proc)
            return _load(proc, port, [f"ANDROID-TAKY-{i:03d}" for i in range(devices)], rate_, seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


#: FreeTAKServer 2.2.1 (2024) fails to start its services with today's OpenTelemetry (a read-only
#: ``span_exporter``); the releases of its time are pinned beside it.
FTS_PINS = ["FreeTAKServer==2.2.1", "opentelemetry-api==1.24.0", "opentelemetry-sdk==1.24.0"]


def fts_tak(devices: int, rate_: float, seconds: float) -> dict[str, Any] | str:
    """FreeTAKServer under the same load. It keeps its state in /opt/fts (fixed in its code) and
    runs its services as child processes; CPU and memory are summed over them."""
    python = Path("/tmp/fts-venv/bin/python")
    if not python.exists() or subprocess.run([str(python), "-c", "import FreeTAKServer"], check=False).returncode:
        made = subprocess.run([sys.executable, "-m", "venv", "/tmp/fts-venv"], check=False)
        pip = subprocess.run(["/tmp/fts-venv/bin/pip", "install", "-q", *FTS_PINS], check=False, capture_output=True)
        if made.returncode or pip.returncode:
            return "FreeTAKServer could not be installed"
    ports = {name: free_port() for name in ("cot", "ssl", "dp", "ssldp", "api", "fed")}
    with workdir("fts-") as tmp:
        args = [str(python), "-m", "FreeTAKServer.controllers.services.FTS", "-CoTIP", "127.0.0.1"]
        args += ["-CoTPort", str(ports["cot"]), "-SSLCoTPort", str(ports["ssl"]), "-DataPackagePort", str(ports["dp"])]
        args += ["-SSLDataPackagePort", str(ports["ssldp"]), "-RestAPIPort", str(ports["api"])]
        env = os.environ | {"FTS_FIRST_START": "false", "FTS_FED_PORT": str(ports["fed"])}
        proc = subprocess.Popen(
            args, cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            _wait_port(ports["cot"], proc, timeout=120)
            time.sleep(5)  # its other services come up after the CoT port opens
            return _load(proc, ports["cot"], [f"ANDROID-FTS-{i:03d}" for i in range(devices)], rate_, seconds)
        except RuntimeError as exc:
            return f"FreeTAKServer did not run: {exc}"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-taky", action="store_true")
    parser.add_argument("--no-fts", action="store_true")
    parser.add_argument("--no-cap", action="store_true")
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "interop"}
    if not args.no_cap:
        out |= cap_figures()
    load = {"devices": args.devices, "rate_per_device": args.rate, "seconds": args.seconds}
    out["tak"] = load | {"katchi": katchi_tak(args.devices, args.rate, args.seconds)}
    if not args.no_taky:
        out["tak"]["taky"] = taky_tak(args.devices, args.rate, args.seconds)
    if not args.no_fts:
        out["tak"]["freetakserver"] = fts_tak(args.devices, args.rate, args.seconds)
    out["tak"]["goal"] = "katchi p99 <= 500 ms and no backlog at 100 x 5/s"
    emit(out)


if __name__ == "__main__":
    main()
