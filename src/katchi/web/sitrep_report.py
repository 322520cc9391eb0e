"""A situation report rendered: one page in English or Korean, and the same page as PDF
(WeasyPrint, Korean in NanumGothic, as the after-action report). The sections are the report's
own texts; the tables come from the figures drawn when it was drafted."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from katchi import exercises
from katchi.assets import catalogue
from katchi.reports import SECTOR_NAMES, SitRepRead, local
from katchi.web import i18n
from katchi.web.lessons_report import HAZARD_NAMES
from katchi.web.pages import ENV

EXTRA_CSS = """
  .banner { string-set: exercise content(); }
  @page { @top-center { content: string(exercise); color: #b00020; font-size: 8pt; font-weight: bold; } }
  .marking { display: inline-block; border: 1px solid #b00020; color: #b00020; font-weight: bold;
             font-size: 8.5pt; padding: .05rem .4rem; margin: .2rem 0; }
  .draft { color: #8a5a00; font-weight: bold; }
  .section { white-space: pre-wrap; margin: .2rem 0 .8rem; }
  .untranslated { color: #8a5a00; font-size: 8.5pt; font-style: italic; white-space: nowrap; }
  td.n, th.n { text-align: right; }
"""


def sitrep_css() -> str:
    """The stylesheet: served to the page a browser opens, inlined in the page WeasyPrint prints."""
    return exercises.report_css() + EXTRA_CSS


def render_sitrep(rep: SitRepRead, lang: str, *, zone: ZoneInfo, inline_css: bool = False) -> str:
    """The report as HTML in ``lang`` (en or ko), times in ``zone``; ``inline_css`` for the PDF."""
    t = i18n.translations(lang)
    other = "ko" if lang == "en" else "en"
    caps = catalogue()

    def pick(section: str) -> tuple[str, str]:
        """A section in the report's language, else ``(the other language's text, its code)``."""
        text = rep.texts[section]
        mine = getattr(text, lang)
        if mine:
            return mine, ""
        theirs = getattr(text, other)
        return theirs, (other if theirs else "")

    def district_name(row: dict[str, Any]) -> str:
        return str(row["name"][lang]) if row.get("name") else t.gettext("Outside Korea's municipalities")

    def sector_name(code: str) -> str:
        return SECTOR_NAMES.get(code, {}).get(lang, code)

    def capability_name(code: str) -> str:
        cap = caps.get(code)
        return cap.names.get(lang, code) if cap else code

    op = rep.figures["operation"]
    return ENV.get_template("sitrep.html").render(
        lang=lang,
        _=t.gettext,
        gettext=t.gettext,
        ngettext=t.ngettext,
        rep=rep,
        op=op,
        hazard=t.gettext(HAZARD_NAMES[op["hazard"]]) if op["hazard"] in HAZARD_NAMES else op["hazard"],
        pick=pick,
        when=lambda moment: local(moment, zone),
        district_name=district_name,
        sector_name=sector_name,
        capability_name=capability_name,
        inline_css=sitrep_css() if inline_css else None,
    )


def sitrep_pdf(html: str) -> bytes:
    """The same page as PDF."""
    return exercises.report_pdf(html)


def pdf_filename(rep: SitRepRead, lang: str) -> str:
    """``sitrep-<number>-<lang>.pdf``."""
    return f"sitrep-{rep.number}-{lang}.pdf"
