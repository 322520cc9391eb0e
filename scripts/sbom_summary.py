"""Print what an SBOM holds (``make sbom`` runs it after writing sbom.cdx.json)."""

from __future__ import annotations

import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
names = {c["name"].lower() for c in doc.get("components", [])}
missing = [n for n in ("fastapi", "sqlalchemy", "argon2-cffi", "zxcvbn", "cachetools") if n not in names]
if missing:
    sys.exit(f"{sys.argv[1]}: components missing: {', '.join(missing)}")
print(f"{sys.argv[1]}: {len(names)} components, CycloneDX {doc['specVersion']}")
