"""One city's interactive map (*peta keterpaduan*): its data, then the offline page.

:func:`city_data` gathers everything the browser draws (display geometry, labels, the
style, the totals) into one JSON-ready dict; :func:`city_map` renders the page around it.
``assets/kotaku_map.js`` builds the layers, legend, search, totals, fullscreen and print
layout from that data; Leaflet is inlined, so the page works offline.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.ops import polylabel

from kotaku_map import schema as S
from kotaku_map.clock import build_date
from kotaku_map.names import normalise_name, plain_key, search_rules
from kotaku_map.results import CityResult

from .extras import ExtraLayer, ExtraPanel, extra_data
from .labels import Lang, check_lang, format_date, labels, value_label
from .page import Page, render_page
from .shapes import (
    DisplayShapes,
    city_metric_crs,
    decimals_for,
    display_shapes,
    features,
    json_value,
    simplify_display,
)
from .style import (
    category_data,
    level_categories,
    page_style,
    program_symbol,
    status_categories,
    symbol_data,
)

__all__ = ["LABEL_TOLERANCE", "city_data", "city_map", "label_points"]

#: the city's totals shown in the totals panel, in order
TOTALS = (
    "jumlah_kelurahan",
    "kumuh_ha",
    "tercakup_ha",
    "tumpang_tindih_ha",
    "celah_ha",
    "sliver_ha",
    "luar_batas_ha",
)
#: where a city has no geometry at all, the map shows Indonesia
INDONESIA = np.array([95.0, -11.0, 141.0, 6.0])


def _column(gdf: gpd.GeoDataFrame, name: str) -> pd.Series:
    if name in gdf.columns:
        return gdf[name]
    return pd.Series([None] * len(gdf), index=gdf.index)


def _kelurahan_features(
    result: CityResult, shapes: DisplayShapes, status_index: Mapping[str, int], nd: int
) -> list[dict]:
    """The kelurahan polygons with what their tooltip and popup show."""
    wk_cols = [S.work_column(p) for p in result.programs]
    props: dict[str, Any] = {
        "n": S.KELURAHAN,
        "kc": S.KECAMATAN,
        "k": S.KODE,
        "p": S.PROGRAM,
        "s": lambda r: status_index.get(str(r.get(S.STATUS)), None),
        "a": S.LUAS_HA,
        "kh": S.KUMUH_HA,
        "th": S.TERCAKUP_HA,
        "oh": S.TUMPANG_TINDIH_HA,
        "gh": S.CELAH_HA,
        "sh": S.SLIVER_HA,
        "m": S.METODE_COCOK,
        "w": lambda r: [json_value(r.get(c)) for c in wk_cols],
        "q": _search_keys,
    }
    return features(result.kelurahan, shapes.kelurahan, props, nd)


def _search_keys(row: Mapping[str, Any]) -> list[str]:
    """What the search compares a query with: the keys of a kelurahan.

    The name as the matcher keys it (:func:`~kotaku_map.names.normalise_name`), the name as
    written (:func:`~kotaku_map.names.plain_key`), and the kecamatan's key, last.
    """
    name = row.get(S.KELURAHAN)
    keys = list(dict.fromkeys(k for k in (normalise_name(name), plain_key(name)) if k))
    return [*keys, normalise_name(row.get(S.KECAMATAN), level="kecamatan")]


def _label_point(geom: Any, floor: float) -> Any:
    """Where a polygon's name goes: the pole of inaccessibility of its largest part.

    Found to :data:`LABEL_TOLERANCE` of the square root of the part's area, or ``floor``.
    """
    parts = shapely.get_parts(geom)
    part = parts[int(np.argmax(shapely.area(parts)))]
    tolerance = float(_circle_tolerance(part.area, floor))
    try:
        return polylabel(part, tolerance)
    except Exception:  # noqa: BLE001 - a degenerate part: any point inside will do
        return part.representative_point()


def _kelurahan_labels(result: CityResult, shapes: DisplayShapes, nd: int) -> list[list]:
    """Name points of the kelurahan ``[lat, lon, name, code]``, largest kelurahan first.

    The script hides a name that would overlap one shown before it.
    """
    names = _column(result.kelurahan, S.KELURAHAN)
    codes = _column(result.kelurahan, S.KODE)
    geoms = shapes.kelurahan
    ok = ~(geoms.isna() | geoms.is_empty).to_numpy() & names.notna().to_numpy()
    if not ok.any():
        return []
    area = shapely.area(geoms.to_numpy()[ok])
    rows = [
        (g, str(n), None if pd.isna(k) else str(k))
        for g, n, k in zip(geoms[ok], names[ok], codes[ok], strict=True)
    ]
    order = np.argsort(-area, kind="stable")
    points = label_points(np.array([rows[int(i)][0] for i in order], dtype=object), nd)
    out = []
    for i, pt in zip(order.tolist(), points, strict=True):
        _, n, k = rows[i]
        out.append([round(pt.y, nd), round(pt.x, nd), n, k])
    return out


#: a name point's circle is found to this share of the square root of its part's area
LABEL_TOLERANCE = 1 / 20


def _circle_tolerance(area: Any, floor: float) -> Any:
    """:data:`LABEL_TOLERANCE` of the square root of ``area`` (one or many), or ``floor``."""
    return np.maximum(floor, np.sqrt(area) * LABEL_TOLERANCE)


def label_points(geoms: np.ndarray, nd: int) -> list:
    """Where each polygon's name goes: the centre of its largest part's inscribed circle.

    Each circle is found to a tolerance relative to its part's size
    (:data:`LABEL_TOLERANCE` of the square root of its area), never finer than the map's
    decimals: a name sits as well inside a large desa as in a small kelurahan, and a
    large desa's circle is not searched to the metre (half the time of one tolerance).
    One GEOS call where no part is degenerate; else one by one (:func:`_label_point`).

    Parameters
    ----------
    geoms : ndarray of Geometry
        Polygons in EPSG:4326, each with at least one part.
    nd : int
        Decimals of the map's coordinates: the finest tolerance is ``10 ** -min(nd, 4)``
        degrees.

    Returns
    -------
    list of shapely.Point
        One point per geometry.
    """
    floor = 10.0 ** -min(nd, 4)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    order = np.lexsort((-shapely.area(parts), owner))  # per owner, largest part first
    first = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
    tolerance = _circle_tolerance(shapely.area(parts[first]), floor)
    try:
        if len(first) != len(geoms):
            raise ValueError("a geometry without parts")
        centres = shapely.get_point(shapely.maximum_inscribed_circle(parts[first], tolerance), 0)
    except Exception:  # noqa: BLE001 - one by one, degenerate parts as _label_point has them
        return [_label_point(g, floor) for g in geoms]
    return list(centres)


def _boundary_features(shapes: DisplayShapes, nd: int) -> dict[str, list]:
    """Kecamatan (lines and label points) and the city outline."""
    kec = shapes.kecamatan
    labels_at = [
        [round(pt.y, nd), round(pt.x, nd), name]
        for name, pt in zip(kec["key"], shapes.kecamatan_labels, strict=True)
        if pt is not None and name
    ]
    return {
        "kec": features(kec, kec.geometry, {"n": "key"}, nd),
        "kec_labels": labels_at,
        "outline": features(shapes.outline, shapes.outline.geometry, {}, nd),
    }


def _layer(
    gdf: gpd.GeoDataFrame,
    props: Mapping[str, Any],
    crs_m: CRS | None,
    tolerance_m: float,
    nd: int,
) -> list[dict]:
    if gdf is None or len(gdf) == 0:
        return []
    return features(gdf, simplify_display(gdf.geometry, crs_m, tolerance_m), props, nd)


#: a slum piece's popup: the figures of its whole lingkungan (delineation)
_LINGKUNGAN_PROPS = {
    "li": S.ID_LINGKUNGAN,
    "ln": "ling_" + S.NAMA_LINGKUNGAN,
    "ls": "ling_" + S.STATUS,
    "lk": "ling_" + S.KUMUH_HA,
    "lt": "ling_" + S.TERCAKUP_HA,
    "lc": "ling_" + S.CELAH_HA,
    "lp": "ling_" + S.PROGRAM,
}


def _slum_with_lingkungan(result: CityResult) -> gpd.GeoDataFrame:
    """The slum pieces, each with its lingkungan's figures (``ling_*``; none without)."""
    kumuh = result.kumuh
    ling = result.lingkungan
    if S.ID_LINGKUNGAN not in kumuh or not len(ling):
        return kumuh.assign(**{c: None for c in _LINGKUNGAN_PROPS.values()})
    cols = [S.NAMA_LINGKUNGAN, S.STATUS, S.KUMUH_HA, S.TERCAKUP_HA, S.CELAH_HA, S.PROGRAM]
    by_id = pd.DataFrame(ling.drop(columns="geometry")).set_index(S.ID_LINGKUNGAN)[cols]
    joined = by_id.reindex(kumuh[S.ID_LINGKUNGAN].to_numpy())
    out = kumuh.copy()
    for c in cols:
        values = joined[c].to_numpy()
        out["ling_" + c] = [None if pd.isna(v) else v for v in values]
    return out


