"""The printed atlas, read back: pages, names, legend, totals, tables, fonts, bytes, pixels.

The demo is built with ``[output] atlas = true`` once per module; Kota Pekalongan (real
data, ``slow``) the same way. The PDF is read with pdfplumber (text) and pypdf (fonts,
metadata, bookmarks); a map sheet is rendered to pixels (pypdfium2, the PNG output) and
checked for the status colours inside the map frame and for nothing outside the margins.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pdfplumber
import pytest
import shapely
from matplotlib.path import Path as MplPath
from PIL import Image
from pypdf import PdfReader
from realdata import real

import kotaku_map as km
from kotaku_map.cli import main
from kotaku_map.render.atlas import TOTALS, AtlasOptions, page_plan
from kotaku_map.render.draw import hatch_lines, polygon_path
from kotaku_map.render.labels import text, value_label
from kotaku_map.render.print_style import PRINT_SCALE, PT_PER_PX
from kotaku_map.render.sheet import layout
from kotaku_map.render.style import (
    GAP,
    KECAMATAN,
    OUTLINE,
    OVERLAP,
    level_categories,
    status_categories,
)
from kotaku_map.render.symbols import Hatch
from kotaku_map.render.table import Table, table_pages
from kotaku_map.render.textpdf import TextPdf

EPOCH = "1486080000"  # 2017-02-03
MM = 72 / 25.4  # points per mm


# --- helpers -------------------------------------------------------------------------------


def build_with_atlas(folder: Path, config: Path, *extra: str, output: str = "output") -> Path:
    """`kotaku-map build` with `[output] atlas = true` added to the config (as atlas.toml)."""
    body = config.read_text(encoding="utf-8")
    if "[output]" in body:
        body = body.replace("[output]", "[output]\natlas = true", 1)
    else:
        body += "\n[output]\natlas = true\n"
    atlas_cfg = config.with_name("atlas.toml")
    atlas_cfg.write_text(body, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.chdir(folder)
        assert main(["build", str(atlas_cfg), "-o", output, "-q", *extra]) == 0
    return folder / output


def page_lines(pdf_path: Path) -> list[list[str]]:
    with pdfplumber.open(pdf_path) as pdf:
        return [(p.extract_text() or "").splitlines() for p in pdf.pages]


def panel_lines(pdf_path: Path, page: int, lay) -> list[str]:
    """The lines of a map sheet's panel (legend, totals) alone, column by column."""
    box = lay.panel
    width = (box.w - (lay.columns - 1) * 5.0) / lay.columns
    lines = []
    with pdfplumber.open(pdf_path) as pdf:
        for col in range(lay.columns):
            x0 = box.x + col * (width + 5.0)
            bbox = (
                x0 * MM,
                (lay.height - box.top) * MM,
                (x0 + width) * MM,
                (lay.height - box.y) * MM,
            )
            lines += (pdf.pages[page].crop(bbox).extract_text() or "").splitlines()
    return lines


def number(text_: str, lang: str = "id") -> float:
    return float(
        text_.replace(".", "").replace(",", ".") if lang == "id" else text_.replace(",", "")
    )


def render(pdf_path: Path, page: int, dpi: float = 60) -> np.ndarray:
    with pdfplumber.open(pdf_path) as pdf:
        image = pdf.pages[page].to_image(resolution=dpi).original.convert("RGB")
    return np.asarray(image)


def blend(hex_color: str, opacity: float) -> np.ndarray:
    rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return rgb * opacity + 255 * (1 - opacity)


def share_of_colour(pixels: np.ndarray, rgb: np.ndarray, tol: float = 25.0) -> float:
    """The share of pixels of about this colour (work areas tint the status a little)."""
    return float((np.abs(pixels.astype(float) - rgb).max(axis=-1) <= tol).mean())


def assert_margins_blank(pixels: np.ndarray, width_mm: float, margin_mm: float) -> None:
    """Nothing but white within ``margin_mm`` of the paper's edges (less 2 px of anti-aliasing)."""
    px_per_mm = pixels.shape[1] / width_mm
    m = int(margin_mm * px_per_mm) - 2
    bands = [pixels[:m], pixels[-m:], pixels[:, :m], pixels[:, -m:]]
    for band in bands:
        assert band.min() >= 250, "something is drawn in the margin"


