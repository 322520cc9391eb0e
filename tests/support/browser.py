"""Playwright on Debian's chromium, and helpers to sign in and open an operation's COP."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, BrowserType, Page

CHROMIUM = os.environ.get("KATCHI_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("KATCHI_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
PASSWORD = "correct horse battery staple"


def launch(playwright) -> Browser:  # type: ignore[no-untyped-def]
    return another(playwright.chromium)


def another(browser_type: BrowserType, env: dict[str, str] | None = None) -> Browser:
    """Debian's chromium from ``browser_type`` (e.g. a running browser's ``browser_type``, as
    Playwright runs once per thread); ``env`` is added to this process's environment for it."""
    return browser_type.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], env=(os.environ | env) if env else None
    )


def sign_in(browser: Browser, base_url: str, username: str, *, lang: str = "en") -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB" if lang == "en" else "ko-KR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(f"{base_url}/login?lang={lang}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def open_cop(page: Page, base_url: str, op_id: str) -> None:
    page.goto(f"{base_url}/operations/{op_id}")
    page.wait_for_selector("body[data-loaded=true]", state="attached", timeout=15_000)
    page.wait_for_function("() => document.getElementById('live-state').classList.contains('ok')", timeout=10_000)