def _finding_features(
    result: CityResult,
    programs: list[str],
    levels: Sequence[str],
    crs_m: CRS | None,
    simplify_m: float,
    nd: int,
) -> dict[str, list]:
    """Work areas, slum, overlaps, gaps and slivers (the last unsimplified, finer grid).

    A program that occurs in the work-area layer but not in ``programs`` is appended.
    """
    prog_index = {p: i for i, p in enumerate(programs)}
    level_index = {lv: i for i, lv in enumerate(levels)}
    where = {"n": S.KELURAHAN, "k": S.KODE}
    wk = _layer(
        result.wilayah_kerja,
        {
            "p": lambda r: prog_index.get(str(r.get(S.PROGRAM)), None),
            "pn": S.PROGRAM,
            **where,
            "a": S.LUAS_HA,
        },
        crs_m,
        simplify_m,
        nd,
    )
    for f in wk:
        name = f["p"]["pn"]
        if f["p"]["p"] is None and name is not None:
            if name not in prog_index:
                prog_index[name] = len(programs)
                programs.append(name)
            f["p"]["p"] = prog_index[name]
    level: Callable[[Mapping], Any] = lambda r: level_index.get(str(r.get(S.TINGKAT)), None)  # noqa: E731
    return {
        "wk": wk,
        "kumuh": _layer(
            _slum_with_lingkungan(result),
            {"t": level, "a": S.LUAS_HA, **where, **_LINGKUNGAN_PROPS},
            crs_m,
            simplify_m,
            nd,
        ),
        "overlap": _layer(
            result.tumpang_tindih, {"pn": S.PROGRAM, "a": S.LUAS_HA, **where}, crs_m, simplify_m, nd
        ),
        "gap": _layer(result.celah, {"a": S.LUAS_HA, **where}, crs_m, simplify_m, nd),
        "sliver": _layer(
            result.sliver,
            {"j": S.JENIS, "pn": S.PROGRAM, "a": S.LUAS_HA, **where, "lw": "lebar_m"},
            crs_m,
            0.0,
            min(7, nd + 1),
        ),
    }