def frame_pixels(pixels: np.ndarray, lay, width_mm: float) -> np.ndarray:
    px = pixels.shape[1] / width_mm
    box = lay.map
    top = pixels.shape[0] - int(box.top * px)
    return pixels[
        top + 2 : top + int(box.h * px) - 2, int(box.x * px) + 2 : int(box.right * px) - 2
    ]


def check_atlas(out: Path, config: Path | None, lang: str = "id", *, result=None) -> dict:
    """What the issue's tests ask of any atlas; returns what it read, for more checks.

    ``config`` is the project's config: the build read ``atlas.toml`` next to it (analysed
    again here), unless the build's ``result`` is given.
    """
    pdf = out / "atlas.pdf"
    summary = pd.read_csv(out / "ringkasan_kabkota.csv", dtype={"kode_kabkota": str})
    lines = page_lines(pdf)
    reader = PdfReader(pdf)
    if result is None:
        result = km.build(config.with_name("atlas.toml"), write=False)
    lay = layout(result.config.output.paper, result.config.output.orientation)
    plan = page_plan(result.cities, lay)
    assert len(reader.pages) == plan.total == len(lines)
    for r in result.cities:
        assert str(r.nama) in lines[plan.first[r.kode] - 1]  # the city's name heads its sheet
        sheet = panel_lines(pdf, plan.first[r.kode] - 1, lay)
        check_legend(sheet, r, lang)
        check_totals(sheet, summary[summary["kode_kabkota"] == r.kode].iloc[0], lang)
        n_tables = len(table_pages(len(r.kelurahan), lay))
        first = plan.first[r.kode]
        table_lines = [ln for page in lines[first : first + n_tables] for ln in page]
        slug = next(
            p for p in out.iterdir() if p.is_dir() and p.name.startswith(r.kode.replace(".", ""))
        )
        check_rows(table_lines, pd.read_csv(slug / "kelurahan.csv", dtype={"kode": str}), lang)
    check_fonts_embedded(reader)
    return {"lines": lines, "reader": reader, "plan": plan, "result": result, "layout": lay}


def check_legend(sheet: list[str], r, lang: str) -> None:
    joined = "\n".join(sheet)
    statuses = status_categories(list(r.kelurahan["status"]), r.programs, lang)
    counts = r.kelurahan["status"].value_counts()
    for c in statuses:
        assert f"{c.label} ({counts[c.value]})" in joined
    for c in level_categories(list(r.kumuh["tingkat"].astype(str)), lang):
        assert c.label in sheet
    for style, frame in ((OVERLAP, r.tumpang_tindih), (GAP, r.celah)):
        if len(frame):
            assert text(style.item, lang) in sheet
    for style in (KECAMATAN, OUTLINE):
        assert text(style.item, lang) in sheet
    for name in set(r.wilayah_kerja["program"]):
        assert text("layer_wk", lang, p=name) in sheet


def check_totals(sheet: list[str], row: pd.Series, lang: str) -> None:
    """Every total on the sheet equals ``ringkasan_kabkota.csv`` (to the 2 decimals shown)."""
    for key in TOTALS:
        label = re.escape(text(key, lang))
        found = [m for ln in sheet if (m := re.fullmatch(rf"{label} ([\d.,]+)( ha)?", ln))]
        assert len(found) == 1, (key, sheet)
        assert number(found[0].group(1), lang) == pytest.approx(row[key], abs=0.0051), key


def check_rows(lines: list[str], csv: pd.DataFrame, lang: str) -> None:
    """One line per row of ``kelurahan.csv``, in its order, with its names and hectares."""
    figures = ["luas_ha", "kumuh_ha", "tercakup_ha", "tumpang_tindih_ha", "celah_ha", "sliver_ha"]
    at = 0
    for i, row in enumerate(csv.itertuples(index=False), start=1):
        head = f"{i} {row.kode} {row.kelurahan} {row.kecamatan} {value_label(row.status, lang)} "
        while not lines[at].startswith(head):
            at += 1  # table heads, titles, footers between the rows
        values = lines[at][len(head) :].split(" ")
        assert len(values) == len(figures), lines[at]
        for v, col in zip(values, figures, strict=True):
            assert number(v, lang) == pytest.approx(getattr(row, col), abs=0.0051), (i, col)
        at += 1


