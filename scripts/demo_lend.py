"""make demo: once the live exercise is open, its owner (jones.2cab) lends the US CH-47F Chinook
to it, so the caveats and national-approval story can be played in the exercise with its twin."""

from __future__ import annotations

import sys
import time

import httpx


def main(base: str, token: str, operation_name: str) -> None:
    api = httpx.Client(base_url=base.rstrip("/") + "/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    for _ in range(300):
        live = [o for o in api.get("/operations", params={"limit": 100}).json()["items"] if o["name"] == operation_name]
        if live:
            break
        time.sleep(0.5)
    else:
        return
    assets = api.get("/assets", params={"org": "us-2cab", "limit": 100}).json()["items"]
    chinook = next(a for a in assets if a["name"].startswith("CH-47F"))
    api.post(f"/operations/{live[0]['id']}/assets/lend", json={"asset_id": chinook["id"]}).raise_for_status()
    print(f"jones.2cab lent {chinook['name']} to the exercise (its twin keeps the caveats)", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:4])
