"""Regions carry real boundaries and the 2010 census population."""

from __future__ import annotations

import pytest

from katchi.exercises import load_region


def test_seoul_has_its_25_districts_and_census_population() -> None:
    seoul = load_region("seoul")
    assert len(seoul) == 25
    assert sum(d.population for d in seoul) == 9_631_482  # 2010 census, Seoul total
    jongno = next(d for d in seoul if d.name_ko == "종로구")
    assert jongno.population == 151_069 and jongno.name_en == "Jongno-gu"
    lon, lat = jongno.centroid
    assert 126.9 < lon < 127.1 and 37.55 < lat < 37.65
    assert jongno.shape.area > 0


def test_whole_country_sums_to_the_national_census_total() -> None:
    korea = load_region("korea")
    assert len(korea) == 251
    assert sum(d.population for d in korea) == 47_990_761
    assert len({d.code for d in korea}) == 251


def test_unknown_region() -> None:
    with pytest.raises(ValueError, match="known"):
        load_region("atlantis")


def test_english_names_are_romanised_with_hyphenated_units() -> None:
    """Revised Romanization as the official names write it: each unit hyphenated, a district
    after its city ("Ansan-si Sangnok-gu"), never run together ("Ansansisangnokgu")."""
    import re

    by_ko = {d.name_ko: d.name_en for d in load_region("korea")}
    official = re.compile(r"[A-Z][a-z]+-(si|gun|gu)( [A-Z][a-z]+-gu)?")
    assert [en for en in by_ko.values() if not official.fullmatch(en)] == []
    assert by_ko["안산시상록구"] == "Ansan-si Sangnok-gu"
    assert by_ko["고양시덕양구"] == "Goyang-si Deogyang-gu"
    assert by_ko["창원시진해구"] == "Changwon-si Jinhae-gu"  # the boundary file leaves the city out
    assert by_ko["천안시서북구"] == "Cheonan-si Seobuk-gu"  # the census table misspells it "Sebuk"
    assert by_ko["철원군"] == "Cheorwon-gun"  # the boundary file misnames it "Gongju-si"
    assert by_ko["세종시"] == "Sejong-si"
    assert by_ko["종로구"] == "Jongno-gu"