def check_fonts_embedded(reader: PdfReader) -> None:
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        assert fonts
        for ref in fonts.values():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = desc["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


# --- the demo ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_atlas(tmp_path_factory):
    folder = tmp_path_factory.mktemp("atlas-demo")
    config = km.make_demo(folder / "demo")
    return build_with_atlas(folder, config)


DEMO_ATLAS_CONFIG = Path("demo") / "atlas.toml"


def test_demo_atlas_reads_back_as_the_tables_say(demo_atlas):
    got = check_atlas(demo_atlas, demo_atlas.parent / "demo" / "kotaku.toml")
    lines, plan = got["lines"], got["plan"]
    assert plan.total == 6  # cover, overview map, summary, the city's sheet, 2 table pages
    cover = "\n".join(lines[0])
    assert text("atlas_title", "id") in cover and "3 Februari 2017" in cover
    assert text("illustrative", "id") in cover  # the demo's layers say illustrative = true
    assert "nsup_wilayah_kerja.geojson (FIKTIF: contoh delineasi wilayah kerja NSUP)" in cover
    assert "Kota Contoh (FIKTIF) 99.71 4" in lines[0]  # contents: city, code, page
    assert "Halaman 4 dari 6" in "\n".join(lines[3])
    summary = pd.read_csv(demo_atlas / "ringkasan_kabkota.csv").iloc[0]
    row = next(ln for ln in lines[2] if ln.startswith("Kota Contoh (FIKTIF) 99.71"))
    assert (
        f"{summary['celah_ha']:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") in row
    )


def test_demo_atlas_metadata_bookmarks_and_files(demo_atlas):
    reader = PdfReader(demo_atlas / "atlas.pdf")
    meta = reader.metadata
    assert meta["/Title"] == "Peta Keterpaduan Kota Contoh (FIKTIF)"
    assert meta["/CreationDate"] == "D:20170203000000+00'00'" == meta["/ModDate"]
    assert meta["/Creator"] == f"kotaku_map {km.__version__}"
    titles = [o["/Title"] for o in reader.outline if not isinstance(o, list)]
    assert titles == ["Daftar isi", "Ringkasan semua kab/kota", "Kota Contoh (FIKTIF)"]
    pngs = sorted(p.name for p in (demo_atlas / "atlas").iterdir())
    assert pngs == ["0000-ringkasan.png", "9971-kota-contoh-fiktif.png"]
    manifest = (demo_atlas / "manifest.json").read_text(encoding="utf-8")
    assert '"atlas.pdf"' in manifest and '"atlas/9971-kota-contoh-fiktif.png"' in manifest
    with Image.open(demo_atlas / "atlas" / "9971-kota-contoh-fiktif.png") as png:
        assert png.size == (int(297 / 25.4 * 150), int(210 / 25.4 * 150))  # A4 landscape, 150 dpi


def test_two_builds_give_the_same_bytes(demo_atlas, tmp_path):
    again = build_with_atlas(
        demo_atlas.parent,
        demo_atlas.parent / "demo" / "kotaku.toml",
        "-j",
        "2",
        output="output-again",
    )
    for name in ["atlas.pdf", "atlas/0000-ringkasan.png", "atlas/9971-kota-contoh-fiktif.png"]:
        assert (again / name).read_bytes() == (demo_atlas / name).read_bytes(), name


def test_a_rendered_sheet_shows_the_statuses_in_its_frame_and_nothing_in_its_margins(demo_atlas):
    lay = layout("A4", "landscape")
    result = km.build(demo_atlas.parent / DEMO_ATLAS_CONFIG, write=False)
    r = result.cities[0]
    statuses = status_categories(list(r.kelurahan["status"]), r.programs, "id")
    png = np.asarray(
        Image.open(demo_atlas / "atlas" / "9971-kota-contoh-fiktif.png").convert("RGB")
    )
    for pixels in (render(demo_atlas / "atlas.pdf", 3), png):
        assert_margins_blank(pixels, lay.width, lay.margin)
        frame = frame_pixels(pixels, lay, lay.width)
        for c in statuses:
            sym = c.symbol
            if sym.fill is not None and sym.hatch is None:
                share = share_of_colour(frame, blend(sym.fill, sym.fill_opacity))
                assert share > 0.005, (c.value, share)
            elif sym.hatch is not None:
                share = share_of_colour(frame, blend(sym.hatch.background, 1.0))
                assert share > 0.005, (c.value, share)
    for page in range(6):  # the pages of text keep their margins too
        assert_margins_blank(render(demo_atlas / "atlas.pdf", page, dpi=40), lay.width, lay.margin)


