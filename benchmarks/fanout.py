"""Fan-out: 200 SSE subscribers of mixed nations while 100 events/s are posted for 10 s; delivery
latency (POST sent → event read), lost and leaked events, beside a bare Starlette broadcast of the
same messages to the same subscribers, in one run.

The same load is then posted as replies to a thread (``shaped_*``): a reply names its parent only
to the parent's readers, so its frame is shaped for each reader instead of encoded once for all.

    python benchmarks/fanout.py [--subscribers 200] [--rate 100] [--seconds 10]

Prints one JSON line. Goal: p99 ≤ 250 ms, 0 lost, 0 leaked, latency ≤ 2× the bare broadcast.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import build, emit, free_port, katchi_process, percentile, wait_until_up, workdir

USERS = {
    "kor1": ("kor-cmoc", "KOR"),
    "kor2": ("kor-army", "KOR"),
    "us1": ("us-liaison", "USA"),
    "us2": ("us-aviation", "USA"),
}
LABELS = ["alliance", "nation:KOR", "nation:USA"]
POSTER = {"alliance": "kor1", "nation:KOR": "kor1", "nation:USA": "us1"}


async def _subscribe(
    url: str, path: str, headers: dict[str, str], nation: str, out: list[Any], ready: Any, deadline: float
) -> None:
    u = urlparse(url)
    reader, writer = await asyncio.open_connection(u.hostname, u.port)
    head = f"GET {path} HTTP/1.1\r\nHost: {u.hostname}\r\nAccept: text/event-stream\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    writer.write(head.encode())
    await writer.drain()
    status = await reader.readline()
    assert b" 200 " in status, status
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    ready()
    buf = b""
    try:
        while time.time() < deadline:
            chunk = await asyncio.wait_for(reader.read(65536), max(0.1, deadline - time.time()))
            if not chunk:
                break
            now = time.time()
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                if not line.startswith(b"data: "):
                    continue
                data = orjson.loads(line[6:])
                text = data["payload"].get("text", "") if "payload" in data else data["text"]
                if "@" not in text:
                    continue  # e.g. the operation's creation, replayed on connect
                msg, sent = text.split("@")
                out.append((msg, data["label"], now - float(sent)))
    except TimeoutError:
        pass
    finally:
        writer.close()


def _subscriber_process(
    url: str, specs: list[tuple[str, dict[str, str], str]], ready_q: Any, result_q: Any, deadline: float
) -> None:
    async def main() -> list[list[Any]]:
        outs: list[list[Any]] = [[] for _ in specs]
        tasks = [
            asyncio.create_task(_subscribe(url, path, headers, nation, outs[i], lambda: ready_q.put(1), deadline))
            for i, (path, headers, nation) in enumerate(specs)
        ]
        await asyncio.gather(*tasks, return_exceptions=True)
        return outs

    result_q.put(asyncio.run(main()))


async def _publish(post: Any, rate: int, seconds: int, prefix: str) -> list[tuple[str, str, float]]:
    sent: list[tuple[str, str, float]] = []
    t0 = time.monotonic()
    tasks = []
    for i in range(rate * seconds):
        await asyncio.sleep(max(0.0, t0 + i / rate - time.monotonic()))
        label = LABELS[i % 3]
        msg = f"{prefix}{i}"
        tasks.append(asyncio.create_task(post(label, f"{msg}@{time.time():.6f}")))
        sent.append((msg, label, 0.0))
    results = await asyncio.gather(*tasks)
    return [s for s, ok in zip(sent, results, strict=True) if ok]


def run(
    url: str,
    stream_path: Any,
    headers_for: Any,
    post: Any,
    subscribers: int,
    rate: int,
    seconds: int,
    prefix: str = "m",
) -> dict[str, Any]:
    """Subscribers in two processes, publisher here; returns latency and loss figures (messages
    named ``prefix``N: what an earlier run left in the log is replayed on connecting, not counted)."""
    nations = ["KOR" if i % 2 == 0 else "USA" for i in range(subscribers)]
    specs = [(stream_path(nations[i]), headers_for(i, nations[i]), nations[i]) for i in range(subscribers)]
    ctx = mp.get_context("spawn")
    ready_q, result_q = ctx.Queue(), ctx.Queue()
    deadline = time.time() + seconds + 25
    halves = [specs[: subscribers // 2], specs[subscribers // 2 :]]
    procs = [ctx.Process(target=_subscriber_process, args=(url, h, ready_q, result_q, deadline)) for h in halves]
    for p in procs:
        p.start()
    for _ in range(subscribers):
        ready_q.get(timeout=60)
    time.sleep(0.5)
    sent = asyncio.run(_publish(post, rate, seconds, prefix))
    end_wait = time.time() + 10
    outs: list[list[Any]] = []
    for _ in procs:
        outs.extend(result_q.get(timeout=max(1, deadline - time.time() + 15)))
    for p in procs:
        p.join(timeout=5)
    del end_wait
    latencies: list[float] = []
    lost = leaked = 0
    sent_labels = {m: lab for m, lab, _ in sent}
    ordered_specs = halves[0] + halves[1]
    for (_, _, nation), got in zip(ordered_specs, outs, strict=True):
        allowed = {"alliance", f"nation:{nation}"}
        want = {m for m, lab in sent_labels.items() if lab in allowed}
        seen = set()
        for msg, label, lat in got:
            if not msg.startswith(prefix):
                continue
            if label not in allowed:
                leaked += 1
            seen.add(msg)
            latencies.append(lat)
        lost += len(want - seen)
    return {
        "posted": len(sent),
        "delivered": len(latencies),
        "lost": lost,
        "leaked": leaked,
        "p50_ms": percentile(latencies, 50) * 1e3,
        "p99_ms": percentile(latencies, 99) * 1e3,
        "max_ms": max(latencies, default=float("nan")) * 1e3,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=200)
    ap.add_argument("--rate", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    with workdir("katchi-fanout-") as work:
        url = f"sqlite:///{work / 'katchi.db'}"
        tokens, op_id = build(url, USERS)
        kor_users, us_users = ["kor1", "kor2"], ["us1", "us2"]

        with katchi_process(url) as base:
            client = httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=32))

            async def post_katchi(label: str, text: str) -> bool:
                r = await client.post(
                    f"/api/v1/operations/{op_id}/log",
                    json={"text": text, "label": label},
                    headers={"Authorization": f"Bearer {tokens[POSTER[label]]}"},
                )
                return r.status_code == 201

            def headers_katchi(i: int, nation: str) -> dict[str, str]:
                users = kor_users if nation == "KOR" else us_users
                return {"Authorization": f"Bearer {tokens[users[i // 2 % 2]]}"}

            katchi = run(
                base,
                lambda n: f"/api/v1/operations/{op_id}/stream",
                headers_katchi,
                post_katchi,
                args.subscribers,
                args.rate,
                args.seconds,
            )
            # A second operation of the same organisations, so nothing of the first run is replayed.
            auth = {"Authorization": f"Bearer {tokens['kor1']}"}
            threads = httpx.post(
                f"{base}/api/v1/operations",
                json={"name": "threads", "hazard": "earthquake", "participants": [o for o, _ in USERS.values()]},
                headers=auth,
            ).json()["id"]
            parent = httpx.post(
                f"{base}/api/v1/operations/{threads}/messages",
                json={"text": "thread", "label": "alliance"},
                headers=auth,
            ).json()["id"]

            replies = httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=32))

            async def post_reply(label: str, text: str) -> bool:  # a new loop: a new client
                r = await replies.post(
                    f"/api/v1/operations/{threads}/messages",
                    json={"text": text, "label": label, "parent_id": parent},
                    headers={"Authorization": f"Bearer {tokens[POSTER[label]]}"},
                )
                return r.status_code == 201

            shaped = run(
                base,
                lambda n: f"/api/v1/operations/{threads}/stream",
                headers_katchi,
                post_reply,
                args.subscribers,
                args.rate,
                args.seconds,
                prefix="r",
            )

        port = free_port()
        proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_bare_broadcast.py")), str(port)])
        bare_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(bare_url + "/healthz", proc)
            bclient = httpx.AsyncClient(base_url=bare_url, timeout=30, limits=httpx.Limits(max_connections=32))

            async def post_bare(label: str, text: str) -> bool:
                r = await bclient.post("/publish", content=orjson.dumps({"text": text, "label": label}))
                return r.status_code == 201

            bare = run(
                bare_url,
                lambda n: f"/stream?nation={n}",
                lambda i, n: {},
                post_bare,
                args.subscribers,
                args.rate,
                args.seconds,
            )
        finally:
            proc.terminate()
            proc.wait(timeout=10)

        result = {
            "benchmark": "fanout",
            "subscribers": args.subscribers,
            "rate_per_s": args.rate,
            "seconds": args.seconds,
            "posted": katchi["posted"],
            "deliveries": katchi["delivered"],
            "p50_ms": round(katchi["p50_ms"], 1),
            "p99_ms": round(katchi["p99_ms"], 1),
            "max_ms": round(katchi["max_ms"], 1),
            "lost": katchi["lost"],
            "leaked": katchi["leaked"],
            "bare_p50_ms": round(bare["p50_ms"], 1),
            "bare_p99_ms": round(bare["p99_ms"], 1),
            "bare_lost": bare["lost"],
            "p99_vs_bare": round(katchi["p99_ms"] / bare["p99_ms"], 2) if bare["p99_ms"] else None,
            "shaped_p50_ms": round(shaped["p50_ms"], 1),
            "shaped_p99_ms": round(shaped["p99_ms"], 1),
            "shaped_lost": shaped["lost"],
            "shaped_leaked": shaped["leaked"],
            "shaped_p99_vs_shared": round(shaped["p99_ms"] / katchi["p99_ms"], 2) if katchi["p99_ms"] else None,
            "p50_vs_bare": round(katchi["p50_ms"] / bare["p50_ms"], 2) if bare["p50_ms"] else None,
        }
        emit(result)


if __name__ == "__main__":
    main()
