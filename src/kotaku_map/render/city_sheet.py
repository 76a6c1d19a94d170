"""A city's map sheet of the atlas: the peta keterpaduan on paper.

Drawn in the city's metric CRS (the UTM zone of its centre) at a round scale: status per
kelurahan, work areas, slum by level, overlaps and gaps hatched (so that they read in black
and white), kecamatan boundaries and the city's outline, in the style's drawing order;
kecamatan and kelurahan names where they fit; a scale bar and a north arrow (true north);
beside or under the map, the legend, the totals and the scale. Simplified no more than
0.15 mm on paper (or ``simplify_m``): the printer shows nothing finer.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from kotaku_map import schema as S
from kotaku_map.results import CityResult

from .atlas import AtlasOptions, PageFrame, totals_rows
from .canvas import MplCanvas
from .draw import RC, Occupied, draw_symbol
from .labels import format_number, text
from .legend import Block, Item, draw_panel
from .map_frame import MapFrame, map_axes, map_furniture, map_notes, place_label
from .shapes import DisplayShapes, city_metric_crs, display_shapes
from .sheet import Box, new_sheet
from .style import (
    GAP,
    KECAMATAN,
    OUTLINE,
    OVERLAP,
    SLUM,
    STATUS,
    WORK,
    level_categories,
    program_symbol,
    status_categories,
)
from .symbols import Category

__all__ = ["city_sheet", "sheet_shapes"]

#: 0.15 mm on paper: finer detail the printer cannot show
PAPER_TOLERANCE_MM = 0.15


def _metric(gdf: gpd.GeoDataFrame | gpd.GeoSeries | None, crs: CRS, tolerance: float) -> Any:
    """A layer in the sheet's CRS, simplified by ``tolerance`` metres."""
    if gdf is None or len(gdf) == 0:
        return gdf
    out = gdf.to_crs(crs)
    geoms = shapely.simplify(
        np.asarray(out.geometry.values, dtype=object), tolerance, preserve_topology=True
    )
    return out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=crs))


def _sheet_scale(result: CityResult, crs: CRS, box: Box) -> tuple[tuple, float]:
    """The city's extent (m) and what ``PAPER_TOLERANCE_MM`` is at its scale (m)."""
    frames = [result.kelurahan, result.kumuh, result.wilayah_kerja]
    geo = next((f for f in frames if len(f) and not f.geometry.is_empty.all()), None)
    bounds = tuple(geo.to_crs(crs).total_bounds) if geo is not None else (0.0, 0.0, 1.0, 1.0)
    metres_per_mm = max((bounds[2] - bounds[0]) / box.w, (bounds[3] - bounds[1]) / box.h, 1e-3)
    return bounds, PAPER_TOLERANCE_MM * metres_per_mm


def _draw_city_layers(
    frame: MapFrame, result: CityResult, shapes: DisplayShapes, crs: CRS, tol: float, lang: str
) -> tuple[list[Category], list[Category]]:
    """The city's layers in the style's drawing order; returns the status and level classes."""
    ax, upp = frame.ax, frame.unit_per_pt
    kel = gpd.GeoSeries(shapes.kelurahan.values, index=result.kelurahan.index, crs=4326).to_crs(crs)
    statuses = status_categories(list(result.kelurahan[S.STATUS]), result.programs, lang)
    for cat in statuses:
        sel = (result.kelurahan[S.STATUS].astype(str) == cat.value).to_numpy()
        draw_symbol(ax, kel[sel], cat.symbol, unit_per_pt=upp, zorder=STATUS.order / 100)
    wk = _metric(result.wilayah_kerja, crs, tol)
    for i, name in enumerate(result.programs):
        sel = wk[wk[S.PROGRAM] == name].geometry if wk is not None and len(wk) else None
        if sel is not None and len(sel):
            draw_symbol(ax, sel, program_symbol(i), unit_per_pt=upp, zorder=WORK.order / 100)
    slum = _metric(result.kumuh, crs, tol)
    levels = level_categories(
        list(slum[S.TINGKAT].dropna().astype(str)) if slum is not None and len(slum) else [], lang
    )
    for cat in levels:
        sel = slum[slum[S.TINGKAT].astype(str) == cat.value].geometry
        draw_symbol(ax, sel, cat.symbol, unit_per_pt=upp, zorder=SLUM.order / 100)
    for style, gdf in ((OVERLAP, result.tumpang_tindih), (GAP, result.celah)):
        layer = _metric(gdf, crs, tol)
        if layer is not None and len(layer) and style.symbol is not None:
            draw_symbol(ax, layer.geometry, style.symbol, unit_per_pt=upp, zorder=style.order / 100)
    for style, gdf in ((KECAMATAN, shapes.kecamatan), (OUTLINE, shapes.outline)):
        if len(gdf) and style.symbol is not None:
            draw_symbol(
                ax,
                gdf.geometry.to_crs(crs),
                style.symbol,
                unit_per_pt=upp,
                zorder=style.order / 100,
            )
    return statuses, levels


