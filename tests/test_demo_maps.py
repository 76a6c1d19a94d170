"""Every HTML file the demo build writes works offline in a real browser."""

import pandas as pd
import pytest
from browser import close, open_offline


@pytest.fixture(scope="module")
def demo_output(demo_build):
    return demo_build / "output"


def test_every_demo_html_is_offline_and_error_free(chromium, demo_output):
    pages = sorted(demo_output.rglob("*.html"))
    assert {p.name for p in pages} == {"index.html", "peta.html"}
    for path in pages:
        page, report = open_offline(chromium, path)
        try:
            report.assert_clean()  # no request left the page, no JS error, no dialog
        finally:
            close(page)


def test_demo_city_map_shows_every_layer_and_every_kelurahan(chromium, demo_output):
    [path] = demo_output.glob("*/peta.html")
    table = pd.read_csv(path.parent / "kelurahan.csv")
    page, report = open_offline(chromium, path)
    try:
        count = page.evaluate("document.querySelectorAll('.leaflet-kt-kel-pane path').length")
        assert count == len(table) == 60
        for pane in ("kec", "wk", "kumuh", "overlap", "gap", "outline"):
            n = page.evaluate(f"document.querySelectorAll('.leaflet-kt-{pane}-pane path').length")
            assert n > 0, pane
        legend = page.locator(".kt-legend").inner_text()
        for status in ("NSUP", "NUSP-2", "NSUP + NUSP-2", "Kumuh tanpa program"):
            assert status in legend
        page.locator(".kt-search-input").fill(table["kelurahan"].iloc[7])
        hits = page.locator(".kt-search-results li.kt-hit")
        assert hits.count() >= 1
        report.assert_clean()
    finally:
        close(page)


def test_demo_overview_links_to_the_city_map(chromium, demo_output):
    page, report = open_offline(chromium, demo_output / "index.html", viewport=(1366, 900))
    try:
        hrefs = page.evaluate(
            "[...document.querySelectorAll('table.kt-summary a')].map(a => a.getAttribute('href'))"
        )
        assert hrefs == ["9971-kota-contoh-fiktif/peta.html"]
        assert (demo_output / hrefs[0]).is_file()
        report.assert_clean()
    finally:
        close(page)


@pytest.fixture(scope="module")
def semarang_output(tmp_path_factory):
    """Kota Semarang's 177 real kelurahan through the whole pipeline, ILLUSTRATIVE programs:
    NSUP a list of every kelurahan whose code ends in 0-3, NUSP-2 polygons in those ending
    in 2-5 (so codes ending in 2-3 overlap), slum blobs in every kelurahan ending in 0-6."""
    import geopandas as gpd
    import shapely
    from realdata import real

    from kotaku_map.build import build
    from kotaku_map.crs import local_equal_area

    folder = tmp_path_factory.mktemp("semarang")
    boundaries = real("boundaries/kel_3374_kota_semarang.geojson")
    kel = gpd.read_file(boundaries)
    digit = kel["kode"].str[-1].astype(int)
    pd.DataFrame(
        {
            "kode": kel.loc[digit <= 3, "kode"],
            "kelurahan": kel.loc[digit <= 3, "nama"],
            "keterangan": "ILUSTRATIF",
        }
    ).to_csv(folder / "nsup.csv", index=False)
    metric = kel.to_crs(local_equal_area(110.42, -7.0))
    inner = metric.geometry.representative_point().buffer(250.0)
    nusp = metric[digit.between(2, 5)].assign(
        geometry=shapely.intersection(
            metric.geometry[digit.between(2, 5)].values, inner[digit.between(2, 5)].values
        ),
        keterangan="ILUSTRATIF",
    )
    nusp[["kode", "keterangan", "geometry"]].to_crs(4326).to_file(folder / "nusp2.gpkg")
    slum = metric[digit <= 6].assign(
        geometry=shapely.intersection(
            metric.geometry[digit <= 6].values, inner[digit <= 6].buffer(100.0).values
        ),
        tingkat=(["kumuh ringan", "kumuh sedang", "kumuh berat"] * 100)[: int((digit <= 6).sum())],
    )
    slum[["tingkat", "geometry"]].to_crs(4326).to_file(folder / "kumuh.gpkg")
    (folder / "kotaku.toml").write_text(f"""
title = "Kota Semarang (program ILUSTRATIF)"
[boundaries]
path = "{boundaries.as_posix()}"
kelurahan = "nama"
kecamatan = "nama_kec"
kabkota = "nama_kab"
[[programs]]
name = "NSUP"
path = "nsup.csv"
kind = "table"
columns = {{ code = "kode", kelurahan = "kelurahan" }}
[[programs]]
name = "NUSP-2"
path = "nusp2.gpkg"
[slum]
path = "kumuh.gpkg"
level = "tingkat"
""")
    result = build(folder / "kotaku.toml", output_dir=folder / "output")
    return result, folder / "output"


def test_semarang_built_from_real_boundaries_is_offline_and_complete(chromium, semarang_output):
    result, out = semarang_output
    [city] = result.cities
    assert len(city.kelurahan) == 177
    assert city.ringkasan["tumpang_tindih_ha"] > 0 and city.ringkasan["celah_ha"] > 0
    [path] = out.glob("*/peta.html")
    assert path.stat().st_size < 5e6
    for page_path in (path, out / "index.html"):
        page, report = open_offline(chromium, page_path)
        try:
            if page_path == path:
                n = page.evaluate("document.querySelectorAll('.leaflet-kt-kel-pane path').length")
                assert n == 177
            report.assert_clean()
        finally:
            close(page)


def test_the_expanded_layer_list_is_never_hidden_under_the_legend(chromium, demo_output):
    [path] = demo_output.glob("*/peta.html")
    page, report = open_offline(chromium, path, viewport=(1366, 600))
    try:
        page.hover(".leaflet-control-layers")
        page.wait_for_timeout(200)
        on_top = page.evaluate("""() => [...document.querySelectorAll(
              '.leaflet-control-layers-overlays label')].every(l => {
            const r = l.getBoundingClientRect();
            if (r.bottom > window.innerHeight) return true;  // scrolled: not on screen
            const hit = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
            return l.contains(hit);
        })""")
        assert on_top
        report.assert_clean()
    finally:
        close(page)
