"""Hazard models (pure functions): earthquake shaking intensity by distance.

Earthquake: the intensity prediction equation of Atkinson, Worden & Wald (2014), "Intensity
prediction equations for North America", BSSA 104(6), doi:10.1785/0120140178:

    MMI = c1 + c2·M + c3·log10(R) + c4·R + c5·B + c6·M·log10(R)
    R = √(r_hyp² + 14²) km,  B = max(0, log10(R / 50))
    (c1 … c6) = (0.309, 1.864, −1.672, −0.00219, 1.77, −0.383)

We use the equation's base form. Its eastern-North-America adjustment (for stable continental crust,
which the Korean Peninsula also is) is not applied yet: we have not confirmed its exact form, and
the version we found was not monotone in distance for small magnitudes. Impact totals are calibrated
separately. Sanity check: for the 2016 Gyeongju Mw 5.5 earthquake (depth ≈ 13 km) the base form gives
MMI ≈ 5.5 at 10 km epicentral distance. Intensity VI was reported near the epicentre, so the base
form runs about half a unit low in stable crust; the impact model's calibration has to allow for that.
"""

from __future__ import annotations

import math

from katchi.core.geo import great_circle_km

_C1, _C2, _C3, _C4, _C5, _C6 = 0.309, 1.864, -1.672, -0.00219, 1.77, -0.383


def mmi_aww2014(magnitude: float, hypocentral_km: float) -> float:
    """Modified Mercalli intensity (1–10) at a hypocentral distance, per Atkinson, Worden & Wald (2014)."""
    if magnitude <= 0 or hypocentral_km < 0:
        raise ValueError("magnitude must be positive and distance non-negative")
    r = hypocentral_km
    big_r = math.sqrt(r * r + 14.0 * 14.0)
    log_r = math.log10(big_r)
    b = max(0.0, math.log10(big_r / 50.0))
    mmi = _C1 + _C2 * magnitude + _C3 * log_r + _C4 * big_r + _C5 * b + _C6 * magnitude * log_r
    return min(10.0, max(1.0, mmi))


def earthquake_mmi_at(
    magnitude: float, epicentre: tuple[float, float], depth_km: float, site: tuple[float, float]
) -> float:
    """Intensity at a site (lon, lat) for an epicentre (lon, lat) and focal depth."""
    epi_km = great_circle_km(epicentre[0], epicentre[1], site[0], site[1])
    return mmi_aww2014(magnitude, math.hypot(epi_km, depth_km))
