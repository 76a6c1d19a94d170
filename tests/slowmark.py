"""The ``slow`` marker: what ``python -m pytest -m "not slow"`` (the inner loop) leaves out.

Slow are the tests that read real data (``realdata.real``), drive Chromium (the ``chromium``
fixture, ``browser.launch``), run the notebooks or a golden or benchmark build. ``conftest.py``
marks every test that requests ``chromium`` by itself; the others carry
``@pytest.mark.slow`` (or a module's ``pytestmark``).

So that a missing mark cannot rot unnoticed, ``conftest.py`` records the running test in
``CURRENT`` and :func:`require` fails a test without the mark the moment it reaches for real
data or a browser: the inner loop then fails instead of silently growing slow.
"""

from __future__ import annotations

import pytest

CURRENT: pytest.Item | None = None  # the running test; set by conftest.py
COLLECTED = pytest.StashKey[list]()  # config.stash: every collected test, before `-m` deselects


def require(what: str, item: pytest.Item | None = None) -> None:
    """Fail the running test (or ``item``) unless it is marked ``slow``: it uses ``what``."""
    item = item if item is not None else CURRENT
    if item is not None and item.get_closest_marker("slow") is None:
        pytest.fail(
            f"{item.nodeid} uses {what} but is not marked slow: add @pytest.mark.slow "
            "(see tests/slowmark.py)",
            pytrace=False,
        )
