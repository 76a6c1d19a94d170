"""The suite's own rules: what is marked slow, and that nothing is written outside tmp_path."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import browser
import pytest
import realdata
import slowmark

TESTS = Path(__file__).resolve().parent
SLOW_MODULES = {"test_golden.py", "test_benchmarks_smoke.py", "test_pekalongan_sync.py"}


def _collected(request) -> list[pytest.Item]:
    items = request.config.stash[slowmark.COLLECTED]
    if not any(item.path.name == "test_render.py" for item in items):
        pytest.skip("only meaningful when the whole suite is collected")
    return items


def test_every_test_that_requests_chromium_is_marked_slow(request):
    items = _collected(request)
    browser_tests = [item for item in items if "chromium" in item.fixturenames]
    assert len(browser_tests) >= 15  # the check is not vacuous
    unmarked = [item.nodeid for item in browser_tests if not item.get_closest_marker("slow")]
    assert unmarked == []


def test_golden_benchmark_notebook_and_real_data_modules_are_marked_slow(request):
    items = _collected(request)
    heavy = [
        item
        for item in items
        if item.path.name in SLOW_MODULES or item.name.startswith("test_notebook_runs_top_to")
    ]
    assert {item.path.name for item in heavy} >= SLOW_MODULES | {"test_notebooks.py"}
    assert [item.nodeid for item in heavy if not item.get_closest_marker("slow")] == []


def test_the_inner_loop_keeps_the_fast_tests(request):
    items = _collected(request)
    fast = [item for item in items if not item.get_closest_marker("slow")]
    assert len(fast) > len(items) / 2
    for module in ("test_matching.py", "test_render.py", "test_build.py", "test_notebooks.py"):
        assert any(item.path.name == module for item in fast), module


def test_real_data_and_a_browser_refuse_a_test_not_marked_slow(request):
    with pytest.raises(pytest.fail.Exception, match="not marked slow"):
        realdata.real("boundaries/kel_3375_kota_pekalongan.geojson")
    with pytest.raises(pytest.fail.Exception, match="not marked slow"):
        browser.launch()
    request.node.add_marker(pytest.mark.slow)
    slowmark.require("real data")  # marked now: no failure


def test_no_test_writes_to_a_fixed_path_in_the_system_temp_folder():
    fixed = re.compile(r"""["'](/tmp|/var/tmp)\b""")
    hits = [
        f"{path.name}:{n}"
        for path in sorted(TESTS.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fixed.search(line)
    ]
    assert hits == [], "write under tmp_path instead"


def test_the_system_temp_folder_is_the_runs_own(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    assert Path(tempfile.gettempdir()).is_relative_to(base)
    assert Path(os.environ["TMPDIR"]) == Path(tempfile.gettempdir())


def test_a_test_that_leaves_something_in_the_system_temp_folder_fails(request, tmp_path):
    plugin = type(request.config.pluginmanager.get_plugin("kotaku-system-temp"))()
    plugin.folder = tmp_path
    item = request.node

    def run(leave: bool) -> None:
        call = plugin.pytest_runtest_call(item)
        next(call)
        if leave:
            (tmp_path / f"tmp{len(list(tmp_path.iterdir()))}").mkdir()
        with pytest.raises(StopIteration):
            call.send(None)
        teardown = plugin.pytest_runtest_teardown(item, None)
        next(teardown)
        with pytest.raises(StopIteration):
            teardown.send(None)

    run(leave=False)
    with pytest.raises(AssertionError, match=r"left \['tmp0'\] in the system temp folder"):
        run(leave=True)
