"""Korean and English for the console: Babel catalogues (``web/locale/<lang>/LC_MESSAGES/messages.po``),
read at start-up; Babel formats dates and numbers for the chosen locale.

The language comes from ``?lang=ko|en`` (remembered in a cookie), else the cookie, else the
browser's Accept-Language, else Korean. Strings the browser scripts show are listed in
``SCRIPT_MESSAGES`` and sent to the page already translated.
"""

from __future__ import annotations

import gettext
import io
from datetime import datetime
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from fastapi import Request

LANGS = ("ko", "en")
LANG_COOKIE = "katchi_lang"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


@cache
def translations(lang: str) -> gettext.NullTranslations:
    po = resources.files("katchi.web").joinpath(f"locale/{lang}/LC_MESSAGES/messages.po")
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def choose_lang(request: Request) -> tuple[str, bool]:
    """The language for this request, and whether it was asked for now (to remember it)."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked, True
    kept = request.cookies.get(LANG_COOKIE)
    if kept in LANGS:
        return kept, False
    accept = request.headers.get("accept-language", "")
    for part in accept.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code, False
    return "ko", False


def fmt_datetime(value: datetime | None, lang: str) -> str:
    if value is None:
        return ""
    return format_datetime(value, format="short", locale=Locale.parse(lang), tzinfo=None)


def fmt_number(value: float | int | None, lang: str) -> str:
    return "" if value is None else format_decimal(value, locale=Locale.parse(lang))


#: Strings the browser scripts need (state and action names, labels, messages).
SCRIPT_MESSAGES = [
    N_("draft"),
    N_("submitted"),
    N_("validated"),
    N_("rejected"),
    N_("tasked"),
    N_("accepted"),
    N_("declined"),
    N_("underway"),
    N_("completed"),
    N_("cancelled"),
    N_("submit"),
    N_("validate"),
    N_("reject"),
    N_("task"),
    N_("accept"),
    N_("decline"),
    N_("start"),
    N_("complete"),
    N_("cancel"),
    N_("minor"),
    N_("moderate"),
    N_("severe"),
    N_("extreme"),
    N_("critical"),
    N_("high"),
    N_("medium"),
    N_("low"),
    N_("open"),
    N_("closed"),
    N_("available"),
    N_("requested"),
    N_("unavailable"),
    N_("Live"),
    N_("Reconnecting…"),
    N_("Click the map to place the incident."),
    N_("Saved."),
    N_("Choose an asset"),
    N_("Caveats"),
    N_("only inside its permitted area"),
    N_("at most this many hours"),
    N_("not for"),
    N_("needs its nation's approval"),
    N_("awaiting_approval"),
    N_("approved"),
    N_("denied"),
    N_("approver"),
    N_("Last resort: civilian alternatives are available. Give a justification."),
    N_("running"),
    N_("paused"),
    N_("ended"),
    N_("people"),
    N_("INJECT"),
    N_("Hold"),
    N_("Release"),
    N_("Expected"),
    N_("pending"),
    N_("held"),
    N_("delivered"),
    N_("Strength"),
    N_("Area for improvement"),
    N_("Replay: the picture as it was, rebuilt from the log"),
    N_("No records."),
    N_("Something went wrong; nothing was lost. Try again."),
    N_("Recommended"),
    N_("arrives in"),
    N_("min"),
    N_("Accept recommendation"),
    N_("civilian first"),
    N_("military last resort: no civilian asset can arrive in time"),
    N_("military last resort: the civilian assets that can arrive in time are needed for other requests"),
    N_("Observe"),
    # The situation board and situation reports.
    N_("Dead"),
    N_("Injured"),
    N_("Missing"),
    N_("Trapped"),
    N_("Displaced"),
    N_("In need"),
    N_("Casualties"),
    N_("Open requests"),
    N_("Total"),
    N_("Outside Korea's municipalities"),
    N_("Nothing reported yet"),
    N_("issued"),
    N_("Edit"),
    N_("Issue report"),
    N_("Issue this situation report to everyone its releasability reaches? It cannot be changed afterwards."),
    N_("Drafts are prepared at"),
    N_("No automatic drafts."),
    # A facility's status and kind (words of their own: an incident's "open" is not a shelter's).
    N_("Open"),
    N_("Full"),
    N_("Closed"),
    N_("Damaged"),
    N_("Shelter"),
    N_("Hospital"),
    N_("Airport"),
    N_("Port"),
    N_("Staging area"),
    N_("Warehouse"),
    N_("CMOC"),
    N_("Status"),
    N_("Occupancy"),
    N_("Beds available"),
    N_("Needs"),
    N_("Needs, comma-separated"),
    N_("Last update"),
    N_("Update status"),
    N_("Remove"),
    N_("Remove this contact from the directory?"),
]


#: Names shown from data (roles, incident kinds), marked so that extraction finds them.
DATA_MESSAGES = [
    N_("viewer"),
    N_("contributor"),
    N_("coordinator"),
    N_("asset_manager"),
    N_("exercise_controller"),
    N_("evaluator"),
    N_("approver"),
    N_("lessons_manager"),
    N_("admin"),
    N_("building_collapse"),
    N_("trapped_people"),
    N_("fire"),
    N_("flood"),
    N_("landslide"),
    N_("mass_casualty"),
    N_("road_blocked"),
    N_("displacement"),
    N_("water_shortage"),
    N_("power_outage"),
    N_("hazmat"),
    N_("other"),
]


def script_messages(lang: str) -> dict[str, str]:
    t = translations(lang)
    return {m: t.gettext(m) for m in SCRIPT_MESSAGES}