def _draw_city_labels(
    overlay: Any,
    frame: MapFrame,
    box: Box,
    taken: Occupied,
    shapes: DisplayShapes,
    result: CityResult,
    crs: CRS,
) -> int:
    """Kecamatan names, then kelurahan names (largest first); how many kelurahan got one.

    A kelurahan's name goes where it fits its kelurahan and collides with nothing.
    """
    names = list(shapes.kecamatan["key"])
    pts = [p if p is not None else shapely.Point() for p in shapes.kecamatan_labels]
    pts = gpd.GeoSeries(pts, crs=4326)
    pts = pts.to_crs(crs)
    for name, pt in zip(names, pts, strict=True):
        if name and not pt.is_empty:
            x, y = frame.to_paper(box, pt.x, pt.y)
            place_label(overlay, taken, float(x), float(y), str(name), "kecamatan")
    kel = gpd.GeoSeries(shapes.kelurahan.values, crs=4326).to_crs(crs)
    arr = np.asarray(kel.values, dtype=object)
    ok = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    mm = 1000.0 / frame.scale
    circles = np.full(len(arr), None, dtype=object)
    circles[ok] = shapely.maximum_inscribed_circle(arr[ok], 0.3 / mm)
    order = np.argsort(-np.where(ok, shapely.area(arr), 0.0), kind="stable")
    set_count = 0
    for i in order:
        circle = circles[i]
        if circle is None or shapely.is_empty(circle):
            continue
        cx, cy = shapely.get_coordinates(circle)[0]
        radius = shapely.length(circle) * mm
        name = result.kelurahan[S.KELURAHAN].iloc[i]
        if name is None or name != name or not str(name).strip():
            continue  # no name to print
        x, y = frame.to_paper(box, cx, cy)

        def fits(b: tuple, r: float = radius) -> bool:  # the label's height inside the kelurahan
            return 2 * r >= (b[3] - b[1]) * 0.9 and (b[2] - b[0]) <= 2 * r * 2.2

        set_count += place_label(overlay, taken, float(x), float(y), str(name), "kelurahan", fits)
    return set_count


def _status_items(statuses: Sequence[Category], result: CityResult, lang: str) -> list[Item]:
    counts = result.kelurahan[S.STATUS].astype(str).value_counts()
    return [Item(f"{c.label} ({int(counts.get(c.value, 0))})", c.symbol) for c in statuses]


def _line_items(result: CityResult, lang: str) -> list[Item]:
    """Work areas, overlap, gap, kecamatan and city boundaries: what the sheet shows."""
    items = []
    programs_drawn = set(result.wilayah_kerja[S.PROGRAM]) if len(result.wilayah_kerja) else set()
    for i, name in enumerate(result.programs):
        if name in programs_drawn:
            items.append(Item(text("layer_wk", lang, p=name), program_symbol(i)))
    for style, frame in ((OVERLAP, result.tumpang_tindih), (GAP, result.celah)):
        if len(frame) and style.symbol is not None and style.item:
            items.append(Item(text(style.item, lang), style.symbol))
    for style in (KECAMATAN, OUTLINE):
        if style.symbol is not None and style.item:
            items.append(Item(text(style.item, lang), style.symbol, kind="line"))
    return items


