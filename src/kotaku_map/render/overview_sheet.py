"""The atlas's overview sheet: every kab/kota on one map, by program mix, gaps as circles.

Like the web overview (``index.html``): each city's outline filled with the colour of its
program mix (:func:`~kotaku_map.render.style.mix_categories`), a circle on it sized by its
coverage-gap hectares (the web map's radii, printed), its name where it fits; the legend
and the totals of all cities beside it. Drawn in the metric CRS of the whole area.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from kotaku_map import schema as S
from kotaku_map.crs import local_metric_crs
from kotaku_map.results import CityResult

from .atlas import TOTALS, AtlasOptions, PageFrame, totals_rows
from .canvas import MplCanvas
from .draw import MM_PER_PT, RC, Occupied, draw_symbol, text_height, text_width
from .labels import format_number, text
from .legend import Block, Item, draw_panel
from .map_frame import MapFrame, map_axes, map_furniture, map_notes, place_label
from .overview import program_mix
from .print_style import PRINT_TEXT, print_width
from .sheet import Box, new_sheet
from .style import GAP_CIRCLE, GAP_CIRCLE_RADIUS, mix_categories, page_style

__all__ = ["map_name", "overview_sheet"]


def overview_sheet(
    results: Sequence[CityResult],
    outlines: Mapping[str, tuple[Any, Any]],
    *,
    options: AtlasOptions | None = None,
    date: _dt.date | None = None,
    page: int = 0,
    total_pages: int = 0,
) -> Any:
    """The map of all cities: coloured by program mix, coverage gaps as circles.

    Parameters
    ----------
    results : sequence of CityResult
    outlines : mapping
        ``CityResult.kode`` -> (outline, label point), EPSG:4326
        (:func:`~kotaku_map.render.shapes.city_shape`).
    options : AtlasOptions, optional
    date : datetime.date, optional
    page, total_pages : int

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> from kotaku_map.render.shapes import city_shape
    >>> r = example_result()
    >>> fig = overview_sheet([r], {r.kode: city_shape(r)})
    >>> len(fig.axes)  # the paper, the map, the map's overlay
    3
    """
    import matplotlib

    frame = PageFrame.make(options, date, total_pages)
    with matplotlib.rc_context(RC):
        return _overview_sheet(results, outlines, frame, page)


def _overview_sheet(
    results: Sequence[CityResult],
    outlines: Mapping[str, tuple[Any, Any]],
    page_frame: PageFrame,
    page: int,
) -> Any:
    lang = page_frame.lang
    lay = page_frame.options.layout
    fig, paper = new_sheet(lay)
    page_frame.draw(MplCanvas(paper), text("atlas_overview", lang), page)
    drawn = [r for r in results if outlines.get(r.kode, (None, None))[0] is not None]
    programs = list(dict.fromkeys(p for r in results for p in r.programs))
    mixes = {r.kode: S.PROGRAM_JOIN.join(program_mix(r)) for r in results}
    cats = mix_categories([program_mix(r) for r in results], programs, text("no_programs", lang))
    blocks = []
    if drawn:
        geo = gpd.GeoSeries([outlines[r.kode][0] for r in drawn], crs=4326)
        crs = local_metric_crs(geo, kind="utm")
        assert crs is not None
        metric = geo.to_crs(crs)
        frame = map_axes(fig, lay.map, metric.total_bounds)
        for cat in cats:
            sel = np.array([mixes[r.kode] == cat.value for r in drawn])
            draw_symbol(
                frame.ax,
                metric[sel],
                cat.symbol,
                unit_per_pt=frame.unit_per_pt,
                zorder=page_style()["overview_panes"]["cities"] / 100,
            )
        overlay, furniture = map_furniture(fig, frame, lay.map, crs, lang)
        circles = _gap_circles(frame, drawn, outlines, crs)
        _city_labels(overlay, frame, lay.map, furniture, drawn, outlines, crs, circles)
        blocks.append(Block(None, notes=map_notes(frame, crs, page_frame.options.paper, lang)))
    counts = pd.Series(list(mixes.values())).value_counts()
    blocks = [
        Block(
            text("layer_mix", lang),
            items=[Item(f"{c.label} ({int(counts.get(c.value, 0))})", c.symbol) for c in cats],
        ),
        _gap_legend(results, lang),
        _overview_totals(results, lang),
    ] + blocks
    draw_panel(paper, lay.panel, blocks, columns=lay.columns)
    return fig


def _radius_pt(gap: float, largest: float) -> float:
    """A gap circle's radius on paper, pt: the web map's radius (px) printed."""
    r0, r1 = GAP_CIRCLE_RADIUS
    return print_width(r0 + r1 * math.sqrt(gap / largest) if largest > 0 else r0)


def _gap_circles(
    frame: MapFrame, drawn: Sequence[CityResult], outlines: Mapping, crs: CRS
) -> dict[str, tuple[float, float, float]]:
    """Circles sized by each city's gap hectares at its label point; kode -> (x, y, r m)."""
    gaps = {r.kode: float((r.ringkasan or {}).get("celah_ha", 0.0) or 0.0) for r in drawn}
    largest = max(gaps.values(), default=0.0)
    pts = gpd.GeoSeries([outlines[r.kode][1] for r in drawn], crs=4326).to_crs(crs)
    out = {}
    for r, pt in zip(drawn, pts, strict=True):
        if gaps[r.kode] > 0 and pt is not None and not pt.is_empty:
            out[r.kode] = (pt.x, pt.y, _radius_pt(gaps[r.kode], largest) * frame.unit_per_pt)
    order = sorted(out, key=lambda k: -out[k][2])  # big first: small ones stay visible
    geoms = [shapely.Point(out[k][:2]).buffer(out[k][2], quad_segs=24) for k in order]
    if geoms:
        draw_symbol(
            frame.ax,
            gpd.GeoSeries(geoms, crs=crs),
            GAP_CIRCLE,
            unit_per_pt=frame.unit_per_pt,
            zorder=page_style()["overview_panes"]["circles"] / 100,
        )
    return out