def test_gaps_and_overlaps_stay_visible_in_grey(demo_atlas):
    """In black and white the hatches still carry them: dark lines on a light ground."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from kotaku_map.render.city_sheet import city_sheet
    from kotaku_map.render.shapes import city_metric_crs

    r = km.build(demo_atlas.parent / DEMO_ATLAS_CONFIG, write=False).cities[0]
    fig = city_sheet(r, options=AtlasOptions())
    fig.set_dpi(150)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    grey = np.asarray(Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).convert("L"))
    to_pixels = fig.axes[1].transData  # the map, in metres
    yy, xx = np.mgrid[0 : grey.shape[0], 0 : grey.shape[1]]
    pixels = np.c_[xx.ravel(), grey.shape[0] - yy.ravel()]
    crs = city_metric_crs(r)
    gap_status = r.kelurahan[r.kelurahan["status"] == "Kumuh tanpa program"]
    for layer in (gap_status, r.tumpang_tindih, r.celah):
        metric = layer.to_crs(crs)
        largest = metric.geometry.iloc[int(metric.area.argmax())].buffer(-20)  # off its outline
        path = to_pixels.transform_path(polygon_path([largest]))
        values = grey[path.contains_points(pixels).reshape(grey.shape)]
        dark, light = (values < 120).mean(), (values > 170).mean()
        assert 0.08 < dark < 0.7 and light > 0.2, (len(layer), dark, light)


@pytest.mark.slow  # another whole build: the inner loop keeps the demo's
def test_english_atlas(tmp_path):
    config = km.make_demo(tmp_path / "demo")
    config.write_text(config.read_text(encoding="utf-8").replace('lang = "id"', 'lang = "en"'))
    out = build_with_atlas(tmp_path, config)
    got = check_atlas(out, config, lang="en")
    sheet = got["lines"][3]
    assert "Severe slum" in "\n".join(sheet) and "Page 4 of 6" in "\n".join(sheet)
    assert "Scale 1:" in "\n".join(sheet)


@pytest.mark.slow  # another whole build
def test_a3_portrait(tmp_path):
    config = km.make_demo(tmp_path / "demo")
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "[output]", '[output]\npaper = "A3"\norientation = "portrait"\ndpi = 72'
        )
    )
    out = build_with_atlas(tmp_path, config)
    got = check_atlas(out, config)
    lay = got["layout"]
    assert (lay.width, lay.height) == (297.0, 420.0)
    page = got["reader"].pages[3]
    assert [round(float(v) / MM) for v in page.mediabox[2:]] == [297, 420]
    assert lay.panel.top < lay.map.y  # the legend under the map, never on it
    assert_margins_blank(render(out / "atlas.pdf", 3, dpi=40), lay.width, lay.margin)
    with Image.open(out / "atlas" / "9971-kota-contoh-fiktif.png") as png:
        assert png.size == (int(297 / 25.4 * 72), int(420 / 25.4 * 72))


def test_atlas_command_writes_only_the_atlas_and_keeps_the_rest(tmp_path, monkeypatch, capsys):
    config = km.make_demo(tmp_path / "demo")
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert main(["build", str(config), "-o", str(out), "-q"]) == 0
    before = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert main(["atlas", str(config), "-o", str(out), "--paper", "A3", "--dpi", "80"]) == 0
    assert "atlas.pdf" in capsys.readouterr().out
    after = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    # the build that was there is kept, byte for byte; the atlas is added to it
    assert {k: after[k].read_bytes() for k in before} == before
    assert sorted(set(after) - set(before)) == [
        "atlas.pdf",
        "atlas/0000-ringkasan.png",
        "atlas/9971-kota-contoh-fiktif.png",
        "manifest.json",
    ]
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["keluaran"]
    assert sorted(listed) == sorted(after)  # the manifest lists the atlas too
    assert [round(float(v) / MM) for v in PdfReader(out / "atlas.pdf").pages[0].mediabox[2:]] == [
        420,
        297,
    ]
    # a folder kotaku-map did not make is refused, as for a build
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("someone else's", encoding="utf-8")
    assert main(["atlas", str(config), "-o", str(foreign), "-q"]) == 2
    assert "did not write" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["atlas", str(config), "--dpi", "10"])
    assert "expected 72 to 600, got 10" in capsys.readouterr().err


def test_a_failing_atlas_leaves_no_half_written_file(tmp_path, monkeypatch):
    config = km.make_demo(tmp_path / "demo")
    out = tmp_path / "out"

    def broken(*args, **kwargs):
        raise km.InputError("broken on purpose")

    monkeypatch.setattr("kotaku_map.render.atlas_pdf.write_atlas", broken)
    assert main(["atlas", str(config), "-o", str(out), "-q"]) == 2
    assert not out.exists() or not any(out.rglob("*"))
    assert not list(tmp_path.glob(".out.partial-*"))


def test_config_error_in_the_atlas_command_is_one_line(tmp_path, capsys):
    config = km.make_demo(tmp_path / "demo")
    config.write_text(config.read_text(encoding="utf-8").replace('lang = "id"', 'paper = "A5"'))
    assert main(["atlas", str(config), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "key 'output.paper' was 'A5'" in err


# --- the parts -----------------------------------------------------------------------------


def test_hatch_lines_are_as_far_apart_and_turned_as_the_style_says():
    hatch = Hatch("h", "#000000", 1, 10, 45)
    spacing_pt = 10 * PT_PER_PX * PRINT_SCALE
    lines = hatch_lines([shapely.box(0, 0, 100, 100)], hatch, unit_per_pt=2.0)  # 2 units a pt
    xy = shapely.get_coordinates(lines[0])
    direction = (xy[1] - xy[0]) / np.linalg.norm(xy[1] - xy[0])
    assert abs(abs(direction[0]) - abs(direction[1])) < 1e-9 and direction[0] * direction[1] > 0
    normal = np.array([direction[1], -direction[0]])
    offsets = sorted({round(float(shapely.get_coordinates(ln)[0] @ normal), 6) for ln in lines})
    assert np.allclose(np.diff(offsets), 2.0 * spacing_pt)
    crossed = hatch_lines(
        [shapely.box(0, 0, 100, 100)], Hatch("c", "#000", 1, 10, 45, True), unit_per_pt=2.0
    )
    assert len(crossed) == 2 * len(lines)  # each direction whole, not cut where they cross


def test_polygon_path_leaves_holes_empty():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    ring = shapely.box(0, 0, 10, 10).difference(shapely.box(4, 4, 6, 6))
    path = polygon_path([ring, shapely.box(20, 0, 30, 10)])
    assert isinstance(path, MplPath)
    fig = Figure(figsize=(3, 1), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 30)
    ax.set_ylim(0, 10)
    ax.add_artist(PathPatch(path, facecolor="black", edgecolor="none"))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., 0]
    assert pixels[80, 20] == 0 and pixels[50, 250] == 0  # the ring and the second box
    assert pixels[50, 50] == 255  # the hole
    assert pixels[50, 150] == 255  # between them


def test_pages_of_text_are_real_text_in_embedded_fonts(tmp_path):
    doc = TextPdf()
    page = doc.page(210, 297)
    from kotaku_map.render.print_style import PRINT_TEXT
    from kotaku_map.render.style import STATUS_GAP_SYMBOL

    page.text(20, 270, "Kelurahan Panjang Wetan: 1.574,45 ha ≥ 0", PRINT_TEXT["table"])
    page.text(190, 260, "Kanan", PRINT_TEXT["table_head"], ha="right")
    page.swatch(20, 250, 26, 254, STATUS_GAP_SYMBOL)
    data = doc.to_bytes()
    assert data == doc.to_bytes()
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    assert page_lines(path) == [["Kelurahan Panjang Wetan: 1.574,45 ha ≥ 0", "Kanan"]]
    check_fonts_embedded(PdfReader(path))
    with pdfplumber.open(path) as pdf:
        right = max(c["x1"] for c in pdf.pages[0].chars if c["text"] == "n")
    assert right == pytest.approx(190 * MM, abs=0.05)  # right-aligned on its anchor


def test_a_long_table_runs_over_pages_with_its_head_repeated(tmp_path):
    from kotaku_map.render.atlas import PageFrame, draw_table_pages

    rows = [[str(i), f"Kelurahan {i}", f"{i},00"] for i in range(1, 101)]
    table = Table(
        ["No.", "Kelurahan", "Luas (ha)"],
        rows,
        [True, False, True],
        total=["", "Jumlah", "5.050,00"],
    )
    doc = TextPdf()
    frame = PageFrame.make(AtlasOptions(), None, 9)
    n = draw_table_pages(doc, frame, table, heading="Kota", title="Tabel", first_page=3)
    path = tmp_path / "t.pdf"
    path.write_bytes(doc.to_bytes())
    lines = page_lines(path)
    assert n == len(lines) == len(table_pages(100, layout())) == 3
    for k, page in enumerate(lines):
        assert "No. Kelurahan Luas" in page
        assert f"Halaman {3 + k} dari 9" in "\n".join(page)
    assert "1 Kelurahan 1 1,00" in lines[0] and "100 Kelurahan 100 100,00" in lines[2]
    assert lines[2][-2].startswith("Jumlah 5.050,00") or "Jumlah 5.050,00" in lines[2]


def test_a_city_without_geometry_gets_a_sheet_with_its_totals():
    from kotaku_map.render.city_sheet import city_sheet
    from kotaku_map.results import example_result

    r = example_result()
    empty = r.kelurahan.iloc[:0]
    fig = city_sheet(
        km.CityResult(
            r.kode,
            r.nama,
            r.programs,
            empty,
            r.wilayah_kerja,
            r.kumuh.iloc[:0],
            r.tumpang_tindih,
            r.celah,
            r.sliver,
            r.ringkasan,
        )
    )
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "Kota Contoh" in texts and "60" not in texts


# --- Kota Pekalongan, real data ------------------------------------------------------------


def test_pekalongan_atlas(reference_build, tmp_path):
    """The atlas of the golden Pekalongan build (``[sync]``), written into a copy of its
    output folder as ``kotaku-map atlas`` writes it: the build's files stay beside it."""
    import golden

    real("boundaries/kel_3375_kota_pekalongan.geojson")
    built = reference_build("pekalongan")
    out = Path(shutil.copytree(built, tmp_path / "output"))
    with golden._env(built.parent):
        result = km.build(built.parent / "kotaku.toml", write=False)
        result.write_atlas(out)
    got = check_atlas(out, None, result=result)
    assert (out / "3375-kota-pekalongan" / "peta.html").is_file()  # the build's files kept
    sheet = "\n".join(got["lines"][got["plan"].first["33.75"] - 1])
    for name in ["PEKALONGAN UTARA", "PEKALONGAN SELATAN", "Panjang Wetan", "Kuripan Kertoharjo"]:
        assert name in sheet  # kecamatan and kelurahan names are real text
    assert "Skala 1:" in sheet and "UTM zone 49S" in sheet
    lay = got["layout"]
    png = np.asarray(Image.open(out / "atlas" / "3375-kota-pekalongan.png").convert("RGB"))
    assert_margins_blank(png, lay.width, lay.margin)
    r = got["result"].cities[0]
    frame = frame_pixels(png, lay, lay.width)
    for c in status_categories(list(r.kelurahan["status"]), r.programs, "id"):
        assert share_of_colour(frame, blend(c.symbol.fill, c.symbol.fill_opacity)) > 0.02, c.value
    assert os.path.getsize(out / "atlas.pdf") < 2_000_000


def test_names_from_hostile_inputs_print_as_text_without_warnings(tmp_path):
    from conftest import build_city

    from kotaku_map.render.atlas_pdf import write_atlas

    city = build_city(hostile=True)
    pdf = write_atlas([city], tmp_path)[0]  # warnings are errors here: no missing glyph
    lines = page_lines(pdf)
    table = "\n".join(lines[4])
    assert "<script>alert(1)</script>" in table and "Baris baru" in table  # one line
    assert "? Kampung Émoji" in table.replace("\ufe0f", "")  # a letter the font lacks: "?"


def test_an_atlas_of_no_city_has_its_cover_overview_and_summary(tmp_path):
    from kotaku_map.render.atlas_pdf import write_atlas

    paths = write_atlas([], tmp_path)
    assert [p.name for p in paths] == ["atlas.pdf", "0000-ringkasan.png"]
    assert len(PdfReader(paths[0]).pages) == 3
