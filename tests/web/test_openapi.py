"""The public REST contract stays in the OpenAPI document."""

from tests.support.server import LiveServer

CONTRACT = {
    "/api/v1/operations": {"get", "post"},
    "/api/v1/operations/{op_id}": {"get"},
    "/api/v1/operations/{op_id}/log": {"get", "post"},
    "/api/v1/operations/{op_id}/incidents": {"get", "post"},
    "/api/v1/operations/{op_id}/rfas": {"get", "post"},
    "/api/v1/rfas/{rfa_id}/actions/{action}": {"post"},
    "/api/v1/assets": {"get", "post"},
    "/api/v1/capabilities": {"get"},
    "/api/v1/operations/{op_id}/timeline": {"get"},
    "/api/v1/operations/{op_id}/stream": {"get"},
}


def test_contract_paths_are_published(server: LiveServer) -> None:
    import httpx

    doc = httpx.get(server.url + "/api/v1/openapi.json").json()
    for path, methods in CONTRACT.items():
        assert methods <= set(doc["paths"][path]), path


def test_capability_catalogue_is_bilingual(server: LiveServer, world: object) -> None:
    from tests.support.world import World

    assert isinstance(world, World)
    caps = server.client(world.tokens["viewer"]).get("/capabilities").json()["items"]
    assert len(caps) >= 15
    assert all(c["code"] and c["names"]["en"] and c["names"]["ko"] for c in caps)
    assert all(c["id"] == c["code"] and c["label"] == "public" for c in caps)
    assert any("헬기" in c["names"]["ko"] for c in caps)


def test_api_docs_need_no_internet(server: LiveServer) -> None:
    import re

    import httpx

    page = httpx.get(server.url + "/api/v1/docs").text
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page) + re.findall(r"url: *'([^']+)'", page)
    assert urls and all(u.startswith("/") for u in urls), urls
    for u in urls:
        assert httpx.get(server.url + u).status_code == 200, u
