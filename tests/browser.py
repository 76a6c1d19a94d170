"""A small Playwright harness: open a local HTML file in headless Chromium with no network.

Every request that is not the file itself is aborted and recorded; JS errors (``pageerror``
and ``console.error``) and dialogs (``alert`` & co.) are recorded too, so a test can assert
that a page is offline, error-free and did not run injected script.

Never runs ``playwright install``: it uses Debian's ``/usr/bin/chromium``. Where that is
missing the tests skip, except when the ``CI`` environment variable is set: then they fail.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import slowmark

CHROMIUM = os.environ.get("KOTAKU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing(reason: str) -> None:
    """Skip, or fail when running in CI (env var ``CI`` set)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def launch():
    """Start Playwright and headless Chromium; returns ``(playwright, browser)``."""
    slowmark.require("a browser")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        missing("playwright (Python) is not installed")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception:
        pw.stop()
        raise
    return pw, browser


@dataclass
class PageReport:
    """What happened while a page was open."""

    url: str
    requests: list[str] = field(default_factory=list)  # every request but the file itself
    errors: list[str] = field(default_factory=list)  # pageerror + console.error
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages

    def assert_clean(self) -> None:
        """No request left the page, no JS error, no dialog."""
        assert self.requests == [], f"requests left the page: {self.requests[:5]}"
        assert self.errors == [], f"JS errors: {self.errors[:5]}"
        assert self.dialogs == [], f"dialogs fired: {self.dialogs[:5]}"


def open_offline(browser, path, *, viewport=(1366, 768), ready: str | None = None):
    """Open *path* with the network blocked; returns ``(page, report)``.

    Parameters
    ----------
    browser : playwright Browser
    path : path-like
        Local HTML file.
    viewport : (int, int)
        Width and height in CSS pixels (1366x768: a typical forum laptop/projector).
    ready : str, optional
        JS expression to wait for (default: a KotakuMap instance exists).
    """
    url = Path(path).resolve().as_uri()
    report = PageReport(url)
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block"
    )
    context.set_offline(True)

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            report.requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()

    def on_request(req):
        if req.url != url and not req.url.startswith("data:") and req.url not in report.requests:
            report.requests.append(req.url)

    page.on("request", on_request)
    page.on("pageerror", lambda exc: report.errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            report.errors.append(f"console.error: {msg.text}") if msg.type == "error" else None
        ),
    )

    def on_dialog(dialog):
        report.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url, wait_until="load")
    page.wait_for_function(
        ready or "window.KotakuMap && Object.keys(window.KotakuMap.instances).length > 0",
        timeout=15_000,
    )
    page.wait_for_timeout(150)
    return page, report


def close(page) -> None:
    """Close the page and its context."""
    page.context.close()
