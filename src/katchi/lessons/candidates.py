"""Candidate observations from an exercise's results: each objective it missed, and each figure
that stands out (a long tail of waiting behind the median, most needs unmet), become draft
observations for the lessons manager, with the evaluators' areas for improvement against that
objective as their sources. Each finding is proposed once (``Lesson.origin``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.core import Forbidden, Invalid
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.exercises import evaluation_of
from katchi.lessons.models import Lesson
from katchi.lessons.schemas import LessonRead, ObservationCreate, SourceRef
from katchi.lessons.service import record_observation
from katchi.lessons.sources import fits

#: A 90th percentile this many times the median is a long tail worth a look.
TAIL_RATIO = 3.0
#: Below this share of needs met, the response fell short overall.
LOW_NEEDS_MET = 0.5
TAILS = (
    ("rfa_tasked", "Submitted → tasked", "접수→임무부여"),
    ("rfa_completed", "Submitted → completed", "접수→완료"),
)


def _findings(metrics: dict[str, Any]) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(key, title, observation) of each figure that stands out."""
    out = []
    for key, en, ko in TAILS:
        p50, p90 = metrics.get(f"{key}_p50_min"), metrics.get(f"{key}_p90_min")
        if p50 and p90 and p90 > TAIL_RATIO * p50:
            out.append(
                (
                    f"metric:{key}",
                    {"en": f"{en}: a long tail", "ko": f"{ko}: 긴 대기 꼬리"},
                    {
                        "en": f"One request in ten waited {p90:.0f} min or more ({en.lower()}), "
                        f"{p90 / p50:.1f} times the median of {p50:.0f} min.",
                        "ko": f"요청 열 건 중 한 건은 {p90:.0f}분 이상 기다렸다({ko}). "
                        f"중앙값 {p50:.0f}분의 {p90 / p50:.1f}배다.",
                    },
                )
            )
    share = metrics.get("needs_met_share")
    if share is not None and share < LOW_NEEDS_MET:
        out.append(
            (
                "metric:needs_met_share",
                {"en": "Most needs were not met", "ko": "요구 대부분이 충족되지 않음"},
                {
                    "en": f"Only {share:.0%} of the needs reported were met by the end of the exercise.",
                    "ko": f"훈련 종료 시점까지 보고된 요구의 {share:.0%}만 충족되었다.",
                },
            )
        )
    return out


class Candidates(BaseModel):
    """The draft observations made (findings proposed before are not made again)."""

    items: list[LessonRead]


def propose_candidates(session: Session, ctx: Context, op_id: str) -> Candidates:
    """A lessons manager turns an exercise's missed objectives and outlying figures into draft
    observations (as they may read the exercise); findings proposed before are skipped."""
    principal = ctx.require()
    if principal.role != Role.lessons_manager:
        raise Forbidden("only a lessons manager proposes observations from an exercise's results")
    evaluation = evaluation_of(session, principal, op_id)
    if evaluation.metrics is None or evaluation.operation is None:
        raise Invalid("the exercise has no results yet: its run has not finished")
    op = evaluation.operation
    # The figures are the exercise as this manager may read it (their organisation's and nation's
    # records too), so the drafts are their organisation's.
    label = f"org:{principal.org_slug}"
    findings = []
    for o in evaluation.objectives:
        if o.get("met") is False:
            title = {"en": f"Objective {o['id']} not met: {o.get('title') or o['metric']}",
                     "ko": f"목표 {o['id']} 미달성: {o.get('title_ko') or o.get('title') or o['metric']}"}  # fmt: skip
            seen = {
                "en": f"{o['metric']} measured {o.get('value')} against a target of {o['target']}.",
                "ko": f"{o['metric']} 측정값 {o.get('value')}, 목표 {o['target']}.",
            }
            sources = [
                SourceRef(type="exercise_observation", id=x.id)
                for x in evaluation.observations.get(o["id"], [])
                if x.kind == "area_for_improvement" and fits(session, label, {"label": x.label, "operation_id": op.id})
            ]
            findings.append((f"objective:{o['id']}", title, seen, sources))
    findings += [(key, title, seen, []) for key, title, seen in _findings(evaluation.metrics)]
    made = []
    for key, title, seen, sources in findings:
        origin = f"{op.id}/{key}/{principal.org_slug}"  # once per organisation: no word of others' drafts
        if session.scalar(select(Lesson.id).where(Lesson.origin == origin)) is not None:
            continue
        data = ObservationCreate.model_validate(
            {"title": title, "observation": seen, "sources": sources, "hazard": op.hazard, "label": label}
        )
        lesson = record_observation(session, ctx, data)
        row = session.get(Lesson, lesson.id)
        assert row is not None
        row.origin = origin
        made.append(lesson)
    session.flush()
    return Candidates(items=made)
