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
        count = page.evaluate(
            "document.querySelectorAll('.leaflet-kt-kel-pane path').length")
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
        hrefs = page.evaluate("[...document.querySelectorAll('table.kt-summary a')]"
                              ".map(a => a.getAttribute('href'))")
        assert hrefs == ["9971-kota-contoh-fiktif/peta.html"]
        assert (demo_output / hrefs[0]).is_file()
        report.assert_clean()
    finally:
        close(page)
