"""Reference builds write byte-identical files (see tests/golden.py to record them again)."""

from __future__ import annotations

import golden
import pytest

pytestmark = pytest.mark.slow  # whole builds, compared byte for byte


@pytest.mark.parametrize("name", ["demo", "pekalongan"])
def test_a_reference_build_writes_the_recorded_bytes(name, reference_build):
    recorded = golden.load(name)
    assert recorded["versions"] == golden.versions(), (
        "the golden digests were recorded with other library versions; after checking the "
        "outputs, record them again: python tests/golden.py record"
    )
    got = golden.digests(reference_build(name))  # the same build the browser tests read
    assert golden.compare(name, got) == []
