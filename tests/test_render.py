"""Tests of kotaku_map.render: geometry preparation, HTML writing, and the map in Chromium."""

from __future__ import annotations

import datetime
import os
import re
import time
import warnings

import geopandas as gpd
import pytest
import shapely
from browser import close, open_offline
from geopandas.testing import assert_geodataframe_equal
from shapely import box

from kotaku_map import schema
from kotaku_map.render import (
    MapSizeWarning,
    city_data,
    city_map,
    external_references,
    json_for_html,
    save_map,
    write_html,
)
from kotaku_map.render.shapes import decimals_for, encode_geometry, simplify_display
from kotaku_map.render.style import status_categories

DAY = datetime.date(2017, 2, 9)
INSTANCE = "Object.values(window.KotakuMap.instances)[0]"


# ----------------------------------------------------------------------------- units


def test_decimals_follow_tolerance():
    assert [decimals_for(t) for t in (0, 0.5, 1, 5, 50, 500, 1e6)] == [7, 6, 6, 5, 4, 3, 1]


def test_json_for_html_cannot_close_script():
    text = json_for_html({"n": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    import json

    assert json.loads(text) == {"n": "</script><!-- & \u2028"}


def test_encode_geometry_round_trip_and_collapse():
    g = box(110.4, -6.91, 110.41, -6.9).difference(box(110.403, -6.907, 110.406, -6.904))
    enc = encode_geometry(g, 5)
    assert len(enc) == 1 and len(enc[0]) == 2  # exterior + hole
    ring = enc[0][0]
    x = y = 0
    pts = []
    for i in range(0, len(ring), 2):
        x += ring[i]
        y += ring[i + 1]
        pts.append((x / 1e5, y / 1e5))
    assert shapely.Polygon(pts).equals_exact(shapely.Polygon(g.exterior), 1e-9)
    # a polygon smaller than the grid disappears instead of becoming garbage
    assert encode_geometry(box(110.4, -6.9, 110.400001, -6.899999), 4) is None
    assert encode_geometry(shapely.LineString([(0, 0), (1, 1)]), 4) is None


def test_coverage_simplify_keeps_shared_borders():
    wiggly = shapely.Polygon(
        [(110.40 + 0.001 * i, -6.90 + (0.00002 if i % 2 else 0)) for i in range(11)]
        + [(110.41, -6.89), (110.40, -6.89)]
    )
    below = shapely.Polygon(
        [(110.40, -6.91), (110.41, -6.91), (110.41, -6.90)]
        + list(wiggly.exterior.coords)[:11][::-1]
    )
    s = gpd.GeoSeries([wiggly, below], crs=4326)
    out = simplify_display(s, s.estimate_utm_crs(), 5.0, coverage=True)
    assert (
        shapely.get_num_coordinates(out.values).sum() < shapely.get_num_coordinates(s.values).sum()
    )
    # still a coverage: the two polygons share their border, no gap, no overlap
    assert out.iloc[0].intersection(out.iloc[1]).area == pytest.approx(0, abs=1e-12)
    assert out.union_all().area == pytest.approx(s.union_all().area, rel=1e-3)
    assert out.iloc[0].touches(out.iloc[1])


def test_status_categories_order_and_palette():
    st = status_categories(
        [schema.STATUS_NONE, "B + A", "A", schema.STATUS_GAP, "B", "C?"], ("A", "B"), "en"
    )
    assert [s.value for s in st] == [
        "A",
        "B",
        "B + A",
        "C?",
        schema.STATUS_GAP,
        schema.STATUS_NONE,
    ]
    assert len({(s.symbol.fill, s.symbol.hatch) for s in st}) == len(st)
    assert st[-2].label == "Slum without programme" and st[-2].symbol.hatch is not None


def test_city_map_does_not_modify_result(city_result):
    before = {
        k: getattr(city_result, k).copy()
        for k in ("kelurahan", "wilayah_kerja", "kumuh", "tumpang_tindih", "celah", "sliver")
    }
    assert city_map(city_result, simplify_m=50).html
    for k, gdf in before.items():
        assert_geodataframe_equal(getattr(city_result, k), gdf)


def test_city_data_names_search_and_sources(city_result):
    data = city_data(city_result, sources=["batas: BIG 2020"], illustrative=True)
    assert data["sources"] == ["batas: BIG 2020"] and data["illustrative"] is True
    assert (
        "kel" in data["search"]["prefixes"] and data["search"]["abbreviations"]["sei"] == "sungai"
    )
    labels_ = data["layers"]["kel_labels"]
    assert len(labels_) == 9 and {r[2] for r in labels_} == {f"Kelurahan {i}" for i in range(1, 10)}
    for lat, lon, _, kode in labels_:  # each name inside its kelurahan
        kel = city_result.kelurahan.set_index("kode").geometry[kode]
        assert kel.contains(shapely.Point(lon, lat))
    assert city_data(city_result)["illustrative"] is False


def test_city_map_is_reproducible(city_result):
    assert city_map(city_result, date=DAY).html == city_map(city_result, date=DAY).html


def test_city_data_embeds_only_shown_attributes(city_result):
    data = city_data(city_result, date=DAY)
    props = data["layers"]["kel"][0]["p"]
    assert set(props) == {
        "n",
        "kc",
        "k",
        "p",
        "s",
        "a",
        "kh",
        "th",
        "oh",
        "gh",
        "sh",
        "m",
        "w",
        "q",
    }
    # the search compares with the matcher's keys: the name's, the name as written, the kecamatan's
    assert props["q"] == ["1", "kelurahan1", "barat"]  # "Kelurahan" is a prefix to the matcher
    assert "kabkota" not in json_for_html(data["layers"])
    assert data["date"] == "9 Februari 2017"
    assert len(data["layers"]["kel"]) == 9 and len(data["layers"]["kec"]) == 2
    assert len(data["layers"]["outline"]) == 1 and len(data["layers"]["sliver"]) == 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lang": "fr"}, r"`lang` was 'fr' but is expected to be in \['en', 'id'\]"),
        ({"simplify_m": -1}, r"`simplify_m` was -1 but is expected to be >= 0"),
    ],
)
def test_city_map_rejects_bad_options(city_result, kwargs, match):
    with pytest.raises(ValueError, match=match):
        city_map(city_result, **kwargs)


