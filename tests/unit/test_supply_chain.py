"""The dependency set CI tests is pinned with hashes, and an SBOM can be made of it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) from requirements.lock."""
    out: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements.lock").read_text()):
        m = re.match(r"([A-Za-z0-9_.-]+)==([^\s\\]+)", block)
        if m:
            out[canonicalize_name(m.group(1))] = (m.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return out


def test_every_dependency_is_locked_with_hashes_at_a_version_its_specifier_allows() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]
    locked = _locked()
    assert len(locked) > 100
    for req in wanted:
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is not in requirements.lock: run `make lock`"
        version, _ = locked[name]
        assert req.specifier.contains(version, prereleases=True), f"{req} but {version} is locked: run `make lock`"
    assert all(hashes for _, hashes in locked.values())


def test_the_sbom_lists_the_installed_set(tmp_path: Path) -> None:
    out = tmp_path / "sbom.json"
    subprocess.run(
        [Path(sys.executable).parent / "cyclonedx-py", "environment", "--of", "JSON", "-o", out, sys.executable],
        check=True,
        capture_output=True,
        timeout=120,
    )
    doc = json.loads(out.read_text())
    assert doc["bomFormat"] == "CycloneDX"
    components = {canonicalize_name(c["name"]): c.get("version") for c in doc["components"]}
    for name, (version, _) in _locked().items():
        assert components.get(name) == version, (name, version, components.get(name))
