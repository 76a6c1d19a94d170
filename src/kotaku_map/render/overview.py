"""The overview page ``output/index.html``: every kab/kota on one offline page.

A sortable summary table (slum, overlap and gap hectares, kelurahan per status) with a
link to each city's map, and a map of all cities (each city's kelurahan dissolved and
simplified) coloured by program mix, with circles sized by coverage-gap hectares.
Like the city maps, the page loads nothing from the network; text from input files is
escaped by the template (table) or set with ``textContent`` (map).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from kotaku_map import schema
from kotaku_map.clock import build_date
from kotaku_map.results import CityResult

from .labels import Lang, check_lang, format_date, labels
from .page import render_page, write_html
from .shapes import city_shape, decimals_for, encode_geometry
from .style import (
    category_data,
    mix_categories,
    page_style,
    status_categories,
    symbol_data,
)

__all__ = ["overview_data", "overview_html", "program_mix", "safe_href", "write_overview"]

_SAFE_SCHEME = re.compile(r"^(?:https?:|file:)?[^:]*$|^https?://", re.IGNORECASE)


def safe_href(href: str | None) -> str | None:
    """Keep relative and http(s)/file links; refuse ``javascript:`` and other schemes.

    Parameters
    ----------
    href : str or None

    Returns
    -------
    str or None

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

    Parameters
    ----------
    result : CityResult

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> program_mix(example_result())
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


