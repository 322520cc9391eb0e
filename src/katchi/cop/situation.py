"""The situation by district (시·군·구): human impact, incidents and open requests per
municipality, over what the reader may read (each record by its own label)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from katchi.cop.districts import all_districts, district_of
from katchi.cop.models import Incident
from katchi.cop.schemas import IMPACT
from katchi.core.access import Principal, label_filter
from katchi.operations import OperationView
from katchi.tasking import CLOSED as RFA_CLOSED
from katchi.tasking import Rfa


class Figures(BaseModel):
    dead: int = 0
    injured: int = 0
    missing: int = 0
    trapped: int = 0
    displaced: int = 0
    in_need: int = 0
    incidents: int = 0
    open_rfas: int = 0


class DistrictRow(Figures):
    """One municipality (``code``: KOSTAT code; ``null``: outside Korea's municipalities)."""

    code: str | None
    name: dict[str, str] | None


class Situation(BaseModel):
    items: list[DistrictRow]
    totals: Figures


def situation(
    session: Session,
    principal: Principal | None,
    view: OperationView,
    *,
    until: datetime | None = None,
    open_rfa_locations: Iterable[dict[str, Any]] | None = None,
) -> Situation:
    """Figures summed by district from the incidents the reader may read (a figure not reported
    counts 0), with the open requests the reader may read located in each. A situation report's
    period: ``until`` keeps the incidents created before then (with their latest figures), and
    ``open_rfa_locations`` are the requests open then (the report replays them from the log)."""
    created_by_then = (lambda model: (model.created_at < until,)) if until is not None else (lambda model: ())
    incidents = session.execute(
        select(
            Incident.district_code,
            *(func.coalesce(func.sum(getattr(Incident, name)), 0) for name in IMPACT),
            func.count(),
        )
        .where(
            Incident.operation_id == view.id,
            label_filter(Incident.label, principal, participant=view.participant),
            *created_by_then(Incident),
        )
        .group_by(Incident.district_code)
    ).all()
    rows: dict[str | None, dict[str, Any]] = {}
    for code, *sums, count in incidents:
        rows[code] = dict(zip(IMPACT, (int(x) for x in sums), strict=True)) | {"incidents": int(count)}
    if open_rfa_locations is None:
        open_rfa_locations = session.scalars(
            select(Rfa.location).where(
                Rfa.operation_id == view.id,
                Rfa.state.not_in(sorted(s.value for s in RFA_CLOSED)),  # met, refused or withdrawn
                label_filter(Rfa.label, principal, participant=view.participant),
            )
        )
    open_rfas: Counter[str | None] = Counter()
    for location in open_rfa_locations:
        district = district_of(location)
        open_rfas[district.code if district else None] += 1
    names = {d.code: {"en": d.name_en, "ko": d.name_ko} for d in all_districts()}
    items = [
        DistrictRow(code=code, name=names.get(code) if code else None, **rows.get(code, {}), open_rfas=open_rfas[code])
        for code in sorted(set(rows) | set(open_rfas), key=lambda c: (c is None, c or ""))
    ]
    totals = Figures(**{f: sum(getattr(row, f) for row in items) for f in Figures.model_fields})
    return Situation(items=items, totals=totals)