def _bounds(result: CityResult) -> list[list[float]]:
    """The map's extent, ``[[south, west], [north, east]]``."""
    kel = result.kelurahan
    if len(kel) and not kel.geometry.is_empty.all():
        b = kel.to_crs(4326).total_bounds
    else:
        frames = [g for g in (result.kumuh, result.wilayah_kerja) if len(g)]
        b = frames[0].to_crs(4326).total_bounds if frames else INDONESIA
    return [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]


def _totals(result: CityResult, lang: Lang, status_index: Mapping[str, int]) -> dict:
    """The totals panel: city totals, kelurahan per status, slum per program combination."""
    r = dict(result.ringkasan)
    per_status = r.get("kelurahan_per_status") or {}
    per_combo = r.get("kumuh_per_kombinasi_ha") or {}
    none = labels(lang)["no_program"]
    return {
        "totals": {k: json_value(r.get(k)) for k in TOTALS if k in r},
        "per_status": [
            [value_label(k, lang), json_value(v), status_index.get(str(k))]
            for k, v in per_status.items()
        ],
        "per_combo": [[str(k) if str(k) else none, json_value(v)] for k, v in per_combo.items()],
    }


def city_data(
    result: CityResult,
    *,
    lang: Lang = "id",
    simplify_m: float = 5.0,
    basemaps: bool = True,
    title: str | None = None,
    sources: Sequence[str] = (),
    illustrative: bool = False,
    date: _dt.date | None = None,
    extras: Sequence[ExtraLayer | ExtraPanel] = (),
    display: DisplayShapes | None = None,
) -> dict:
    """Everything the browser needs to draw one city, as a JSON-ready dict.

    Parameters
    ----------
    result : CityResult
        Not modified: geometries are simplified copies.
    lang, simplify_m, basemaps, title, sources, illustrative, date, extras, display
        See :func:`city_map`.

    Returns
    -------
    dict
        ``lang, title, city, date, sources, illustrative, search, labels, style, programs,
        statuses, levels, basemaps, bounds, nd, nd_sliver, layers, totals, per_status,
        per_combo`` and, with extras, ``extra``.
    """
    check_lang(lang)
    if simplify_m < 0:
        raise ValueError(f"`simplify_m` was {simplify_m!r} but is expected to be >= 0")
    crs_m = city_metric_crs(result)
    nd = decimals_for(simplify_m)
    programs = [str(p) for p in result.programs]
    statuses = status_categories(list(_column(result.kelurahan, S.STATUS)), programs, lang)
    status_index = {c.value: i for i, c in enumerate(statuses)}
    levels = level_categories(list(_column(result.kumuh, S.TINGKAT).dropna().astype(str)), lang)
    shapes = (
        display
        if display is not None and display.simplify_m == simplify_m
        else display_shapes(result, simplify_m)
    )
    layers: dict[str, list] = {"kel": _kelurahan_features(result, shapes, status_index, nd)}
    layers.update(_boundary_features(shapes, nd))
    layers["kel_labels"] = _kelurahan_labels(result, shapes, nd)
    layers.update(
        _finding_features(result, programs, [c.value for c in levels], crs_m, simplify_m, nd)
    )
    for f in layers["kumuh"]:  # the lingkungan's status in the build's language
        if f["p"].get("ls") is not None:
            f["p"]["ls"] = value_label(f["p"]["ls"], lang)
    words = labels(lang)
    data = {
        "lang": lang,
        "title": title if title is not None else words["title"],
        "city": str(result.nama),
        "date": format_date(date or build_date(), lang),
        "sources": [str(s) for s in sources],
        "illustrative": bool(illustrative),
        "search": search_rules(),
        "labels": words,
        "style": page_style(),
        "programs": [
            {"name": p, "symbol": symbol_data(program_symbol(i))} for i, p in enumerate(programs)
        ],
        "statuses": category_data(statuses),
        "levels": category_data(levels),
        "basemaps": bool(basemaps),
        "bounds": _bounds(result),
        "nd": nd,
        "nd_sliver": min(7, nd + 1),
        "layers": layers,
        **_totals(result, lang, status_index),
    }
    if extras:
        data["extra"] = extra_data(extras, crs_m=crs_m, simplify_m=simplify_m, nd=nd, lang=lang)
    return data