def test_save_map_is_offline_atomic_and_sized(tmp_path, city_result):
    target = tmp_path / "sub" / "peta.html"
    n = save_map(city_map(city_result, date=DAY), target)
    assert n == target.stat().st_size
    assert [p.name for p in target.parent.iterdir()] == ["peta.html"]  # no temp file left
    text = target.read_text(encoding="utf-8")
    assert external_references(text) == []
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "<link"):
        assert cdn not in text
    assert "data:image/png;base64," in text  # Leaflet's layer icon, inlined


def test_save_map_replaces_existing_file(tmp_path, city_result):
    target = tmp_path / "peta.html"
    target.write_text("old")
    save_map(city_map(city_result), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_save_map_warns_over_budget(tmp_path, city_result):
    with pytest.warns(MapSizeWarning, match=r"over the 0\.01 MB budget"):
        save_map(city_map(city_result), tmp_path / "peta.html", size_budget_mb=0.01)


def test_a_page_that_would_load_from_a_cdn_is_refused(tmp_path):
    page = '<html><head><script src="https://cdn.jsdelivr.net/npm/leaflet.js"></script></head>'
    with pytest.raises(ValueError, match="not self-contained: it would load"):
        write_html(page, tmp_path / "plain.html", size_budget_mb=5)
    assert not (tmp_path / "plain.html").exists()
    with pytest.raises(TypeError, match="save_map takes a Page"):
        save_map(page, tmp_path / "plain.html")


def test_notebook_display_is_offline(city_result):
    import html

    shown = html.unescape(city_map(city_result)._repr_html_())
    assert "KotakuMap.city(" in shown
    assert external_references(shown) == []


def test_hostile_text_is_never_markup(tmp_path, hostile_result, hostile_names):
    save_map(city_map(hostile_result), tmp_path / "h.html")
    text = (tmp_path / "h.html").read_text(encoding="utf-8")
    for name in hostile_names + ["NSUP <i>x</i>"]:
        if "<" in name:
            assert name not in text
    assert "<title>Peta Keterpaduan Penanganan Permukiman Kumuh – Kota &lt;script&gt;" in text


def test_empty_layers_render(tmp_path, empty_result):
    data = city_data(empty_result)
    assert data["layers"]["wk"] == [] and data["levels"] == []
    assert save_map(city_map(empty_result), tmp_path / "e.html") > 0


def test_no_kelurahan_at_all(tmp_path, empty_result):
    kel = empty_result.kelurahan.iloc[:0]
    from dataclasses import replace

    res = replace(empty_result, kelurahan=kel, ringkasan={})
    assert save_map(city_map(res), tmp_path / "none.html") > 0


# ----------------------------------------------------------------------------- browser


def _write(tmp_path, result, name="peta.html", **kw):
    path = tmp_path / name
    save_map(city_map(result, date=DAY, sources=["SK Kumuh 2016", "Data uji"], **kw), path)
    return path


def _paths(page, pane):
    return page.evaluate(f"document.querySelectorAll('.leaflet-kt-{pane}-pane path').length")


def _legend_layers(page):
    return page.evaluate(
        "Array.from(document.querySelectorAll('.kt-legend .kt-legend-section'))"
        ".map(e => e.dataset.layer)"
    )


def _toggle(page, label):
    page.locator(".leaflet-control-layers-overlays label", has_text=label).locator("input").click()


def test_browser_offline_layers_legend(chromium, tmp_path, city_result):
    page, report = open_offline(chromium, _write(tmp_path, city_result), viewport=(1600, 1000))
    try:
        counts = {
            p: _paths(page, p)
            for p in ("kel", "wk", "kumuh", "overlap", "gap", "sliver", "kec", "outline", "hl")
        }
        assert counts == {
            "kel": 9,
            "wk": 8,
            "kumuh": 8,
            "overlap": 1,
            "gap": 1,
            "sliver": 0,
            "kec": 2,
            "outline": 1,
            "hl": 0,
        }
        assert page.locator(".leaflet-kt-labels-pane .kt-kec-label").count() == 2
        # hatching really is an SVG pattern
        fill = page.evaluate(
            "document.querySelector('.leaflet-kt-overlap-pane path').getAttribute('fill')"
        )
        assert re.fullmatch(r"url\(#kt-.+-overlap\)", fill)
        assert page.locator("pattern").count() == 3
        assert _legend_layers(page) == [
            "status",
            "wk0",
            "wk1",
            "kumuh",
            "overlap",
            "gap",
            "kec",
            "outline",
        ]
        names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        assert [n.strip() for n in names][:3] == [
            "Status kelurahan",
            "Wilayah kerja NSUP",
            "Wilayah kerja NUSP-2",
        ]
        # basemaps are offered but off: nothing was fetched
        bases = page.locator(".leaflet-control-layers-base label").all_inner_texts()
        assert [b.strip() for b in bases] == [
            "Tanpa peta dasar (offline)",
            "OpenStreetMap (perlu internet)",
            "Citra satelit Esri (perlu internet)",
        ]
        assert page.locator(".leaflet-tile").count() == 0

        _toggle(page, "Kawasan kumuh")
        assert _paths(page, "kumuh") == 0
        assert "kumuh" not in _legend_layers(page)
        _toggle(page, "Sliver")
        assert _paths(page, "sliver") == 1
        assert "sliver" in _legend_layers(page)
        _toggle(page, "Kawasan kumuh")
        assert _legend_layers(page)[:4] == ["status", "wk0", "wk1", "kumuh"]

        # totals panel
        totals = page.locator(".kt-totals").inner_text()
        assert "Jumlah kelurahan" in totals and "115,00 ha" in totals and "17,00 ha" in totals
        # tooltip on a kelurahan (the top-left "Bukan lokasi" cell, no slum box on top)
        box_ = page.locator(".leaflet-kt-kel-pane path").nth(1).bounding_box()
        page.mouse.move(box_["x"] + 10, box_["y"] + box_["height"] - 10)
        tip = page.locator(".leaflet-tooltip").inner_text()
        assert "Kelurahan 2" in tip and "Bukan lokasi" in tip and "33.74.01.1002" in tip
        # the scale bar and the fullscreen/print buttons exist
        assert page.locator(".leaflet-control-scale-line").count() == 1
        assert page.locator(".kt-fullscreen").count() == 1
        report.assert_clean()
    finally:
        close(page)


def test_browser_search_zooms_and_highlights(chromium, tmp_path, city_result):
    page, report = open_offline(chromium, _write(tmp_path, city_result))
    try:
        zoom0 = page.evaluate(f"{INSTANCE}.map.getZoom()")
        page.locator(".kt-search-input").fill("kelurahan 8")
        hits = page.locator(".kt-search-results li.kt-hit")
        assert hits.count() == 1
        assert hits.first.inner_text().startswith("Kelurahan 8")
        hits.first.dispatch_event("mousedown")
        page.wait_for_timeout(200)
        assert page.evaluate(f"{INSTANCE}.map.getZoom()") > zoom0
        assert _paths(page, "hl") == 2
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert "Kelurahan 8" in popup and "Kumuh tanpa program" in popup
        assert "Metode pencocokan" not in popup  # folded: key figures first
        page.locator(".leaflet-popup-content details.kt-more summary").click()
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert "Metode pencocokan" in popup and "Wilayah kerja NUSP-2" in popup
        center_in = page.evaluate(
            f"(() => {{ const i = {INSTANCE}; const f = i.entries.find(e => e.name === "
            "'Kelurahan 8'); return i.map.getBounds()"
            ".contains(f.layer.getBounds().getCenter()); })()"
        )
        assert center_in
        # keyboard: type, Enter picks the first hit
        page.locator(".kt-search-input").fill("")
        page.locator(".kt-search-input").type("timur")
        page.keyboard.press("Enter")
        assert page.locator(".kt-search-input").input_value().startswith("Kelurahan")
        page.locator(".kt-search-input").fill("zzz")
        assert page.locator(".kt-search-results").inner_text() == "Tidak ditemukan"
        report.assert_clean()
    finally:
        close(page)


def test_browser_print_layout(chromium, tmp_path, city_result):
    page, report = open_offline(chromium, _write(tmp_path, city_result))
    try:
        assert not page.locator(".kt-print-footer").is_visible()
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # as a browser does
        page.emulate_media(media="print")
        page.wait_for_timeout(100)
        for sel in (".kt-title", ".kt-legend", ".kt-totals", ".kt-print-footer"):
            assert page.locator(sel).is_visible(), sel
        # the totals panel is shown in full on paper even if collapsed on screen
        assert page.locator(".kt-totals .kt-panel-body").is_visible()
        for sel in (
            ".leaflet-control-zoom",
            ".leaflet-control-layers",
            ".kt-search",
            ".kt-buttons",
            ".kt-toggle",
        ):
            assert not page.locator(sel).first.is_visible(), sel
        foot = page.locator(".kt-print-footer").inner_text()
        assert "9 Februari 2017" in foot and "SK Kumuh 2016; Data uji" in foot
        page_rule = page.evaluate(
            "Array.from(document.styleSheets).flatMap(s => Array.from(s.cssRules))"
            ".filter(r => r instanceof CSSPageRule).map(r => r.style.size)"
        )
        assert "a4 landscape" in [r.lower() for r in page_rule]
        pdf = page.pdf(landscape=True, format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one sheet
        report.assert_clean()
    finally:
        close(page)


def test_browser_hostile_text_shows_literally(chromium, tmp_path, hostile_result, hostile_names):
    page, report = open_offline(chromium, _write(tmp_path, hostile_result), viewport=(1600, 1000))
    try:
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert (
            page.evaluate(
                "document.querySelectorAll('.kt-legend i, .leaflet-control-layers i,"
                " .kt-kec-label b').length"
            )
            == 0
        )
        assert page.title().endswith("Kota <script>alert('kota')</script> & \"Co\"")
        assert "Kota <script>alert('kota')</script>" in page.locator(".kt-title").inner_text()
        assert "NSUP <i>x</i>" in page.locator(".kt-legend").inner_text()
        assert "NUSP-2 ' \" \\" in page.locator(".kt-totals").inner_text()
        labels = page.locator(".leaflet-control-layers-overlays").inner_text()
        assert "Wilayah kerja NSUP <i>x</i>" in labels
        assert page.locator(".kt-kec-label").first.text_content() in ('<b>Kec</b> "Barat"', "Timur")
        # search results
        page.locator(".kt-search-input").fill("<script")
        hit = page.locator(".kt-search-results li.kt-hit .kt-hit-name")
        assert hit.count() == 1 and hit.first.text_content() == "<script>alert(1)</script>"
        hit.first.dispatch_event("mousedown")
        page.wait_for_timeout(150)
        assert (
            page.locator(".leaflet-popup-content .kt-info-title").text_content()
            == "<script>alert(1)</script>"
        )
        # every hostile name, through the popup
        for name in hostile_names:
            page.evaluate(
                f"(n) => {{ const i = {INSTANCE}; i.map.closePopup(); "
                "i.entries.find(e => e.name === n).layer.openPopup(); }",
                name,
            )
            page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 1")
            assert page.locator(".leaflet-popup-content .kt-info-title").text_content() == name
        # and through a tooltip
        page.evaluate(f"void {INSTANCE}.map.closePopup()")
        page.evaluate(
            f"(() => {{ const i = {INSTANCE}; const e = i.entries.find(e => e.name"
            " === '<img src=x onerror=alert(2)>'); e.layer.openTooltip(); })()"
        )
        assert (
            page.locator(".leaflet-tooltip .kt-info-title").text_content()
            == "<img src=x onerror=alert(2)>"
        )
        page.wait_for_timeout(200)
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        report.assert_clean()
    finally:
        close(page)


def test_browser_empty_layers_and_english(chromium, tmp_path, empty_result):
    page, report = open_offline(chromium, _write(tmp_path, empty_result, lang="en", basemaps=False))
    try:
        assert _paths(page, "kel") == 9 and _paths(page, "kumuh") == 0
        assert page.locator(".kt-legend").inner_text().startswith("Legend")
        assert page.locator(".kt-search-input").get_attribute("placeholder") == "Search kelurahan…"
        assert page.locator(".leaflet-control-layers-base label").count() == 1
        assert page.evaluate("document.documentElement.lang") == "en"
        report.assert_clean()
    finally:
        close(page)


def test_browser_fixture_screenshot(chromium, tmp_path, city_result):
    page, report = open_offline(chromium, _write(tmp_path, city_result))
    try:
        page.screenshot(path=tmp_path / "kotaku_fixture_map.png")
        report.assert_clean()
    finally:
        close(page)


# ----------------------------------------------------------------------------- real data


def test_semarang_map_offline(chromium, tmp_path, semarang_result):
    t0 = time.perf_counter()
    path = tmp_path / "kota_semarang.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error", MapSizeWarning)
        size = save_map(
            city_map(
                semarang_result,
                date=DAY,
                sources=["Batas kelurahan: Kemendagri", "Status dan kumuh: ILUSTRASI"],
            ),
            path,
        )
    build_s = time.perf_counter() - t0
    assert size < 1_000_000, size
    print(f"\nSemarang map: {size / 1e3:.0f} kB, built in {build_s:.2f} s")
    page, report = open_offline(chromium, path)
    try:
        assert _paths(page, "kel") == 177
        assert _paths(page, "kec") == 16
        assert page.locator(".kt-kec-label").count() == 16
        page.locator(".kt-search-input").fill("Miroto")
        page.locator(".kt-search-results li.kt-hit").first.dispatch_event("mousedown")
        assert _paths(page, "hl") == 2
        page.evaluate(
            f"{INSTANCE}.map.closePopup(); void {INSTANCE}.map.fitBounds("
            f"{INSTANCE}.data.bounds, {{animate: false}})"
        )
        page.screenshot(path=tmp_path / "kotaku_semarang_map.png")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        page.screenshot(path=tmp_path / "kotaku_semarang_print.png")
        report.assert_clean()
    finally:
        close(page)


@pytest.mark.slow
def test_semarang_simplification_shrinks(semarang_result, tmp_path):
    raw = save_map(city_map(semarang_result, simplify_m=0), tmp_path / "raw.html")
    slim = save_map(city_map(semarang_result, simplify_m=20), tmp_path / "slim.html")
    assert slim < raw
    assert os.path.getsize(tmp_path / "slim.html") == slim


def test_name_points_sit_inside_to_a_tolerance_relative_to_the_kelurahan():
    import numpy as np

    from kotaku_map.render.city import LABEL_TOLERANCE, label_points

    # an L-shaped desa ~2 km across and a kelurahan of ~50 m, in degrees as on the map
    big = shapely.Polygon(
        [(0, 0), (0.02, 0), (0.02, 0.006), (0.006, 0.006), (0.006, 0.02), (0, 0.02)]
    )
    small = shapely.box(0.1, 0.1, 0.1005, 0.1004)
    two = shapely.MultiPolygon(
        [shapely.box(0.2, 0.2, 0.2001, 0.2001), shapely.box(0.3, 0.3, 0.31, 0.31)]
    )
    geoms = np.array([big, small, two], dtype=object)
    points = label_points(geoms, nd=5)
    for geom, point in zip(geoms, points, strict=True):
        part = max(shapely.get_parts(geom), key=lambda p: p.area)  # the largest part
        assert part.contains(point)
        best = shapely.maximum_inscribed_circle(part, 1e-7).length
        radius = part.exterior.distance(point)
        tolerance = max(1e-4, part.area**0.5 * LABEL_TOLERANCE)
        assert best - radius <= tolerance  # no further from the best than the tolerance
    # the large desa: searched coarsely, still a circle most of the best one
    assert (
        big.exterior.distance(points[0])
        >= 0.85 * shapely.maximum_inscribed_circle(big, 1e-7).length
    )
    # the small kelurahan: the map's own precision (1e-4 degrees), not coarser
    assert small.exterior.distance(points[1]) >= 0.0002 - 1e-4
