"""Tests of kotaku_map.render.overview: the index page of all cities, also in Chromium."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace

import pytest
from browser import close, open_offline

from kotaku_map.render import external_references
from kotaku_map.render.overview import (
    overview_data,
    overview_html,
    program_mix,
    safe_href,
    write_overview,
)

DAY = datetime.date(2017, 2, 9)
INSTANCE = "Object.values(window.KotakuMap.instances)[0]"
EVIL_CITY = "Kota <script>alert('x')</script> \"&\""


@pytest.fixture
def cities(make_city):
    return [
        make_city(),
        make_city(kode="17.71", nama=EVIL_CITY, x0=102.26, y0=-3.78, programs=("NSUP", "APBD")),
        make_city(kode="73.73", nama="Kota Palopo", x0=120.19, y0=-2.99, empty_layers=True),
    ]


LINKS = {"33.74": "kota/3374.html", "17.71": "javascript:alert(1)", "73.73": "kota/7373.html"}


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("kota/3374.html", "kota/3374.html"),
        ("../a b.html", "../a b.html"),
        ("https://example.org/x", "https://example.org/x"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_href(href, expected):
    assert safe_href(href) == expected


def test_program_mix(cities):
    assert [program_mix(c) for c in cities] == [
        ("NSUP", "NUSP-2"),
        ("NSUP", "APBD"),
        ("NSUP", "NUSP-2"),
    ]


def test_overview_data_mixes_and_shapes(cities):
    data = overview_data(cities, links=LINKS, date=DAY)
    assert [m["label"] for m in data["mixes"]] == ["NSUP + NUSP-2", "NSUP + APBD"]
    assert len(data["cities"]) == 3
    assert all(len(c["g"]) == 1 for c in data["cities"])  # each city dissolved to one polygon
    assert [c["p"]["href"] for c in data["cities"]] == ["kota/3374.html", None, "kota/7373.html"]


def test_overview_html_table_and_escaping(cities):
    page = overview_html(cities, links=LINKS, date=DAY)
    assert external_references(page) == []
    assert "<script>alert" not in page
    assert "Kota &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &#34;&amp;&#34;" in page
    assert "javascript:" not in page
    assert page.count("<tr><td data-v=") == 3
    assert '<a href="kota/3374.html">Kota Contoh</a>' in page
    assert "9 Februari 2017 · 3 kab/kota" in page
    body = re.search(r"<tfoot>.*</tfoot>", page).group(0)
    assert ">27<" in body  # 3 x 9 kelurahan


def test_overview_english_and_empty():
    page = overview_html([], links={}, lang="en", date=DAY)
    assert "City Overview" in page and "0 cities/regencies" in page
    with pytest.raises(ValueError, match=r"`lang` was 'xx'"):
        overview_html([], links={}, lang="xx")


def test_write_overview_atomic(tmp_path, cities):
    target = tmp_path / "output" / "index.html"
    n = write_overview(cities, target, links=LINKS)
    assert n == target.stat().st_size
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]


def test_overview_does_not_modify_results(cities):
    before = [c.kelurahan.copy() for c in cities]
    overview_html(cities, links=LINKS)
    for c, b in zip(cities, before, strict=True):
        assert c.kelurahan.equals(b)


def test_browser_overview(chromium, tmp_path, cities):
    path = tmp_path / "index.html"
    write_overview(cities, path, links=LINKS)
    page, report = open_offline(chromium, path, viewport=(1366, 900))
    try:
        assert page.locator(".leaflet-kt-cities-pane path").count() == 3
        assert page.locator(".leaflet-kt-circles-pane path").count() == 2  # Palopo has no gap
        legend = page.locator(".kt-legend").inner_text()
        assert "NSUP + NUSP-2" in legend and "NSUP + APBD" in legend
        rows = page.locator("table.kt-summary tbody tr")
        assert rows.count() == 3
        first_cells = lambda: [  # noqa: E731
            r.strip()
            for r in page.locator("table.kt-summary tbody tr td:first-child").all_inner_texts()
        ]
        assert first_cells()[1] == EVIL_CITY  # literal text, not markup
        # sort by name (text, ascending first), then by gap ha (numeric, descending first)
        page.locator("table.kt-summary thead th button", has_text="Kab/Kota").click()
        assert first_cells() == sorted(first_cells(), key=str.lower)
        page.locator("table.kt-summary thead th button", has_text="Celah cakupan").click()
        assert first_cells()[-1] == "Kota Palopo"
        assert page.locator("th[aria-sort=descending]").count() == 1
        page.locator("table.kt-summary thead th button", has_text="Celah cakupan").click()
        assert first_cells()[0] == "Kota Palopo"
        # links
        hrefs = page.locator("table.kt-summary a").evaluate_all("as => as.map(a => a.href)")
        assert len(hrefs) == 2 and all(h.startswith("file://") for h in hrefs)
        # a tooltip with the hostile name, as text
        page.evaluate(
            f"(() => {{ const i = {INSTANCE}; i.cities.eachLayer(l => {{"
            "if (l.feature.properties.k === '17.71') l.openTooltip(); }); })()"
        )
        assert page.locator(".leaflet-tooltip .kt-info-title").text_content() == EVIL_CITY
        page.screenshot(path=tmp_path / "kotaku_overview.png", full_page=True)
        report.assert_clean()
    finally:
        close(page)


def test_browser_overview_without_geometry(chromium, tmp_path, cities):
    bare = replace(cities[2], kelurahan=cities[2].kelurahan.iloc[:0])
    path = tmp_path / "index.html"
    write_overview([bare], path, links={})
    page, report = open_offline(chromium, path)
    try:
        assert page.locator("table.kt-summary tbody tr").count() == 1
        report.assert_clean()
    finally:
        close(page)


def test_overview_counts_whole_marks_and_sources(cities):
    extra = {"33.74": {"Kel. tidak sinkron": 25, "Luas SK (ha)": 12.5}}
    page = overview_html(
        cities,
        links=LINKS,
        date=DAY,
        extra_columns=extra,
        sources=["batas: BIG", "NSUP: <b>SIM</b>"],
        illustrative=True,
    )
    assert ">25<" in page and "25,00" not in page  # a count, whole
    assert ">12,50<" in page  # hectares keep their decimals
    assert page.count('class="kt-illustrative"') == 2  # title and footer
    assert "Sumber data: batas: BIG; NSUP: &lt;b&gt;SIM&lt;/b&gt;" in page
    assert '<div class="kt-table-wrap">' in page  # the table scrolls alone on a phone
    plain = overview_html(cities, links=LINKS, date=DAY)
    body = plain[plain.index('<main class="kt-page">') : plain.index("</main>")]
    assert 'class="kt-illustrative"' not in body and "Sumber data" not in body
