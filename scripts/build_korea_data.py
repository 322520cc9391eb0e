"""Build ``src/katchi/data/korea/municipalities.geojson`` from the public sources in ``../shared/data/korea``:
KOSTAT 2013 municipal boundaries (simplified) joined with the 2010 census population by municipality;
and ``provinces.geojson`` (KOSTAT 2013 provinces, simplified) for the console's offline base map.

    python scripts/build_korea_data.py [SHARED_DATA_DIR]

Codes were renumbered between the 2010 census and the 2013 boundaries, so the join is by Korean
name within the province (allowing 군 → 시 upgrades and districts named with their city); Sejong,
created in 2012, takes the population of Yeongi-gun. The census code and name used are recorded.

English names follow the official Revised Romanization with hyphenated units ("Ansan-si
Sangnok-gu"), derived from both sources: the boundary file romanises each municipality, but runs
city and district together ("Ansansisangnokgu"), leaves the city out ("Jinhaegu") or misnames a
few (철원군 as "Gongju-si"); the census's translation table (``codebook-20100401-06-translation.csv``)
names each city and district of 2010 separately (with its own slips: 서북구 as "Sebuk-gu"). The
Korean name gives the parts; the city comes from the census table; the municipality is the boundary
file's romanisation with the city and unit split off when it reads as that unit, else the census
table's (a stem taken from another unit where the unit changed since 2010, 당진군 → 당진시).
Where both give a name and they differ, the script says so.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "korea"
OUT = ROOT / "src" / "katchi" / "data" / "korea" / "municipalities.geojson"
# Sejong (29010, created 2012) took in most of Yeongi-gun (연기군); Jeungpyeong-gun was a branch office
# (증평출장소) in the 2010 census tables.
ALIASES = {"29010": ("34", "연기군"), "33390": ("33", "증평출장소")}


def census() -> dict[str, tuple[str, int]]:
    rows: dict[str, tuple[str, int]] = {}
    path = SHARED / "southkorea__southkorea-population" / "data" / "2010" / "municipalities_utf8.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) > 5 and row[3] == "계" and row[0].startswith("'") and len(row[0]) == 6:
                rows[row[0][1:]] = (row[1].strip(), int(row[5]))
    return rows


def _norm(name: str) -> str:
    return re.sub(r"\(.*?\)|\s", "", name)


def _same_place(a: str, b: str) -> bool:
    """Equal names, a 군 → 시 upgrade (당진군 → 당진시), or a district named with or without its city
    (창원시진해구 / 진해구)."""
    a, b = _norm(a), _norm(b)
    return a == b or a[:-1] == b[:-1] or a.endswith(b) or b.endswith(a)


#: Romanised administrative units (Revised Romanization: hyphenated, assimilation not reflected).
UNITS = {"시": "si", "군": "gun", "구": "gu"}
#: A Korean municipality name: an optional city, then the municipality itself, each with its unit.
_PARTS = re.compile(r"^(?:(.+?)시)?(.+)(시|군|구)$")


def translations() -> dict[str, list[tuple[str, str]]]:
    """Korean name → [(2010 census code, official English name)], from the census codebook."""
    out: dict[str, list[tuple[str, str]]] = {}
    path = SHARED / "southkorea__southkorea-population" / "codebook" / "codebook-20100401-06-translation.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if len(row["code"]) == 5:
                out.setdefault(row["ko"].strip(), []).append((row["code"], row["en"].strip()))
    return out


def _stem(table: dict[str, list[tuple[str, str]]], stem: str, unit: str, census_code: str) -> str | None:
    """The official English of ``stem`` (without its unit) in the census code's province, preferring
    the entry with this unit, then the one nearest the census code."""
    for units in ([unit], [u for u in UNITS if u != unit]):
        found = [(c, en) for u in units for c, en in table.get(stem + u, []) if c[:2] == census_code[:2]]
        if found:
            found.sort(key=lambda ce: (ce[0][:4] != census_code[:4], ce[0]))
            return found[0][1].rsplit("-", 1)[0]
    return None


def english_name(table: dict[str, list[tuple[str, str]]], name_ko: str, census_code: str, boundary_en: str) -> str:
    """``안산시상록구`` → ``Ansan-si Sangnok-gu``; see the module's docstring."""
    m = _PARTS.match(name_ko)
    if m is None:
        raise SystemExit(f"cannot read the parts of {name_ko}")
    city, stem, unit = m.groups()
    out = []
    letters = re.sub(r"[^a-z]", "", boundary_en.lower())
    if city:
        city_en = _stem(table, city, "시", census_code)
        if city_en is None:
            raise SystemExit(f"no English name for {city}시 of {name_ko}")
        out.append(f"{city_en}-si")
        letters = letters.removeprefix(city_en.lower() + "si")
    # The boundary file's own romanisation of the municipality, when it reads as this unit.
    from_boundary = letters[: -len(UNITS[unit])].capitalize() if letters.endswith(UNITS[unit]) else None
    from_census = _stem(table, stem, unit, census_code)
    if from_boundary and from_census and from_boundary.lower() != from_census.lower():
        print(f"  {name_ko}: boundary file {from_boundary!r}, census table {from_census!r}", file=sys.stderr)
    en = from_boundary or from_census
    if not en:
        raise SystemExit(f"no English name for {name_ko} (boundary file: {boundary_en})")
    out.append(f"{en}-{UNITS[unit]}")
    return " ".join(out)


def main() -> None:
    pop = census()
    table = translations()
    src = SHARED / "southkorea__southkorea-maps" / "kostat" / "2013" / "json" / "skorea_municipalities_geo_simple.json"
    features = json.loads(src.read_text(encoding="utf-8"))["features"]
    out = []
    for f in features:
        p = f["properties"]
        code, name = p["code"], p["name"]
        province, wanted = ALIASES.get(code, (code[:2], name))
        candidates = [c for c, (n, _) in pop.items() if c[:2] == province and len(c) == 5 and _same_place(n, wanted)]
        if len(candidates) > 1:  # e.g. 고성군 / 남해군 stems: the same code, else the exact name, decides
            candidates = [c for c in candidates if c == code] or [
                c for c in candidates if _norm(pop[c][0]) == _norm(wanted)
            ]
        if len(candidates) != 1:
            raise SystemExit(f"no single 2010 census match for {code} {name}: {candidates}")
        census_code = candidates[0]
        out.append(
            {
                "type": "Feature",
                "geometry": f["geometry"],
                "properties": {
                    "code": code,
                    "province_code": code[:2],
                    "name_ko": name,
                    "name_en": english_name(table, name, census_code, p["name_eng"]),
                    "population_2010": pop[census_code][1],
                    "census_code_2010": census_code,
                    "census_name_2010": pop[census_code][0],
                },
            }
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "features": out}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    total = sum(f["properties"]["population_2010"] for f in out)
    print(f"{len(out)} municipalities, population {total:,} → {OUT}")
    provinces = json.loads(src.with_name("skorea_provinces_geo_simple.json").read_text(encoding="utf-8"))
    slim = [
        {
            "type": "Feature",
            "geometry": f["geometry"],
            "properties": {"code": f["properties"]["code"], "name_ko": f["properties"]["name"],
                           "name_en": f["properties"]["name_eng"]},
        }
        for f in provinces["features"]
    ]  # fmt: skip
    prov_out = OUT.with_name("provinces.geojson")
    prov_out.write_text(
        json.dumps({"type": "FeatureCollection", "features": slim}, ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8",
    )
    print(f"{len(slim)} provinces → {prov_out}")


if __name__ == "__main__":
    main()
