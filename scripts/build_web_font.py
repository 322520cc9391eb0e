"""Build the console's Korean web font, so Korean renders on machines without a Korean font
(a field laptop, a kiosk, headless chromium): ``src/katchi/web/static/fonts/katchi-gothic-*.woff2``.

    python scripts/build_web_font.py [FONT_DIR]

Source: NanumGothic Regular and Bold from Debian's ``fonts-nanum`` (default FONT_DIR
``/usr/share/fonts/truetype/nanum``), © 2010 NAVER Corporation, SIL Open Font License 1.1. The
subset keeps every modern Hangul syllable (U+AC00–D7A3, all 11,172), the compatibility jamo,
CJK punctuation and full-width forms; Latin text keeps the reader's own font. A subset is a
Modified Version under the OFL, which may not carry the Reserved Font Names (Nanum, NanumGothic…),
so its family is renamed "Katchi Gothic"; the licence travels beside it as ``OFL.txt``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/fonts/truetype/nanum")
OUT = ROOT / "src" / "katchi" / "web" / "static" / "fonts"
FAMILY = "Katchi Gothic"
#: What the console's CSS declares as the font's ``unicode-range``: only these use the web font.
UNICODE_RANGE = "U+1100-11FF, U+3000-303F, U+3131-318E, U+AC00-D7A3, U+FF01-FF5E"
WEIGHTS = {"regular": ("NanumGothic.ttf", "Regular"), "bold": ("NanumGothicBold.ttf", "Bold")}
LICENCE = Path("/usr/share/doc/fonts-nanum/copyright")


def codepoints(ranges: str) -> list[int]:
    out: list[int] = []
    for part in ranges.split(","):
        lo, _, hi = part.strip().removeprefix("U+").partition("-")
        out.extend(range(int(lo, 16), int(hi or lo, 16) + 1))
    return out


def rename(font: TTFont, style: str) -> None:
    """Give the subset its own family name (OFL: no Reserved Font Name on a Modified Version)."""
    postscript = FAMILY.replace(" ", "") + "-" + style
    names = {1: FAMILY, 2: style, 3: f"{postscript};subset of NanumGothic", 4: f"{FAMILY} {style}", 6: postscript}
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in (*names, 16, 17)]
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
    note = "Subset of NanumGothic (c) 2010 NAVER Corporation, renamed for Katchi; SIL Open Font License 1.1."
    table.setName(note, 10, 3, 1, 0x409)


def build(source: Path, target: Path, style: str) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False  # screens at console sizes; hinting would double the size
    options.desubroutinize = True
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # VTT sources, not font data
    font = subset.load_font(str(source), options)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=codepoints(UNICODE_RANGE))
    sub.subset(font)
    rename(font, style)
    subset.save_font(font, str(target), options)


def licence_text() -> str:
    """The OFL as Debian's copyright file carries it, without the file's own indentation."""
    text = LICENCE.read_text(encoding="utf-8")
    lines = []
    for line in text[text.index("License: OFL-1.1") :].splitlines()[1:]:
        if not line.startswith(" "):
            break  # the next paragraph of the copyright file
        lines.append(re.sub(r"^ ", "", line))
    return "\n".join("" if line == "." else line for line in lines).strip() + "\n"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for weight, (filename, style) in WEIGHTS.items():
        target = OUT / f"katchi-gothic-{weight}.woff2"
        build(SOURCE / filename, target, style)
        print(f"{target.name}: {target.stat().st_size:,} bytes")
    (OUT / "OFL.txt").write_text(licence_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