def map_name(name: str) -> str:
    """A city's name as the overview map writes it: "Kabupaten" shortened to "Kab.".

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Examples
    --------
    >>> map_name("Kabupaten Cilacap"), map_name("Kota Tegal")
    ('Kab. Cilacap', 'Kota Tegal')
    """
    return re.sub(r"^(Kabupaten|Kab\.?)\s+", "Kab. ", name.strip())


def _city_labels(
    overlay: Any,
    frame: MapFrame,
    box: Box,
    furniture: list,
    drawn: Sequence[CityResult],
    outlines: Mapping,
    crs: CRS,
    circles: Mapping[str, tuple[float, float, float]],
) -> None:
    """City names where they cover neither another name nor a circle.

    Above, below or beside the city's gap circle (on its label point if it has none); where
    none of those is free, on the circle itself.
    """
    inner = (box.x + 0.8, box.y + 0.8, box.right - 0.8, box.top - 0.8)
    taken, dots = Occupied(inner, cell=8.0), Occupied(inner, cell=8.0)
    for b in furniture:
        taken.add(b)
    mm = 1000.0 / frame.scale
    for cx, cy, radius in circles.values():
        x, y = (float(v) for v in frame.to_paper(box, cx, cy))
        r = radius * mm
        dots.add((x - r, y - r, x + r, y + r))
    pts = gpd.GeoSeries([outlines[r.kode][1] for r in drawn], crs=4326).to_crs(crs)
    order = np.argsort([-len(r.kelurahan) for r in drawn], kind="stable")
    st = PRINT_TEXT["city_label"]
    h = text_height(st.size) * MM_PER_PT
    for i in order:
        r, pt = drawn[i], pts.iloc[i]
        if pt is None or pt.is_empty:
            continue
        x, y = (float(v) for v in frame.to_paper(box, pt.x, pt.y))
        name = map_name(str(r.nama))
        rad = circles[r.kode][2] * mm if r.kode in circles else 0.0
        half = text_width(name, st.size, bold=st.bold) * MM_PER_PT / 2 + rad + 0.8
        spots = (
            [(0, rad + h * 0.6), (0, -rad - h * 0.6), (half, 0), (-half, 0)] if rad else [(0, 0)]
        )
        if not any(
            place_label(overlay, taken, x + dx, y + dy, name, "city_label", dots.free)
            for dx, dy in spots
        ):  # last: on its own circle, where the halo keeps it legible
            place_label(overlay, taken, x, y, name, "city_label")


def _gap_legend(results: Sequence[CityResult], lang: str) -> Block:
    gaps = [float((r.ringkasan or {}).get("celah_ha", 0.0) or 0.0) for r in results]
    largest = max(gaps, default=0.0)
    ha = text("ha", lang)
    items = [
        Item(
            f"{format_number(v, 2, lang)} {ha}",
            GAP_CIRCLE,
            kind="circle",
            radius=_radius_pt(v, largest),
        )
        for v in dict.fromkeys([largest, largest / 4])
        if v > 0
    ]
    return Block(
        text("layer_gap_circles", lang), items=items, notes=[text("gap_circle_item", lang)]
    )


def _overview_totals(results: Sequence[CityResult], lang: str) -> Block:
    sums = {k: sum(float((r.ringkasan or {}).get(k, 0.0) or 0.0) for r in results) for k in TOTALS}
    rows = [(text("city", lang), format_number(len(results), 0, lang))]
    return Block(text("totals", lang), rows=rows + totals_rows(sums, lang, TOTALS[:-1]))
