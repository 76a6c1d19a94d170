"""The GeoPackages in real QGIS (Debian's QGIS 3.22 LTR, headless): styled, described, drawn.

``tests/qgis_check.py`` runs in Debian's ``/usr/bin/python3`` (the ``qgis`` module is built
for it, not for the project's venv) with ``QT_QPA_PLATFORM=offscreen``, opens every layer
of the demo's and Pekalongan's GeoPackages (the reference builds of ``tests/golden.py``),
reports what QGIS sees and draws each city to PNG. Without QGIS the tests skip; with ``CI``
set they fail (``.ci/run`` installs ``python3-qgis`` and ``qgis-providers``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from browser import missing
from PIL import Image

from kotaku_map.render.labels import text
from kotaku_map.render.style import (
    GAP,
    GAP_STATUS_HATCH,
    OVERLAP,
    PROGRAM_COLORS,
    level_categories,
    status_categories,
)

pytestmark = pytest.mark.slow  # two reference builds and QGIS

HERE = Path(__file__).resolve().parent
QGIS_PYTHON = os.environ.get("KOTAKU_QGIS_PYTHON", "/usr/bin/python3")
#: the layers a city map shows when it opens, bottom first (the sliver layer is off)
DRAWN = ("kelurahan", "wilayah_kerja", "kawasan_kumuh", "tumpang_tindih", "celah_cakupan")


def _env(folder: Path) -> dict[str, str]:
    """QGIS headless, its runtime, profile and temp files in ``folder``."""
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    (folder / "tmp").mkdir(exist_ok=True)
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(folder),
        "TMPDIR": str(folder / "tmp"),
    }


def _require_qgis(folder: Path) -> None:
    probe = subprocess.run(
        [QGIS_PYTHON, "-c", "import qgis.core"],
        env=_env(folder),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if probe.returncode != 0:
        missing(f"QGIS (python3-qgis) not usable from {QGIS_PYTHON}: {probe.stderr[-300:]}")


@pytest.fixture(scope="module")
def qgis(tmp_path_factory, reference_build):
    """The demo and Pekalongan built, opened in QGIS: (report, stderr, gpkg paths, PNGs).

    QGIS opens copies of the reference builds' output folders (it may write into a
    GeoPackage it opens; the byte comparison reads the builds themselves)."""
    root = tmp_path_factory.mktemp("qgis")
    _require_qgis(root)
    gpkgs, pngs, args = {}, {}, []
    for name in ("demo", "pekalongan"):
        out = Path(shutil.copytree(reference_build(name), root / name / "output"))
        [gpkg] = out.glob("*/*.gpkg")
        layers = [n for n, _ in pyogrio.list_layers(gpkg)]
        drawn = [n for d in DRAWN for n in layers if n == d or n.startswith(d + "_")]
        gpkgs[name], pngs[name] = gpkg, root / f"{name}.png"
        args += [f"{gpkg}={pngs[name]}={','.join(drawn)}", str(gpkg.with_suffix(".qgs"))]
    report_path = root / "report.json"
    run = subprocess.run(
        [QGIS_PYTHON, str(HERE / "qgis_check.py"), str(report_path), *args],
        env=_env(root / "qgis-home"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    for gpkg in gpkgs.values():
        report[str(gpkg)]["project"] = report[str(gpkg.with_suffix(".qgs"))]
    return {k: report[str(v)] for k, v in gpkgs.items()}, run.stderr, gpkgs, pngs


def _argb(color: str, opacity: float = 1.0) -> str:
    """A colour of the style source as QGIS names it: ``#aarrggbb``."""
    return f"#{round(255 * opacity):02x}{color.lstrip('#').lower()}"


@pytest.mark.parametrize("city", ["demo", "pekalongan"])
def test_every_layer_opens_in_qgis_without_a_geopackage_version_warning(qgis, city):
    report, stderr, gpkgs, _ = qgis
    assert "user_version" not in stderr and "partially supported" not in stderr, stderr
    written = [n for n, _ in pyogrio.list_layers(gpkgs[city]) if n != "layer_styles"]
    assert report[city]["order"] == written
    for name, layer in report[city]["layers"].items():
        assert layer["valid"], name
        assert layer["renderer"] in ("categorizedSymbol", "singleSymbol"), name


@pytest.mark.parametrize("city", ["demo", "pekalongan"])
def test_the_status_layer_has_the_projects_categories_labels_and_colours(qgis, city):
    report, _, gpkgs, _ = qgis
    kel = report[city]["layers"]["kelurahan"]
    table = pyogrio.read_dataframe(gpkgs[city], layer="kelurahan", read_geometry=False)
    meta = pyogrio.read_info(gpkgs[city], layer="kelurahan")["dataset_metadata"]
    programs = meta["PROGRAMS"].split("; ")
    expected = status_categories(table["status"], programs, "id")
    assert kel["renderer"] == "categorizedSymbol" and kel["field"] == "status"
    assert [(c["value"], c["label"]) for c in kel["categories"]] == [
        (c.value, c.label) for c in expected
    ]
    for got, want in zip(kel["categories"], expected, strict=True):
        layers = got["symbol"]
        if want.symbol.hatch is None:
            assert layers[0]["class"] == "SimpleFill"
            assert layers[0]["color"] == _argb(want.symbol.fill, want.symbol.fill_opacity)
        else:
            assert [x["class"] for x in layers] == ["SimpleFill", "LinePatternFill", "SimpleLine"]
            assert layers[1]["line"] == _argb(GAP_STATUS_HATCH.color)
            assert layers[1]["angle"] == 90 - GAP_STATUS_HATCH.angle
        assert layers[-1]["class"] == "SimpleLine"
        assert layers[-1]["color"] == _argb(want.symbol.stroke)
    assert kel["aliases"]["kumuh_ha"] == "Luas kumuh (ha)"
    assert kel["aliases"]["luas_ha"] == "Luas kelurahan (ha)"


