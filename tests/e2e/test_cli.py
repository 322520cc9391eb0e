"""The operator's command line, run as a user would: subprocesses against a fresh database file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.server import LiveServer


def katchi(args: list[str], db_url: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"KATCHI_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "katchi", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_admin_commands_build_a_working_account(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert katchi(["db", "upgrade"], url).returncode == 0
    out = katchi(
        [
            "org",
            "add",
            "mois",
            "--name",
            "Ministry of the Interior and Safety",
            "--nation",
            "KOR",
            "--kind",
            "civil",
            "--name-ko",
            "행정안전부",
        ],
        url,
    )
    assert out.returncode == 0, out.stderr
    dup = katchi(["org", "add", "mois", "--name", "x", "--nation", "KOR", "--kind", "civil"], url)
    assert dup.returncode == 1 and "already exists" in dup.stderr
    bad = katchi(["org", "add", "x", "--name", "x", "--nation", "korea", "--kind", "civil"], url)
    assert bad.returncode == 1 and "nation" in bad.stderr
    assert katchi(["user", "add", "kim", "--org", "nope", "--role", "coordinator"], url).returncode == 1
    assert katchi(["user", "add", "kim", "--org", "mois", "--role", "emperor"], url).returncode == 1
    out = katchi(
        ["user", "add", "kim", "--org", "mois", "--role", "coordinator", "--password-stdin"],
        url,
        stdin="correct horse battery\n",
    )
    assert out.returncode == 0, out.stderr
    tok = katchi(["token", "create", "kim"], url)
    assert tok.returncode == 0
    token = tok.stdout.strip()
    assert tok.stdout == token + "\n" and token.startswith("katchi_")  # prints only the token
    with LiveServer.start(url) as srv:
        me = httpx.get(srv.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me == {"username": "kim", "org": "mois", "nation": "KOR", "role": "coordinator", "org_kind": "civil"}
    verify = katchi(["audit", "verify"], url)
    assert verify.returncode == 0 and "ok: 4 entries" in verify.stdout


def test_seed_demo_is_idempotent_and_prints_tokens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    katchi(["db", "upgrade"], url)
    first = katchi(["seed", "demo"], url)
    assert first.returncode == 0, first.stderr
    assert "kim.cmoc" in first.stdout and "katchi_" in first.stdout
    second = katchi(["seed", "demo"], url)
    assert second.returncode == 0 and "already present" in second.stdout
    old = {line.split()[0]: line.split()[-1] for line in first.stdout.splitlines() if "katchi_" in line}
    tokens = {line.split()[0]: line.split()[-1] for line in second.stdout.splitlines() if "katchi_" in line}
    with LiveServer.start(url) as srv:
        assert srv.client(old["kim.cmoc"]).get("/me").status_code == 401  # the replaced tokens are revoked
        us, kor = srv.client(tokens["smith.usfk"]), srv.client(tokens["kim.cmoc"])
        # The demo's one operation is the live exercise `make demo` plays: the seed opens none.
        assert us.get("/operations").json()["items"] == []
        us_assets = us.get("/assets", params={"limit": 1000}).json()["items"]
        kor_assets = kor.get("/assets", params={"limit": 1000}).json()["items"]
        assert len(us_assets) >= 15
        assert any(a["label"] == "nation:USA" for a in us_assets)
        assert not any(a["label"] == "nation:USA" for a in kor_assets)
    assert katchi(["audit", "verify"], url).returncode == 0


def test_credentials_are_taken_back_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'creds.db'}"
    katchi(["db", "upgrade"], url)
    katchi(["org", "add", "mois", "--name", "MOIS", "--nation", "KOR", "--kind", "civil"], url)
    weak = katchi(
        ["user", "add", "kim", "--org", "mois", "--role", "coordinator", "--password-stdin"], url, "kim12345\n"
    )
    assert weak.returncode == 1 and "at least 12 characters" in weak.stderr
    assert katchi(["user", "add", "kim", "--org", "mois", "--role", "coordinator"], url).returncode == 0
    common = katchi(["user", "set-password", "kim", "--password-stdin"], url, "password12345\n")
    assert common.returncode == 1 and "too weak" in common.stderr and "common" in common.stderr
    assert katchi(["user", "set-password", "kim"], url).returncode == 2  # never on the command line
    ok = katchi(["user", "set-password", "kim", "--password-stdin"], url, "river crossing at dawn\n")
    assert ok.returncode == 0, ok.stderr
    assert katchi(["token", "create", "kim", "--expires", "forever"], url).returncode == 2
    month = katchi(["token", "create", "kim", "--expires", "30d"], url).stdout.strip()
    plain = katchi(["token", "create", "kim"], url).stdout.strip()
    listing = katchi(["token", "list", "kim"], url)
    assert listing.returncode == 0, listing.stderr
    rows = listing.stdout.splitlines()[1:]
    assert len(rows) == 2 and month not in listing.stdout and plain not in listing.stdout
    month_row = next(r for r in rows if month.startswith(r.split()[2]))
    assert "never" not in month_row and month_row.split()[-1] == "-"
    assert "never" in next(r for r in rows if r is not month_row)
    revoked = katchi(["token", "revoke", month_row.split()[0]], url)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert katchi(["token", "revoke"], url).returncode == 2
    assert katchi(["token", "revoke", "no-such-token"], url).returncode == 1
    with LiveServer.start(url) as srv:
        assert srv.client(month).get("/me").status_code == 401
        assert srv.client(plain).get("/me").status_code == 200
        disabled = katchi(["user", "disable", "kim"], url)
        assert disabled.returncode == 0 and "disabled" in disabled.stdout
        time.sleep(2.5)  # the server remembers a token's user for at most 2 s
        assert srv.client(plain).get("/me").status_code == 401
        assert katchi(["user", "enable", "kim"], url).returncode == 0
        time.sleep(2.5)
        assert srv.client(plain).get("/me").status_code == 200
        everyone = katchi(["token", "revoke", "--user", "kim"], url)
        assert everyone.returncode == 0 and "1 token(s) of kim revoked" in everyone.stdout
    assert katchi(["audit", "verify"], url).returncode == 0


def test_help_for_every_group() -> None:
    for group in ["db", "org", "user", "token", "seed", "audit", "serve", "positions", "tak"]:
        out = katchi([group, "--help"], "sqlite://")
        assert out.returncode == 0 and "Usage" in out.stdout


def test_cap_validate_prints_a_verdict_per_file(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "cap"
    good, bad = fixtures / "cap_amber_alert_example.xml", fixtures / "noaa_errors.cap"
    out = katchi(["cap", "validate", str(good), str(bad), str(tmp_path / "missing.xml")], f"sqlite:///{tmp_path}/x.db")
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0] == f"{good}\tvalid"
    path, verdict, reason = lines[1].split("\t")
    assert (path, verdict) == (str(bad), "invalid") and "/alert/info[1]/urgency" in reason
    assert lines[2].startswith(f"{tmp_path / 'missing.xml'}\tinvalid\tcannot read")
    assert katchi(["cap", "validate", str(good)], f"sqlite:///{tmp_path}/x.db").returncode == 0


def test_cot_validate_prints_a_verdict_per_file(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "cot"
    good, bad = fixtures / "tests_test_functions.py_L69.xml", fixtures / "test_validation.test.ts_L88_invalid.xml"
    out = katchi(["cot", "validate", str(good), str(bad)], f"sqlite:///{tmp_path}/x.db")
    assert out.returncode == 1
    first, second = out.stdout.splitlines()
    assert first == f"{good}\tvalid"
    assert second.startswith(f"{bad}\tinvalid\t") and "not a CoT event" in second


def test_tak_devices_are_assigned_to_an_operation_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tak.db'}"
    katchi(["db", "upgrade"], url)
    seeded = katchi(["seed", "demo"], url)
    token = next(line.split()[-1] for line in seeded.stdout.splitlines() if line.strip().startswith("kim.cmoc"))
    with LiveServer.start(url) as srv:
        op = srv.client(token).post("/operations", json={"name": "Flood", "hazard": "flood"}).json()
    added = katchi(["tak", "add-device", "ATAK-KIM-1", "--user", "kim.cmoc"], url)
    assert added.returncode == 0 and "registered" in added.stdout, added.stderr
    refused = katchi(["tak", "assign-device", "ATAK-KIM-1", "--operation", "no-such-op"], url)
    assert refused.returncode == 1 and "does not take part" in refused.stderr
    assigned = katchi(["tak", "assign-device", "ATAK-KIM-1", "--operation", op["id"]], url)
    assert assigned.returncode == 0 and f"chats into {op['id']}" in assigned.stdout, assigned.stderr
    labelled = katchi(["tak", "device-label", "mois", "nation:KOR"], url)
    assert labelled.returncode == 0, labelled.stderr
    assert katchi(["tak", "device-label", "mois", "nation:USA"], url).returncode == 1
    assert katchi(["audit", "verify"], url).returncode == 0


def test_the_tak_gateway_serves_plain_tcp_only_when_asked_and_on_loopback_by_default(tmp_path: Path) -> None:
    from tests.support.server import free_port

    url = f"sqlite:///{tmp_path / 'tak.db'}"
    katchi(["db", "upgrade"], url)
    nothing = katchi(["tak", "serve"], url)
    assert nothing.returncode == 2 and "--tls-port" in nothing.stderr and "--tcp-port" in nothing.stderr
    for host, warned in (("127.0.0.1", False), ("0.0.0.0", True)):
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "katchi", "tak", "serve", "--tcp-port", str(port), "--tcp-host", host],
            env=os.environ | {"KATCHI_DATABASE_URL": url},
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stderr is not None
            said = proc.stderr.readline()
            assert f"plain TCP on {host}:{port}" in said and ("no authentication" in said) == warned, said
        finally:
            proc.terminate()
            proc.wait(timeout=20)