def city_map(
    result: CityResult,
    *,
    lang: Lang = "id",
    simplify_m: float = 5.0,
    basemaps: bool = True,
    title: str | None = None,
    sources: Sequence[str] = (),
    illustrative: bool = False,
    date: _dt.date | None = None,
    extras: Sequence[ExtraLayer | ExtraPanel] = (),
    display: DisplayShapes | None = None,
) -> Page:
    """Draw one city's integration map (peta keterpaduan).

    Parameters
    ----------
    result : CityResult
        The analysis of one kab/kota (EPSG:4326); not modified.
    lang : {"id", "en"}, default "id"
        Language of every label; Bahasa Indonesia by default.
    simplify_m : float, default 5.0
        Display simplification tolerance in metres (0: none); coordinates are rounded
        to match (see :func:`~kotaku_map.render.shapes.decimals_for`).
    basemaps : bool, default True
        Offer OpenStreetMap and Esri World Imagery in the layer control (off by default;
        they need internet). ``False`` leaves them out entirely.
    title : str, optional
        Map title; default "Peta Keterpaduan Penanganan Permukiman Kumuh".
    sources : sequence of str
        Data sources (as the config states them), in the page footer on screen and paper.
    illustrative : bool, default False
        Some input is illustrative (config ``illustrative = true``): the title, the footer
        and the printed sheet carry an ILUSTRATIF mark.
    date : datetime.date, optional
        Date shown on the map and print (default: the build's date, see
        :mod:`kotaku_map.clock`).
    extras : sequence of ExtraLayer or ExtraPanel, optional
        Optional extra layers (toggleable, with legend entries; layers sharing a
        ``group`` get a switch, e.g. one layer per year) and panels (a chart); see
        :class:`ExtraLayer`, :func:`sync_layer`, :func:`progress_layers`,
        :func:`funding_layer`.
    display : DisplayShapes, optional
        The city's simplified kelurahan, kecamatan and outline, if already made by
        :func:`~kotaku_map.render.shapes.display_shapes` with the same ``simplify_m``
        (the build reuses them for the overview); made here otherwise.

    Returns
    -------
    Page
        Shown inline in Jupyter; written with :func:`save_map` or ``Page.save``.

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> m = city_map(example_result())
    >>> "KotakuMap.city(" in m.html
    True
    """
    data = city_data(
        result,
        lang=lang,
        simplify_m=simplify_m,
        basemaps=basemaps,
        title=title,
        sources=sources,
        illustrative=illustrative,
        date=date,
        extras=extras,
        display=display,
    )
    return Page(
        render_page(
            "city.html.j2",
            data=data,
            lang=data["lang"],
            title=f"{data['title']} – {data['city']}",
            name="kotaku_city",
            entry="city",
            body_class="kt-city-page",
        )
    )
