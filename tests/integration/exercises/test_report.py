"""The after-action report: bilingual HTML with charts, and a PDF whose Korean text is real text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from katchi.exercises import load_scenario
from katchi.exercises.report import write_report
from katchi.exercises.run import run_engine_only

SMALL = load_scenario(Path(__file__).resolve().parents[2] / "fixtures" / "scenario-small.yaml")


def _korean_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def test_report_html_and_pdf(tmp_path: Path) -> None:
    result = run_engine_only(SMALL, "nearest-available")
    html_path, pdf_path = write_report(result, tmp_path / "aar")
    html = html_path.read_text("utf-8")
    assert "사후 검토 보고서" in html and "After-action report" in html
    assert html.count("<svg") == 3  # needs met, response times, utilisation
    assert "EXERCISE" in html and SMALL.name_ko in html
    assert "rfa_tasked_p50_min &lt;= 60" in html and ("✘ not met" in html or "✔ met" in html)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if not _korean_font_installed():
        pytest.skip("no Korean font installed (.ci/run installs fonts-nanum)")
    reader = pypdf.PdfReader(pdf_path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "사후 검토 보고서" in text and SMALL.name_ko in text  # Korean rendered as text, not tofu
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()  # type: ignore[union-attr]
        for f in [f.get_object()]
    }
    assert any("Nanum" in f or "CJK" in f for f in fonts), fonts
