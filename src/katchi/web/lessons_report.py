"""The lessons report rendered: one page in English or Korean (the console's Babel catalogues), and
the same page as PDF (WeasyPrint, Korean in NanumGothic, as the after-action report). A text a
lesson lacks in the report's language shows in the other language, marked as not yet translated:
Katchi has no machine translation offline and does not pretend to."""

from __future__ import annotations

import re
from typing import Any

from katchi import exercises
from katchi.lessons import LessonsReport
from katchi.lessons.queries import TEXT_FIELDS
from katchi.web import i18n
from katchi.web.i18n import N_
from katchi.web.pages import ENV

#: Hazards named in the reader's language (others show as written).
HAZARD_NAMES = {
    "earthquake": N_("earthquake"),
    "typhoon": N_("typhoon"),
    "flood": N_("flood"),
    "landslide": N_("landslide"),
    "tsunami": N_("tsunami"),
    "wildfire": N_("wildfire"),
    "heavy_rain": N_("heavy_rain"),
    "heavy_snow": N_("heavy_snow"),
    "heatwave": N_("heatwave"),
}
FIELD_NAMES = {
    "title": N_("Title"),
    "observation": N_("Observation"),
    "discussion": N_("Discussion"),
    "recommendation": N_("Recommendation"),
    "root_cause": N_("Root cause"),
}
SOURCE_NAMES = {
    "log": N_("Ops log entry"),
    "decision": N_("Decision"),
    "incident": N_("Incident report"),
    "exercise_observation": N_("Evaluator observation"),
    "rfa": N_("Request for assistance"),
    "exercise_objective": N_("Exercise objective"),
    "operation_record": N_("Operation record"),
}
#: What the lessons report adds to the after-action report's stylesheet.
EXTRA_CSS = """
  .banner { string-set: exercise content(); }
  @page { @top-center { content: string(exercise); color: #b00020; font-size: 8pt; font-weight: bold; } }
  .title-page { margin-bottom: 1.2rem; }
  h2.lessons { break-before: page; }
  .lesson { border-top: 2px solid #1f5fa8; margin-top: 1.2rem; padding-top: .3rem; break-inside: avoid-page; }
  .marking { display: inline-block; border: 1px solid #b00020; color: #b00020; font-weight: bold;
             font-size: 8.5pt; padding: .05rem .4rem; margin: .2rem 0; }
  .untranslated { color: #8a5a00; font-size: 8.5pt; font-style: italic; white-space: nowrap; }
  .field { margin: .2rem 0 .5rem; white-space: pre-wrap; }
  h4 { font-size: 10pt; margin: .6rem 0 .1rem; }
  .two { display: flex; gap: 1.5rem; } .two > table { flex: 1; }
"""


def report_css() -> str:
    """The report's stylesheet: served to the page a browser opens (its policy allows no inline
    style), inlined in the page WeasyPrint prints."""
    return exercises.report_css() + EXTRA_CSS


def render_lessons_report(report: LessonsReport, lang: str, *, inline_css: bool = False) -> str:
    """The report as HTML in ``lang`` (en or ko); ``inline_css`` for the PDF."""
    t = i18n.translations(lang)
    other = "ko" if lang == "en" else "en"

    def pick(text: Any) -> tuple[str, str]:
        """The text in the report's language, else ``(the other language's text, its code)``."""
        mine = getattr(text, lang, "") or ""
        if mine:
            return mine, ""
        theirs = getattr(text, other, "") or ""
        return theirs, (other if theirs else "")

    def capability_name(code: str | None) -> str:
        if not code:
            return t.gettext("Not set")
        return report.capability_names.get(code, {}).get(lang) or code

    def hazard_name(code: str | None) -> str:
        return t.gettext(HAZARD_NAMES[code]) if code in HAZARD_NAMES else (code or t.gettext("Not set"))

    return ENV.get_template("lessons_report.html").render(
        lang=lang,
        _=t.gettext,
        gettext=t.gettext,
        ngettext=t.ngettext,
        report=report,
        fields=[(f, t.gettext(FIELD_NAMES[f])) for f in TEXT_FIELDS if f != "title"],
        pick=pick,
        capability_name=capability_name,
        hazard_name=hazard_name,
        source_name=lambda kind: t.gettext(SOURCE_NAMES[kind]) if kind in SOURCE_NAMES else kind,
        generated=report.generated.strftime("%Y-%m-%d %H:%M UTC"),
        inline_css=report_css() if inline_css else None,
    )


def report_pdf(html: str) -> bytes:
    """The same page as PDF."""
    return exercises.report_pdf(html)


def pdf_filename(report: LessonsReport, lang: str) -> str:
    """``lessons-<hazard>-<lang>.pdf`` or ``lessons-exercise-<operation id>-<lang>.pdf``, safe in a header."""
    subject = report.hazard if report.hazard is not None else f"exercise-{report.exercise_id}"
    return f"lessons-{re.sub(r'[^A-Za-z0-9_-]', '_', subject)}-{lang}.pdf"