@pytest.mark.parametrize("city", ["demo", "pekalongan"])
def test_every_layer_has_its_style_title_and_metadata(qgis, city):
    report, _, gpkgs, _ = qgis
    layers = report[city]["layers"]
    slum = pyogrio.read_dataframe(gpkgs[city], layer="kawasan_kumuh", read_geometry=False)
    levels = level_categories(slum["tingkat"], "id")
    assert [(c["value"], c["label"]) for c in layers["kawasan_kumuh"]["categories"]] == [
        (c.value, c.label) for c in levels
    ]
    overlap = [x["class"] for x in layers["tumpang_tindih"]["symbol"]]
    assert overlap == ["SimpleFill", "LinePatternFill", "LinePatternFill", "SimpleLine"]
    gap_line = layers["celah_cakupan"]["symbol"][-1]
    assert gap_line["dash"] == pytest.approx([d * 25.4 / 96 for d in GAP.symbol.dash], abs=1e-3)
    assert layers["tumpang_tindih"]["symbol"][1]["line"] == _argb(OVERLAP.symbol.hatch.color)
    first_work = next(n for n in layers if n.startswith("wilayah_kerja_"))
    assert layers[first_work]["symbol"][-1]["color"] == _argb(PROGRAM_COLORS[0])
    assert layers["kelurahan"]["metadata"]["title"] == text("layer_status", "id")
    for name, layer in layers.items():
        md = layer["metadata"]
        assert md["title"] and md["abstract"], name
        assert any("ILUSTRATIF" in r for r in md["rights"]), name  # both builds are illustrative
        assert "kotaku_map" in md["abstract"], name


@pytest.mark.parametrize("city", ["demo", "pekalongan"])
def test_qgis_reads_the_sld_of_every_layer_too(qgis, city):
    report, _, _, _ = qgis
    for name, layer in report[city]["layers"].items():
        sld = layer["sld"]
        assert sld["ok"], (name, sld["message"])
        if layer["renderer"] == "categorizedSymbol":
            assert sld["renderer"] == "RuleRenderer", name
            labels = [r["label"] for r in sld["rules"]]
            assert labels == [c["label"] for c in layer["categories"]], name
    # a hatch comes back as a line-pattern fill
    overlap = report[city]["layers"]["tumpang_tindih"]["sld"]
    assert overlap["renderer"] == "singleSymbol"


def _colour(argb: str) -> tuple[np.ndarray, float]:
    """``#aarrggbb`` as RGB (0-255) and opacity (0-1)."""
    return np.array([int(argb[i : i + 2], 16) for i in (3, 5, 7)]), int(argb[1:3], 16) / 255


def _over(base: np.ndarray, argb: str) -> np.ndarray:
    rgb, alpha = _colour(argb)
    return alpha * rgb + (1 - alpha) * base


@pytest.mark.parametrize("city", ["demo", "pekalongan"])
def test_qgis_draws_the_city_in_the_status_colours(qgis, city):
    report, _, _, pngs = qgis
    assert report[city]["render"]["errors"] == []
    pixels = np.asarray(Image.open(pngs[city]).convert("RGB")).astype(int).reshape(-1, 3)
    layers = report[city]["layers"]
    # where a work area lies over a kelurahan, its faint fill tints the status colour
    tints = [[]] + [
        [layer["symbol"][0]["color"]] for n, layer in layers.items() if n.startswith("wilayah_")
    ]
    tints.append([t[0] for t in tints if t])
    for category in layers["kelurahan"]["categories"]:
        first, second = category["symbol"][0], category["symbol"][1]
        # a hatch: its lines, drawn opaque; a fill: its colour on the white page
        colour = _over(
            np.full(3, 255.0),
            second["line"] if second["class"] == "LinePatternFill" else first["color"],
        )
        found = 0
        for tint in tints:
            expected = colour
            for argb in tint:
                expected = _over(expected, argb)
            found += int((np.abs(pixels - expected) <= 4).all(axis=1).sum())
        assert found >= 500, (category["value"], colour, found)


@pytest.mark.parametrize("city", ["demo", "pekalongan"])
def test_the_qgis_project_opens_every_layer_in_the_maps_order(qgis, city):
    report, _, gpkgs, _ = qgis
    project = report[city]["project"]
    meta = pyogrio.read_info(gpkgs[city], layer="kelurahan")["dataset_metadata"]
    assert project["ok"] and project["crs"] == "EPSG:4326" and project["title"] == meta["TITLE"]
    legend = project["layers"]  # top first
    assert all(layer["valid"] for layer in legend), legend
    sources = [layer["source"].split("|layername=") for layer in legend]
    assert {Path(path) for path, _ in sources} == {gpkgs[city]}  # next to it, found relatively
    assert [name for _, name in sources][::-1] == report[city]["order"]  # kelurahan at the bottom
    shown = {name: layer["visible"] for (_, name), layer in zip(sources, legend, strict=True)}
    assert shown["kelurahan"] and shown["kawasan_kumuh"] and not shown["sliver"]
    assert legend[-1]["name"] == text("layer_status", "id")
    assert legend[-1]["renderer"] == "categorizedSymbol"
