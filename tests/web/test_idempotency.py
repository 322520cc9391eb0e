from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.support.api import create_operation, items, ok, problem
from tests.support.server import LiveServer
from tests.support.world import World


def test_repeated_post_with_idempotency_key_creates_once(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])
    path = f"/operations/{op['id']}/log"
    headers = {"Idempotency-Key": "log-0001"}
    first = coord.post(path, json={"text": "Generator failure at Severance"}, headers=headers)
    again = coord.post(path, json={"text": "Generator failure at Severance"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("idempotency-replayed") == "true"
    assert len(items(coord, path)) == 1
    # the same key with another body is refused, and changes nothing
    problem(coord.post(path, json={"text": "something else"}, headers=headers), 422)
    assert len(items(coord, path)) == 1
    # keys are per user: another user's identical key is independent
    province = server.client(world.tokens["uscoord"])
    op2 = create_operation(province, [])
    ok(province.post(f"/operations/{op2['id']}/log", json={"text": "x"}, headers=headers), 201)


def test_concurrent_duplicates_create_once(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])
    path = f"/operations/{op['id']}/log"

    def post(_: int) -> int:
        with server.client(world.tokens["coord"]) as c:
            return c.post(path, json={"text": "once"}, headers={"Idempotency-Key": "k-1"}).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(post, range(16))) == {201}
    assert len(items(coord, path)) == 1
