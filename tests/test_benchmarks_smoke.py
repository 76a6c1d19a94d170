"""The benchmark script must keep running: ``benchmarks/run.py --quick`` on ~1.1k desa."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from realdata import real

pytestmark = pytest.mark.slow  # real data, and a benchmark in a subprocess

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_quick_runs_and_agrees_with_peer(tmp_path: Path) -> None:
    real("boundaries/desa_kel_33_prov_jawa_tengah.gpkg")
    import mapclassify  # noqa: F401  (the peer's explore() needs it: part of the test extra)

    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--data-dir",
            str(tmp_path / "data"),
            "--results-dir",
            str(tmp_path / "results"),
            "--timeout",
            "120",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads((tmp_path / "results" / "benchmark.json").read_text())
    rows = {r["row"]: r for r in report["rows"]}
    assert set(rows) == {"peer-1k", "kotaku-1k", "kotaku-1k-atlas", "kotaku-pekalongan-sync"}
    atlas = rows.pop("kotaku-1k-atlas")
    assert atlas["rc"] == 0 and atlas["pdf_mb"] > 0 and atlas["png_files"] == 4 + 1
    sync = rows.pop("kotaku-pekalongan-sync")  # real data, the SK workbook read, [sync]
    assert sync["rc"] == 0 and sync["desa"] == 27 and sync["cpu_s"] > 0 and sync["html_mb"] > 0
    [city] = (Path(sync["out"]) / "3375-kota-pekalongan").glob("sinkronisasi.csv")
    assert len(city.read_text(encoding="utf-8-sig").splitlines()) > 27
    for r in rows.values():
        assert r["rc"] == 0 and r["wall_s"] > 0 and r["peak_rss_mb"] > 0 and r["html_mb"] > 0
        assert r["desa"] > 1000
    eq = report["equality"]["1k"]
    assert eq["cities_both"] == eq["cities_kotaku"] == eq["cities_peer"] == 4
    assert eq["overlap_ha"]["within_tolerance"] and eq["gap_ha"]["within_tolerance"]
    assert (tmp_path / "results" / "benchmark.csv").is_file()
