"""The overview page ``output/index.html``: every kab/kota on one offline page.

A sortable summary table (slum, overlap and gap hectares, kelurahan per status) with a
link to each city's map, and a map of all cities (each city's kelurahan dissolved and
simplified) coloured by program mix, with circles sized by coverage-gap hectares.
Like the city maps, the page loads nothing from the network; text from input files is
escaped (table) or set with ``textContent`` (map).
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from kotaku_map import schema
from kotaku_map.clock import build_date
from kotaku_map.render import (
    COMBO_COLORS,
    LABELS,
    PROGRAM_COLORS,
    Lang,
    _drop_small_holes,
    _simplify_metric,
    decimals_for,
    encode_geometry,
    format_date,
    json_for_html,
    metric_crs,
    offline_head,
    status_styles,
    write_html,
)
from kotaku_map.results import CityResult

__all__ = ["overview_html", "write_overview"]

OVERVIEW_LABELS = {
    "id": {
        "overview_title": "Peta Keterpaduan Penanganan Permukiman Kumuh: Ringkasan Kab/Kota",
        "program_mix": "Campuran program",
        "layer_mix": "Campuran program per kab/kota",
        "layer_gap_circles": "Celah cakupan (ha)",
        "gap_circle_item": "Luas celah cakupan (lingkaran sebanding luas)",
        "open_map": "Buka peta kota →",
        "city": "Kab/Kota",
        "no_programs": "Tanpa program",
        "n_cities": "{n} kab/kota",
        "total": "Jumlah",
        "table_caption": "Ringkasan per kab/kota (klik judul kolom untuk mengurutkan)",
        "status_col": "Kel. {s}",
    },
    "en": {
        "overview_title": "Slum Upgrading Programme Integration Maps: City Overview",
        "program_mix": "Programme mix",
        "layer_mix": "Programme mix per city/regency",
        "layer_gap_circles": "Coverage gap (ha)",
        "gap_circle_item": "Coverage gap area (circle area proportional)",
        "open_map": "Open city map →",
        "city": "City/regency",
        "no_programs": "No programme",
        "n_cities": "{n} cities/regencies",
        "total": "Total",
        "table_caption": "Summary per city/regency (click a column title to sort)",
        "status_col": "Kel. {s}",
    },
}

_SAFE_SCHEME = re.compile(r"^(?:https?:|file:)?[^:]*$|^https?://", re.IGNORECASE)


def safe_href(href: str | None) -> str | None:
    """Keep relative and http(s)/file links; refuse ``javascript:`` and other schemes.

    Examples
    --------
    >>> safe_href("kota/3374.html"), safe_href("javascript:alert(1)")
    ('kota/3374.html', None)
    """
    if href is None:
        return None
    href = str(href).strip()
    if not href or not _SAFE_SCHEME.match(href):
        return None
    return href


def program_mix(result: CityResult) -> tuple[str, ...]:
    """Programs with work in the city, in config order.

    A program counts if its ``wk_<program>_ha`` column is positive somewhere, or a
    kelurahan status names it.

    Examples
    --------
    >>> from kotaku_map.render import _example_result
    >>> program_mix(_example_result())
    ('NSUP',)
    """
    kel = result.kelurahan
    found = []
    statuses = set(kel[schema.STATUS].dropna().astype(str)) if schema.STATUS in kel else set()
    parts = {p.strip() for s in statuses for p in s.split(schema.PROGRAM_JOIN.strip())}
    for p in result.programs:
        col = schema.work_column(p)
        in_wk = col in kel and float(np.nansum(kel[col].to_numpy(dtype=float))) > 0
        if in_wk or p in parts:
            found.append(p)
    return tuple(found)


def city_shape(
    result: CityResult, simplify_m: float = 50.0, *, outline: Any = None
) -> tuple[Any, Any]:
    """The city's outline, simplified (EPSG:4326), and a label point inside it.

    ``outline`` is the city already dissolved (EPSG:4326, e.g. the ``outline`` of
    :func:`kotaku_map.render.display_shapes`, as the build passes it); without it the
    kelurahan are simplified and dissolved here.
    """
    kel = result.kelurahan
    if len(kel) == 0 or kel.geometry.is_empty.all():
        return None, None
    crs_m = metric_crs(kel)
    if outline is not None:
        geom = gpd.GeoSeries([outline], crs=4326).to_crs(crs_m).iloc[0]
    else:
        proj = np.asarray(kel.geometry.to_crs(crs_m).values, dtype=object)
        if simplify_m > 0:  # simplify the coverage first: the union then has few vertices
            proj = _simplify_metric(proj, simplify_m, coverage=True)
        geom = shapely.union_all(proj)
    if geom is None or geom.is_empty:
        return None, None
    if simplify_m > 0:
        geom = shapely.simplify(geom, simplify_m, preserve_topology=True)
    geom = _drop_small_holes(geom, (10.0 * max(simplify_m, 0.5)) ** 2)
    pt = geom.representative_point()
    out = gpd.GeoSeries([geom, pt], crs=crs_m).to_crs(4326)
    return out.iloc[0], out.iloc[1]


def _num(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(v) else v


def overview_data(
    results: Sequence[CityResult],
    *,
    links: Mapping[str, str],
    lang: Lang = "id",
    simplify_m: float = 50.0,
    date: _dt.date | None = None,
    shapes: Mapping[str, tuple[Any, Any]] | None = None,
    extra_columns: Mapping[str, Mapping[str, float | None]] | None = None,
) -> dict:
    """Everything the overview page shows, as a JSON-ready dict (see :func:`overview_html`)."""
    if lang not in LABELS:
        raise ValueError(f"`lang` was {lang!r} but is expected to be in {sorted(LABELS)}")
    labels = {**LABELS[lang], **OVERVIEW_LABELS[lang]}
    shapes = shapes or {}
    nd = decimals_for(simplify_m)
    programs: list[str] = []
    for r in results:
        programs += [p for p in r.programs if p not in programs]
    mixes: list[tuple[str, ...]] = []
    cities: list[dict[str, Any]] = []
    rows: list[tuple[CityResult, tuple[str, ...], dict[str, Any], dict[str, Any]]] = []
    all_status: list[str] = []
    for r in results:
        mix = program_mix(r)
        if mix not in mixes:
            mixes.append(mix)
        geom, pt = shapes[r.kode] if r.kode in shapes else city_shape(r, simplify_m)
        rk = r.ringkasan or {}
        per_status = {str(k): v for k, v in (rk.get("kelurahan_per_status") or {}).items()}
        if not per_status and schema.STATUS in r.kelurahan:
            per_status = r.kelurahan[schema.STATUS].astype(str).value_counts().to_dict()
        all_status += [s for s in per_status if s not in all_status]
        props: dict[str, Any] = {
            "n": str(r.nama),
            "k": str(r.kode),
            "x": mixes.index(mix),
            "nk": _num(rk.get("jumlah_kelurahan", len(r.kelurahan))),
            "kh": _num(rk.get("kumuh_ha")),
            "oh": _num(rk.get("tumpang_tindih_ha")),
            "gh": _num(rk.get("celah_ha")),
            "href": safe_href(links.get(r.kode)),
        }
        rows.append((r, mix, props, per_status))
        g = encode_geometry(geom, nd) if geom is not None else None
        if g is not None:
            props = {**props, "lat": round(pt.y, nd), "lon": round(pt.x, nd)}
            cities.append({"g": g, "p": props})

    def mix_color(mix: tuple[str, ...]) -> str:
        if not mix:
            return "#FFFFFF"
        if len(mix) == 1:
            return PROGRAM_COLORS[programs.index(mix[0]) % len(PROGRAM_COLORS)]
        combos = [m for m in mixes if len(m) > 1]
        return COMBO_COLORS[combos.index(mix) % len(COMBO_COLORS)]

    order = sorted(
        range(len(mixes)),
        key=lambda i: (len(mixes[i]) == 0, len(mixes[i]), [programs.index(p) for p in mixes[i]]),
    )
    mix_entries: list[dict[str, str]] = [{} for _ in mixes]
    for i in order:
        m = mixes[i]
        mix_entries[i] = {
            "label": schema.PROGRAM_JOIN.join(m) if m else labels["no_programs"],
            "color": mix_color(m),
        }
    legend_order = [mix_entries[i] for i in order]
    remap = {old: new for new, old in enumerate(order)}
    for c in cities:
        c["p"]["x"] = remap[c["p"]["x"]]
    boxes = [
        r.kelurahan.to_crs(4326).total_bounds
        for r in results
        if len(r.kelurahan) and not r.kelurahan.geometry.is_empty.all()
    ]
    bounds = None
    if boxes:
        arr = np.array(boxes)
        bounds = [
            [float(arr[:, 1].min()), float(arr[:, 0].min())],
            [float(arr[:, 3].max()), float(arr[:, 2].max())],
        ]
    statuses = status_styles(all_status, programs, lang)
    return {
        "lang": lang,
        "labels": labels,
        "title": labels["overview_title"],
        "date": format_date(date or build_date(), lang),
        "nd": nd,
        "mixes": legend_order,
        "cities": cities,
        "bounds": bounds,
        "basemaps": True,
        "statuses": statuses,
        "extra_heads": list(dict.fromkeys(k for v in (extra_columns or {}).values() for k in v)),
        "extra": {str(k): dict(v) for k, v in (extra_columns or {}).items()},
        "rows": [
            (r, [schema.PROGRAM_JOIN.join(m)], {**p, "x": remap[p["x"]]}, ps)
            for r, m, p, ps in rows
        ],
    }


def _table(data: dict, name: str) -> str:
    """Render the summary table as HTML (all text escaped; ``data-v`` carries sort keys)."""
    L = data["labels"]
    lang = data["lang"]
    esc = html.escape
    statuses = data["statuses"]

    def fmt(v: float | None, dec: int = 2) -> str:
        if v is None:
            return L["none"]
        s = f"{v:,.{dec}f}"
        if lang == "id":
            s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return s

    heads = [
        ("txt", L["city"]),
        ("txt", L["kode"]),
        ("txt", L["program_mix"]),
        ("num", L["jumlah_kelurahan"]),
        ("num", f"{L['kumuh_ha']} ({L['ha']})"),
        ("num", f"{L['tumpang_tindih_ha']} ({L['ha']})"),
        ("num", f"{L['celah_ha']} ({L['ha']})"),
    ]
    heads += [("num", L["status_col"].replace("{s}", st["label"])) for st in statuses]
    extra_heads = data.get("extra_heads", [])
    heads += [("num", str(h)) for h in extra_heads]
    out = [
        f'<table class="kt-summary" id="{name}_table">',
        f"<caption>{esc(L['table_caption'])}</caption><thead><tr>",
    ]
    for typ, text in heads:
        out.append(
            f'<th scope="col" data-type="{typ}" aria-sort="none">'
            f'<button type="button">{esc(text)}</button></th>'
        )
    out.append("</tr></thead><tbody>")
    totals = np.zeros(4 + len(statuses) + len(extra_heads))
    for _r, mix, p, per_status in data["rows"]:
        name_cell = esc(p["n"])
        if p.get("href"):
            name_cell = f'<a href="{esc(p["href"], quote=True)}">{name_cell}</a>'
        mix_label = mix[0] if mix[0] else L["no_programs"]
        nums = [p["nk"], p["kh"], p["oh"], p["gh"]]
        counts: list[float | None] = [_num(per_status.get(st["key"], 0)) or 0 for st in statuses]
        extra = data.get("extra", {}).get(str(p["k"]), {})
        counts += [_num(extra.get(h)) for h in extra_heads]
        totals += np.nan_to_num(np.array(nums + counts, dtype=float))
        cells = [
            f'<td data-v="{esc(p["n"], quote=True)}">{name_cell}</td>',
            f'<td data-v="{esc(p["k"], quote=True)}">{esc(p["k"])}</td>',
            f'<td data-v="{esc(mix_label, quote=True)}">{esc(mix_label)}</td>',
        ]
        for i, v in enumerate(nums + counts):
            dec = 0 if i == 0 or 4 <= i < 4 + len(statuses) else 2
            cells.append(f'<td class="num" data-v="{"" if v is None else v}">{fmt(v, dec)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody><tfoot><tr>")
    out.append(f'<td colspan="3">{esc(L["total"])}</td>')
    for i, v in enumerate(totals):
        dec = 0 if i == 0 or 4 <= i < 4 + len(statuses) else 2
        out.append(f'<td class="num">{fmt(float(v), dec)}</td>')
    out.append("</tr></tfoot></table>")
    return "".join(out)


def overview_html(
    results: Sequence[CityResult],
    *,
    links: Mapping[str, str],
    lang: Lang = "id",
    simplify_m: float = 50.0,
    date: _dt.date | None = None,
    shapes: Mapping[str, tuple[Any, Any]] | None = None,
    extra_columns: Mapping[str, Mapping[str, float | None]] | None = None,
) -> str:
    """Render the overview page of all kab/kota as one self-contained HTML string.

    Parameters
    ----------
    results : sequence of CityResult
        One per kab/kota (may be empty); not modified.
    links : mapping
        ``CityResult.kode`` -> relative href of that city's map; cities without a link
        are listed without one. Only relative and http(s)/file links are kept.
    lang : {"id", "en"}, default "id"
    simplify_m : float, default 50.0
        Simplification tolerance of the city outlines, in metres.
    date : datetime.date, optional
        Date shown on the page (default today).
    extra_columns : mapping, optional
        ``CityResult.kode`` -> {column title: number}: more numeric columns of the table
        (issue 8: SK/SIM ha, slum ha left, kawasan without funding ...), summed in the footer.

    Returns
    -------
    str
        HTML that loads nothing from the network.

    Examples
    --------
    >>> from kotaku_map.render import _example_result
    >>> page = overview_html([_example_result()], links={"33.74": "kota/3374.html"})
    >>> 'href="kota/3374.html"' in page, "cdn." in page
    (True, False)
    """
    data = overview_data(
        results,
        links=links,
        lang=lang,
        simplify_m=simplify_m,
        date=date,
        shapes=shapes,
        extra_columns=extra_columns,
    )
    name = "kotaku_overview"
    L = data["labels"]
    esc = html.escape
    js_data = {k: v for k, v in data.items() if k not in ("rows", "extra", "extra_heads")}
    subtitle = f"{data['date']} · {L['n_cities'].replace('{n}', str(len(results)))}"
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(data['title'])}</title>\n{offline_head()}</head>\n<body>\n"
        f'<main class="kt-page">\n<h1>{esc(data["title"])}</h1>\n'
        f'<div class="kt-subtitle">{esc(subtitle)}</div>\n'
        f'<div id="{name}_map" class="kt-overview-map" role="region" '
        f'aria-label="{esc(L["layer_mix"], quote=True)}"></div>\n'
        f"{_table(data, name)}\n"
        f'<div class="kt-foot">{esc(L["made_with"])}</div>\n</main>\n'
        f'<script type="application/json" id="{name}_data">{json_for_html(js_data)}</script>\n'
        f"<script>KotakuMap.overview(JSON.parse(document.getElementById('{name}_data')"
        f".textContent), '{name}');</script>\n</body>\n</html>\n"
    )


def write_overview(
    results: Sequence[CityResult],
    path: str | os.PathLike,
    *,
    links: Mapping[str, str],
    lang: Lang = "id",
    shapes: Mapping[str, tuple[Any, Any]] | None = None,
    extra_columns: Mapping[str, Mapping[str, float | None]] | None = None,
) -> int:
    """Write :func:`overview_html` to *path* atomically; returns bytes written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kotaku_map.render import _example_result
    >>> with tempfile.TemporaryDirectory() as d:
    ...     n = write_overview([_example_result()], pathlib.Path(d) / "index.html", links={})
    >>> n > 150_000
    True
    """
    html = overview_html(
        results, links=links, lang=lang, shapes=shapes, extra_columns=extra_columns
    )
    return write_html(html, path, size_budget_mb=5.0)
