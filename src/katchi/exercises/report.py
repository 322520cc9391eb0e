"""The after-action report: HTML with charts, and the same page as PDF (WeasyPrint).

Charts are matplotlib SVG with text kept as text, so Korean renders with the page's fonts
(Noto Sans CJK KR or NanumGothic; ``.ci/run`` installs fonts-nanum for the PDF).
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from katchi.assets import catalogue
from katchi.exercises.aar import ENV, Evaluation, metric_namer, t_plus_from, tr_for
from katchi.exercises.metrics import met_share_series
from katchi.exercises.run import RunResult

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # missing CJK fonts: fall back quietly
plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": ["NanumGothic", "Noto Sans CJK KR", "DejaVu Sans"],
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

#: (metric key, English, Korean, unit) in the order the report shows them.
METRIC_ROWS = [
    ("rfas", "Requests for assistance", "지원 요청(RFA)", ""),
    ("incidents", "Incidents reported", "보고된 사건", ""),
    ("needs_met_share", "Share of needs met", "충족된 요구 비율", "%"),
    ("unmet_urgent_need_hours", "Unmet urgent-need hours", "미충족 긴급 요구 시간", "h"),
    ("survivors_rescued", "Survivors rescued alive", "생존 구조자", ""),
    ("rfa_validated_p50_min", "Submitted → validated, median", "접수→검증 중앙값", "min"),
    ("rfa_tasked_p50_min", "Submitted → tasked, median", "접수→임무부여 중앙값", "min"),
    ("rfa_tasked_p90_min", "Submitted → tasked, 90th percentile", "접수→임무부여 90%", "min"),
    ("rfa_completed_p50_min", "Submitted → completed, median", "접수→완료 중앙값", "min"),
    ("rfa_completed_p90_min", "Submitted → completed, 90th percentile", "접수→완료 90%", "min"),
    ("asset_utilisation", "Asset utilisation", "자산 가동률", "%"),
    ("military_share_of_taskings", "Military share of taskings", "군 자산 임무 비율", "%"),
]
IMPACT_ROWS = [
    ("deaths", "Deaths", "사망"),
    ("injured", "Injured", "부상"),
    ("trapped", "Trapped (need rescue)", "매몰·고립 (구조 필요)"),
    ("buildings_collapsed", "Buildings collapsed", "붕괴 건물"),
    ("displaced", "Displaced", "이재민"),
]


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _chart_met_share(result: RunResult) -> str:
    series = met_share_series(result.times, result.prepared.until_min)
    fig, ax = plt.subplots(figsize=(7, 2.6))
    ax.plot([h for h, _ in series], [100 * s for _, s in series], color="#1f5fa8", linewidth=2)
    ax.set_xlabel("Simulated hours / 모의 경과 시간 (h)")
    ax.set_ylabel("Needs met / 충족 (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    return _svg(fig)


def _chart_response_times(result: RunResult) -> str:
    tasked = sorted((r.tasked - r.created) / 60 for r in result.times if r.tasked is not None)
    done = sorted((r.completed - r.created) / 60 for r in result.times if r.completed is not None)
    fig, ax = plt.subplots(figsize=(7, 2.6))
    for values, label, style in ((tasked, "tasked / 임무부여", "-"), (done, "completed / 완료", "--")):
        if values:
            n = len(values)
            ax.step(values, [100 * (i + 1) / len(result.times) for i in range(n)], style, where="post", label=label)
    ax.set_xlabel("Hours after the request / 요청 후 시간 (h)")
    ax.set_ylabel("Requests / 요청 (%)")
    ax.set_ylim(0, 100)
    ax.legend(loc="lower right", frameon=False)
    ax.grid(alpha=0.3)
    return _svg(fig)


def _utilisation_rows(result: RunResult) -> list[dict[str, Any]]:
    until = result.prepared.until_min
    by_cap: dict[str, list[float]] = defaultdict(list)
    tasks: dict[str, int] = defaultdict(int)
    for u in result.units:
        busy = u.busy_total + ((until - u.busy_since) if u.busy else 0.0)
        by_cap[u.capability].append(busy / until if until else 0.0)
        tasks[u.capability] += u.tasks
    names = {code: c.names for code, c in catalogue().items()}
    return [
        {
            "en": names.get(cap, {}).get("en", cap),
            "ko": names.get(cap, {}).get("ko", cap),
            "units": len(v),
            "tasks": tasks[cap],
            "utilisation": 100 * sum(v) / len(v),
        }
        for cap, v in sorted(by_cap.items(), key=lambda kv: -sum(kv[1]) / len(kv[1]))
    ]


def _chart_utilisation(rows: list[dict[str, Any]]) -> str:
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(rows) + 0.8))
    ax.barh([r["en"] for r in rows][::-1], [r["utilisation"] for r in rows][::-1], color="#6a8caf")
    ax.set_xlabel("Utilisation / 가동률 (%)")
    ax.set_xlim(0, 100)
    return _svg(fig)


def fmt(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{100 * value:.1f} %"
    if isinstance(value, float):
        return f"{value:,.1f}{' ' + unit if unit else ''}"
    return f"{value:,}{' ' + unit if unit else ''}"


def render_html(result: RunResult, evaluation: Evaluation | None = None) -> str:
    """The bilingual report of a run; ``evaluation``: observations and the improvement plan."""
    m = result.metrics
    sc = result.prepared.scenario
    util = _utilisation_rows(result)
    top = sorted(result.prepared.impacts, key=lambda i: (-i.deaths, -i.displaced))[:12]
    return ENV.get_template("aar.html").render(
        scenario=sc,
        m=m,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        metric_rows=[(en, ko, fmt(m.get(key), unit)) for key, en, ko, unit in METRIC_ROWS],
        impact_rows=[(en, ko, f"{m[key]:,}") for key, en, ko in IMPACT_ROWS],
        objectives=m.get("objectives", {}),
        districts=top,
        utilisation=util,
        chart_met=_chart_met_share(result),
        chart_times=_chart_response_times(result),
        chart_util=_chart_utilisation(util),
        evaluation=evaluation,
        lang=None,
        tr=tr_for(None),
        metric_name=metric_namer(None),
        t_plus=t_plus_from(sc.start),
    )


def write_report(result: RunResult, directory: str | Path, evaluation: Evaluation | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.pdf`` (same content) into ``directory``."""
    from weasyprint import HTML

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(result, evaluation)
    html_path = out / "report.html"
    html_path.write_text(html, "utf-8")
    pdf_path = out / "report.pdf"
    HTML(string=html, base_url=str(out)).write_pdf(pdf_path)
    return html_path, pdf_path
