"""Baseline for benchmarks/fanout.py: a bare Starlette SSE broadcast (no database, no log, no
access layer beyond a nation filter chosen at subscribe time).

    python benchmarks/_bare_broadcast.py PORT
"""

from __future__ import annotations

import asyncio
import sys

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

subscribers: set[tuple[str, asyncio.Queue[bytes]]] = set()
seq = 0


async def publish(request: Request) -> Response:
    global seq
    body = orjson.loads(await request.body())
    seq += 1
    label = body["label"]
    frame = b"id: %d\nevent: message\ndata: %s\n\n" % (seq, orjson.dumps({"seq": seq, **body}))
    for nation, queue in list(subscribers):
        if label == "alliance" or label == f"nation:{nation}":
            queue.put_nowait(frame)
    return Response(b'{"ok": true}', status_code=201, media_type="application/json")


async def stream(request: Request) -> StreamingResponse:
    nation = request.query_params["nation"]
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    entry = (nation, queue)
    subscribers.add(entry)

    async def frames():  # type: ignore[no-untyped-def]
        try:
            yield b": connected\n\n"
            while True:
                yield await queue.get()
        finally:
            subscribers.discard(entry)

    return StreamingResponse(frames(), media_type="text/event-stream")


async def healthz(_: Request) -> Response:
    return Response(b"ok")


app = Starlette(
    routes=[Route("/publish", publish, methods=["POST"]), Route("/stream", stream), Route("/healthz", healthz)]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