def _num(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(v) else v


def _mixes(
    results: Sequence[CityResult], programs: list[str], no_programs: str
) -> tuple[list[tuple[str, ...]], list[dict]]:
    """Each city's program mix and the legend entries of the mixes, in legend order."""
    found = list(dict.fromkeys(program_mix(r) for r in results))
    categories = mix_categories(found, programs, no_programs)
    order = {c.value: i for i, c in enumerate(categories)}
    found.sort(key=lambda m: order[schema.PROGRAM_JOIN.join(m)])
    legend = [{"label": c.label, "symbol": symbol_data(c.symbol)} for c in categories]
    return found, legend


def overview_data(
    results: Sequence[CityResult],
    *,
    links: Mapping[str, str],
    lang: Lang = "id",
    simplify_m: float = 50.0,
    date: _dt.date | None = None,
    shapes: Mapping[str, tuple[Any, Any]] | None = None,
    extra_columns: Mapping[str, Mapping[str, float | None]] | None = None,
    sources: Sequence[str] = (),
    illustrative: bool = False,
) -> dict:
    """Everything the overview page shows, as a JSON-ready dict (see :func:`overview_html`).

    Parameters
    ----------
    results, links, lang, simplify_m, date, shapes, extra_columns, sources, illustrative
        See :func:`overview_html`.

    Returns
    -------
    dict
        The map's data (``cities``, ``mixes``, ``bounds``, ...) and, under ``table``, the
        summary table's head, rows and totals.
    """
    check_lang(lang)
    words = labels(lang)
    shapes = shapes or {}
    nd = decimals_for(simplify_m)
    programs = _programs_of(results)
    mixes, legend = _mixes(results, programs, words["no_programs"])
    cities, rows, all_status = [], [], []
    for r in results:
        mix = program_mix(r)
        per_status = _status_counts(r)
        all_status += [s for s in per_status if s not in all_status]
        props = _city_props(r, mixes.index(mix), links)
        rows.append((mix, props, per_status))
        feature = _city_feature(r, props, shapes, simplify_m=simplify_m, nd=nd)
        if feature is not None:
            cities.append(feature)
    statuses = status_categories(all_status, programs, lang)
    return {
        "lang": lang,
        "labels": words,
        "style": page_style(),
        "title": words["overview_title"],
        "date": format_date(date or build_date(), lang),
        "nd": nd,
        "mixes": legend,
        "cities": cities,
        "bounds": _bounds(results),
        "basemaps": True,
        "sources": [str(x) for x in sources],
        "illustrative": bool(illustrative),
        "statuses": category_data(statuses),
        "table": _table(
            rows,
            [c.value for c in statuses],
            [c.label for c in statuses],
            extra_columns or {},
            lang,
        ),
    }


def _programs_of(results: Sequence[CityResult]) -> list[str]:
    """Every program of the build, in the order the cities first name them."""
    programs: list[str] = []
    for r in results:
        programs += [p for p in r.programs if p not in programs]
    return programs


def _status_counts(r: CityResult) -> dict[str, Any]:
    """Kelurahan per status in one city: from its summary, else counted from its kelurahan."""
    rk = r.ringkasan or {}
    per_status = {str(k): v for k, v in (rk.get("kelurahan_per_status") or {}).items()}
    if not per_status and schema.STATUS in r.kelurahan:
        per_status = r.kelurahan[schema.STATUS].astype(str).value_counts().to_dict()
    return per_status


def _city_props(r: CityResult, mix_index: int, links: Mapping[str, str]) -> dict[str, Any]:
    """One city's properties on the map and in the table (short keys: the page is JSON)."""
    rk = r.ringkasan or {}
    return {
        "n": str(r.nama),
        "k": str(r.kode),
        "x": mix_index,
        "nk": _num(rk.get("jumlah_kelurahan", len(r.kelurahan))),
        "kh": _num(rk.get("kumuh_ha")),
        "oh": _num(rk.get("tumpang_tindih_ha")),
        "gh": _num(rk.get("celah_ha")),
        "href": safe_href(links.get(r.kode)),
    }


def _city_feature(
    r: CityResult,
    props: dict[str, Any],
    shapes: Mapping[str, tuple[Any, Any]],
    *,
    simplify_m: float,
    nd: int,
) -> dict[str, Any] | None:
    """The city's outline and label point on the map; None for a city without geometry."""
    geom, pt = shapes[r.kode] if r.kode in shapes else city_shape(r, simplify_m)
    g = encode_geometry(geom, nd) if geom is not None else None
    if g is None:
        return None
    return {"g": g, "p": {**props, "lat": round(pt.y, nd), "lon": round(pt.x, nd)}}


def _bounds(results: Sequence[CityResult]) -> list[list[float]] | None:
    boxes = [
        r.kelurahan.to_crs(4326).total_bounds
        for r in results
        if len(r.kelurahan) and not r.kelurahan.geometry.is_empty.all()
    ]
    if not boxes:
        return None
    arr = np.array(boxes)
    return [
        [float(arr[:, 1].min()), float(arr[:, 0].min())],
        [float(arr[:, 3].max()), float(arr[:, 2].max())],
    ]


def _format(value: float | None, decimals: int, lang: str, none: str) -> str:
    if value is None:
        return none
    out = f"{value:,.{decimals}f}"
    if lang == "id":
        out = out.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return out


def _table(
    rows: list,
    status_keys: list[str],
    status_labels: list[str],
    extra: Mapping[str, Mapping[str, float | None]],
    lang: str,
) -> dict:
    """The summary table: heads, rows of cells (text, sort key, link) and totals."""
    L = labels(lang)
    extra_heads = list(dict.fromkeys(k for v in extra.values() for k in v))
    heads = [
        ("txt", L["city"]),
        ("txt", L["kode"]),
        ("txt", L["program_mix"]),
        ("num", L["jumlah_kelurahan"]),
        ("num", f"{L['kumuh_ha']} ({L['ha']})"),
        ("num", f"{L['tumpang_tindih_ha']} ({L['ha']})"),
        ("num", f"{L['celah_ha']} ({L['ha']})"),
    ]
    heads += [("num", L["status_col"].replace("{s}", s)) for s in status_labels]
    heads += [("num", str(h)) for h in extra_heads]
    whole = {0} | set(range(4, 4 + len(status_keys)))  # counts: no decimals
    whole |= {  # extra columns whose every value is an int (counts)
        4 + len(status_keys) + i
        for i, h in enumerate(extra_heads)
        if all(isinstance(v.get(h, 0), (int, np.integer)) for v in extra.values())
    }
    totals = np.zeros(4 + len(status_keys) + len(extra_heads))
    body = []
    for mix, p, per_status in rows:
        mix_label = schema.PROGRAM_JOIN.join(mix) if mix else L["no_programs"]
        nums: list[float | None] = [p["nk"], p["kh"], p["oh"], p["gh"]]
        nums += [_num(per_status.get(k, 0)) or 0 for k in status_keys]
        nums += [_num(extra.get(str(p["k"]), {}).get(h)) for h in extra_heads]
        totals += np.nan_to_num(np.array(nums, dtype=float))
        cells = [
            {"text": p["n"], "v": p["n"], "href": p.get("href"), "num": False},
            {"text": p["k"], "v": p["k"], "href": None, "num": False},
            {"text": mix_label, "v": mix_label, "href": None, "num": False},
        ]
        cells += [
            {
                "text": _format(v, 0 if i in whole else 2, lang, L["none"]),
                "v": "" if v is None else v,
                "href": None,
                "num": True,
            }
            for i, v in enumerate(nums)
        ]
        body.append(cells)
    return {
        "heads": [{"type": t, "text": s} for t, s in heads],
        "rows": body,
        "totals": [
            _format(float(v), 0 if i in whole else 2, lang, L["none"]) for i, v in enumerate(totals)
        ],
        "total_label": L["total"],
    }


def overview_html(
    results: Sequence[CityResult],
    *,
    links: Mapping[str, str],
    lang: Lang = "id",
    simplify_m: float = 50.0,
    date: _dt.date | None = None,
    shapes: Mapping[str, tuple[Any, Any]] | None = None,
    extra_columns: Mapping[str, Mapping[str, float | None]] | None = None,
    sources: Sequence[str] = (),
    illustrative: bool = False,
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
        Date shown on the page (default: the build's date).
    shapes : mapping, optional
        ``CityResult.kode`` -> (outline, label point), EPSG:4326, already simplified (the
        build draws them with the city maps); made here otherwise.
    extra_columns : mapping, optional
        ``CityResult.kode`` -> {column title: number}: more numeric columns of the table
        (issue 8: SK/SIM ha, slum ha left, kawasan without funding ...), summed in the footer;
        ``int`` values are counts, written without decimals.
    sources : sequence of str
        The build's data sources (as the config states them), in the page's footer.
    illustrative : bool, default False
        Some input is illustrative: the title and the footer carry an ILUSTRATIF mark.

    Returns
    -------
    str
        HTML that loads nothing from the network.

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> page = overview_html([example_result()], links={"33.74": "kota/3374.html"})
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
        sources=sources,
        illustrative=illustrative,
    )
    words = data["labels"]
    table = data.pop("table")
    subtitle = f"{data['date']} · {words['n_cities'].replace('{n}', str(len(results)))}"
    return render_page(
        "overview.html.j2",
        data=data,
        lang=lang,
        title=data["title"],
        name="kotaku_overview",
        entry="overview",
        body_class="kt-overview-page",
        subtitle=subtitle,
        map_label=words["layer_mix"],
        caption=words["table_caption"],
        table=table,
        made_with=words["made_with"],
        sources_label=words["sources"],
        sources=data["sources"],
        illustrative=words["illustrative"] if illustrative else "",
        illustrative_note=words["illustrative_note"],
        mark=data["style"]["symbols"]["illustrative"],
    )


def write_overview(
    results: Sequence[CityResult],
    path: str | os.PathLike,
    *,
    links: Mapping[str, str],
    lang: Lang = "id",
    shapes: Mapping[str, tuple[Any, Any]] | None = None,
    extra_columns: Mapping[str, Mapping[str, float | None]] | None = None,
    simplify_m: float = 50.0,
    size_budget_mb: float = 5.0,
    sources: Sequence[str] = (),
    illustrative: bool = False,
) -> int:
    """Write :func:`overview_html` to *path* atomically; returns bytes written.

    Parameters
    ----------
    results, links, lang, shapes, extra_columns, simplify_m, sources, illustrative
        See :func:`overview_html`.
    path : path-like
    size_budget_mb : float, default 5.0
        Warn (:class:`~kotaku_map.render.page.MapSizeWarning`) above this many MB.

    Returns
    -------
    int

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kotaku_map.results import example_result
    >>> with tempfile.TemporaryDirectory() as d:
    ...     n = write_overview([example_result()], pathlib.Path(d) / "index.html", links={})
    >>> n > 150_000
    True
    """
    page = overview_html(
        results,
        links=links,
        lang=lang,
        shapes=shapes,
        extra_columns=extra_columns,
        simplify_m=simplify_m,
        sources=sources,
        illustrative=illustrative,
    )
    return write_html(page, path, size_budget_mb=size_budget_mb)