def _totals_blocks(result: CityResult, lang: str) -> list[Block]:
    """The totals, and the slum per program combination."""
    r = result.ringkasan or {}
    blocks = [Block(text("totals", lang), rows=totals_rows(r, lang))]
    combos = r.get("kumuh_per_kombinasi_ha") or {}
    if combos:
        none, ha = text("no_program", lang), text("ha", lang)
        rows = [(str(k) or none, f"{format_number(v, 2, lang)} {ha}") for k, v in combos.items()]
        blocks.append(Block(text("per_kombinasi", lang), rows=rows))
    return blocks


def sheet_shapes(result: CityResult, options: AtlasOptions | None = None) -> DisplayShapes | None:
    """The city's kelurahan, kecamatan and outline simplified for its sheet.

    Simplified by ``options.simplify_m`` or by what 0.15 mm on paper is at the sheet's
    scale, whichever is more: detail the printer cannot show is left out.

    Parameters
    ----------
    result : CityResult
    options : AtlasOptions, optional

    Returns
    -------
    DisplayShapes or None
        ``None`` for a city without geometry.
    """
    options = options or AtlasOptions()
    crs = city_metric_crs(result)
    if crs is None:
        return None
    _, tol = _sheet_scale(result, crs, options.layout.map)
    return display_shapes(result, max(tol, options.simplify_m))


def city_sheet(
    result: CityResult,
    *,
    options: AtlasOptions | None = None,
    date: _dt.date | None = None,
    page: int = 0,
    total_pages: int = 0,
    shapes: DisplayShapes | None = None,
) -> Any:
    """One city's map sheet, as a matplotlib Figure the size of the paper.

    Parameters
    ----------
    result : CityResult
        Not modified.
    options : AtlasOptions, optional
    date : datetime.date, optional
        The date printed (default: the build's, :mod:`kotaku_map.clock`).
    page, total_pages : int
        Page number and count in the footer (0: none).
    shapes : DisplayShapes, optional
        The city's kelurahan, kecamatan and outline already simplified for this sheet.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with ``fig.savefig("peta.pdf")`` or ``.png``; shown inline in Jupyter.

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> fig = city_sheet(example_result())
    >>> [round(v) for v in fig.get_size_inches() * 25.4]  # A4 landscape, mm
    [297, 210]
    """
    import matplotlib

    frame = PageFrame.make(options, date, total_pages)
    with matplotlib.rc_context(RC):
        return _city_sheet(result, frame, page, shapes)


def _city_sheet(
    result: CityResult, page_frame: PageFrame, page: int, shapes: DisplayShapes | None
) -> Any:
    options, lang = page_frame.options, page_frame.lang
    lay = options.layout
    fig, paper = new_sheet(lay)
    page_frame.draw(MplCanvas(paper), str(result.nama), page)
    crs = city_metric_crs(result)
    if crs is None:  # no geometry at all: the panel alone
        draw_panel(paper, lay.panel, _totals_blocks(result, lang), columns=lay.columns)
        return fig
    bounds, tol = _sheet_scale(result, crs, lay.map)
    tol = max(tol, options.simplify_m)
    if shapes is None or shapes.simplify_m != tol:
        shapes = display_shapes(result, tol)
    frame = map_axes(fig, lay.map, bounds)
    statuses, levels = _draw_city_layers(frame, result, shapes, crs, tol, lang)
    overlay, furniture = map_furniture(fig, frame, lay.map, crs, lang)
    box = lay.map
    taken = Occupied((box.x + 0.8, box.y + 0.8, box.right - 0.8, box.top - 0.8), cell=6.0)
    for b in furniture:
        taken.add(b)
    _draw_city_labels(overlay, frame, box, taken, shapes, result, crs)
    blocks = [Block(text("layer_status", lang), items=_status_items(statuses, result, lang))]
    if levels:
        blocks.append(
            Block(text("layer_kumuh", lang), items=[Item(c.label, c.symbol) for c in levels])
        )
    blocks.append(Block(None, items=_line_items(result, lang)))
    blocks += _totals_blocks(result, lang)
    blocks.append(Block(None, notes=map_notes(frame, crs, options.paper, lang)))
    draw_panel(paper, lay.panel, blocks, columns=lay.columns)
    return fig
