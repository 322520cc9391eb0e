"""Refresh the console's catalogues: extract messages, then merge them into ko and en.

    python scripts/update_translations.py

Korean translations are kept in ``src/katchi/web/locale/ko/LC_MESSAGES/messages.po`` (edit there);
English uses the msgids as they are. ``tests/web/test_i18n.py`` fails when a message has no Korean.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "katchi" / "web" / "locale"


def main() -> None:
    pot = LOCALE / "messages.pot"
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*babel, "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_", "-k", "gettext", "--no-location",
                    "--omit-header", "-o", str(pot), "."], cwd=ROOT, check=True)  # fmt: skip
    for lang in ("ko", "en"):
        po = LOCALE / lang / "LC_MESSAGES" / "messages.po"
        verb = "update" if po.exists() else "init"
        subprocess.run([*babel, verb, "-i", str(pot), "-d", str(LOCALE), "-l", lang, "--no-wrap"], check=True)


if __name__ == "__main__":
    main()
