"""Real data in ``../shared/data``: a test that needs it skips without it, or fails under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import slowmark

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def real(relative: str) -> Path:
    """The path of a real data file; skip (or fail when ``CI`` is set) if it is missing."""
    slowmark.require(f"real data ({relative})")
    path = DATA / relative
    if not path.exists():
        message = f"real data missing: {path}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: real data must be there)")
        pytest.skip(message)
    return path
