"""Source reconciliation (*sinkronisasi data*): two slum sources compared per kelurahan.

Two inputs that both describe slum area (the mayor's SK Kumuh table, SIM KOTAKU RT
polygons, a program's delineation, ...) rarely agree. :func:`reconcile` puts them side by
side per kelurahan: hectares in each, the difference in ha and in %, and (where both are
polygons) the ground that lies in one and not in the other; kelurahan beyond a tolerance
are flagged ``tidak_sinkron``.

Each source is first reduced to hectares per kelurahan by :func:`kelurahan_hectares`:

* a **table** (kelurahan + stated hectares) is matched to the boundaries with
  :func:`kotaku_map.matching.match_table`;
* **polygons** are measured in a local equal-area CRS (:func:`kotaku_map.crs.local_metric_crs`)
  and attributed to the kelurahan they lie in (each square metre to exactly one kelurahan:
  overlapping upstream boundary polygons are made disjoint in code order, as the analysis
  does);
* **polygons with a stated area column** (``luas_awal`` of SIM KOTAKU) either by their named
  kelurahan (``kel_name=...``) or split by the polygon's geometric share per kelurahan.

Hectares that reach no kelurahan (unmatched rows, ground outside every boundary) are kept
in one row ``kode = <NA>``, ``kelurahan = "(di luar batas / tidak cocok)"``, so a column
always sums to the source's total, and each such row is reported in the
:class:`~kotaku_map.problems.ProblemLog`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from . import schema as S
from .crs import area_ha, local_equal_area, local_metric_crs
from .errors import InputError
from .matching import match_table
from .number_text import parse_numbers
from .partition import disjoint_parts
from .problems import ProblemLog

__all__ = [
    "OUTSIDE",
    "SYNC_OK",
    "SourceHectares",
    "kelurahan_hectares",
    "reconcile",
    "reconcile_by",
]

#: label of the row that holds hectares attributed to no kelurahan
OUTSIDE = "(di luar batas / tidak cocok)"
#: status of a kelurahan whose two sources agree
SYNC_OK = "sinkron"
#: below 1 m² (1e-4 ha), a difference is the floating noise of an overlay
NOISE_HA = 1e-4
#: where no frame has any geometry, nothing is measured: any equal-area CRS serves
_INDONESIA_CENTRE = (118.0, -2.5)


def _slug(name: str) -> str:
    """Column-safe slug of a source name (``"sumber"`` if nothing is left)."""
    return S.slug(name) or "sumber"


def _area_crs(*frames: gpd.GeoDataFrame) -> CRS:
    return local_metric_crs(*frames) or local_equal_area(*_INDONESIA_CENTRE)


@dataclass(frozen=True)
class SourceHectares:
    """One slum source reduced to hectares per kelurahan.

    Parameters
    ----------
    name : str
        Short name of the source (``"SK"``, ``"SIM"``), used in column names.
    ha : pandas.Series
        Hectares per kelurahan code (index ``kode``); the key ``OUTSIDE`` holds hectares
        that reached no kelurahan.
    rows : pandas.Series
        Number of source rows (polygons or table rows) touching each kelurahan.
    ground : GeoDataFrame or None
        For polygon sources: the source's ground per kelurahan (``kode``, EPSG:4326),
        used for "ground in one and not the other"; ``None`` for tables.
    total_ha : float
        The source's total hectares (what every column of :func:`reconcile` sums to).
    meta : dict
        Free-form notes about the source (nothing in the package reads them).
    """

    name: str
    ha: pd.Series
    rows: pd.Series
    ground: gpd.GeoDataFrame | None = None
    total_ha: float = 0.0
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Rows:
    """A source's rows as the problems report names them, and their stated hectares."""

    numbers: np.ndarray
    stated: pd.Series
    source: str
    layer: str | None


def _stated_hectares(
    frame: pd.DataFrame, area: str | None, *, source: str, layer: str | None, problems: ProblemLog
) -> _Rows:
    rows = (
        frame[S.SUMBER_BARIS].to_numpy()
        if S.SUMBER_BARIS in frame.columns
        else np.arange(1, len(frame) + 1)
    )
    stated = pd.Series(0.0, index=frame.index)
    if area is not None:
        stated = parse_numbers(frame[area], source=source, column=area).astype(float)
        for r in rows[stated.isna().to_numpy()]:
            problems.add(
                source, layer, int(r), area, "luas kosong", "baris tanpa luas (ha): dihitung 0 ha"
            )
        impossible = (np.isinf(stated) | (stated < 0)).to_numpy()
        for r, v in zip(rows[impossible], stated[impossible], strict=True):
            problems.add(
                source,
                layer,
                int(r),
                area,
                "luas tidak masuk akal",
                f"{v:g} ha: luas harus angka terhingga >= 0; dihitung 0 ha",
            )
        stated = stated.where(~impossible, 0.0).fillna(0.0) + 0.0
    return _Rows(rows, stated, source, layer)


def _by_geometry(
    frame: gpd.GeoDataFrame,
    kelurahan: gpd.GeoDataFrame,
    area: str | None,
    rows: _Rows,
    problems: ProblemLog,
) -> tuple[pd.Series, pd.Series, float, gpd.GeoDataFrame]:
    """Polygons cut by the disjoint kelurahan: (ha, rows, total, ground) per kelurahan.

    Measured hectares, or (with ``area``) each polygon's stated hectares split by the
    share of its ground in each kelurahan.
    """
    crs = _area_crs(kelurahan, frame)
    kel_m = kelurahan.to_crs(crs)
    # each square metre to exactly one kelurahan, as the analysis does
    parts = disjoint_parts(kel_m.geometry.values, kel_m[S.KODE].astype(str).to_numpy())
    geoms = shapely.make_valid(np.asarray(frame.to_crs(crs).geometry.values, dtype=object))
    si, ki = shapely.STRtree(parts).query(geoms, predicate="intersects")
    pieces = shapely.intersection(geoms[si], parts[ki])
    piece_ha = area_ha(pieces)
    keep = piece_ha > 0
    si, ki, pieces, piece_ha = si[keep], ki[keep], pieces[keep], piece_ha[keep]
    src_ha = area_ha(geoms)
    inside = np.bincount(si, weights=piece_ha, minlength=len(geoms))
    outside = np.clip(src_ha - inside, 0.0, None)
    codes = kel_m[S.KODE].astype(str).to_numpy()
    if area is None:
        w, out_ha = piece_ha, outside
    else:
        stated = rows.stated.to_numpy()
        share = np.divide(piece_ha, src_ha[si], out=np.zeros_like(piece_ha), where=src_ha[si] > 0)
        w = share * stated[si]
        out_ha = np.where(src_ha > 0, outside / np.where(src_ha > 0, src_ha, 1), 1.0) * stated
    ha = pd.Series(w, index=codes[ki]).groupby(level=0, sort=False).sum()
    count = pd.Series(si, index=codes[ki]).groupby(level=0, sort=False).nunique()
    lost = out_ha > NOISE_HA
    for r, v in zip(rows.numbers[lost], out_ha[lost], strict=True):
        problems.add(
            rows.source,
            rows.layer,
            int(r),
            None,
            "di luar batas kelurahan",
            f"{v:.4f} ha dari baris ini di luar semua kelurahan",
            dipakai=True,
        )
    if lost.any():
        ha.loc[OUTSIDE] = float(out_ha[lost].sum())
        count.loc[OUTSIDE] = int(lost.sum())
    total = float(src_ha.sum() if area is None else rows.stated.sum())
    g = gpd.GeoDataFrame({S.KODE: codes[ki]}, geometry=pieces, crs=crs)
    ground = (
        g.dissolve(by=S.KODE, as_index=False).to_crs(4326)
        if len(g)
        else gpd.GeoDataFrame({S.KODE: []}, geometry=[], crs=4326)
    )
    return (ha if len(ha) else pd.Series(dtype=float)), count, total, ground


def _by_name(
    frame: pd.DataFrame,
    kelurahan: gpd.GeoDataFrame,
    rows: _Rows,
    *,
    columns: dict[str, str | None],
    threshold: float,
    problems: ProblemLog,
) -> tuple[pd.Series, pd.Series, float, gpd.GeoDataFrame | None]:
    """Rows matched to kelurahan by code or name: (ha, rows, total, ground) per kelurahan."""
    m = match_table(
        pd.DataFrame(frame.drop(columns="geometry", errors="ignore")),
        kelurahan,
        code=columns["code"],
        name=columns["kelurahan"],
        kecamatan=columns["kecamatan"],
        kabkota=columns["kabkota"],
        source=rows.source,
        layer=rows.layer,
        threshold=threshold,
    )
    kode = m[S.KODE].astype("string")
    nomatch = kode.isna().to_numpy()
    named = columns["kelurahan"] or columns["code"]
    for r, why, note in zip(
        rows.numbers[nomatch], m["metode"][nomatch], m["catatan"][nomatch], strict=True
    ):
        problems.add(
            rows.source,
            rows.layer,
            int(r),
            named,
            f"kelurahan {why}",
            f"{note}; luasnya dihitung di baris '{OUTSIDE}'",
            dipakai=True,
        )
    key = kode.fillna(OUTSIDE).to_numpy()
    ha = pd.Series(rows.stated.to_numpy(), index=key).groupby(level=0, sort=False).sum()
    count = pd.Series(1, index=key).groupby(level=0, sort=False).sum()
    ground = None
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any():
        crs = _area_crs(kelurahan, frame)
        g = gpd.GeoDataFrame({S.KODE: key}, geometry=frame.geometry.values, crs=frame.crs)
        g = g[g[S.KODE] != OUTSIDE]
        if len(g):
            ground = g.to_crs(crs).dissolve(by=S.KODE, as_index=False).to_crs(4326)
    return ha, count, float(rows.stated.sum()), ground


def kelurahan_hectares(
    frame: pd.DataFrame,
    kelurahan: gpd.GeoDataFrame,
    *,
    name: str = "sumber",
    area: str | None = None,
    code: str | None = None,
    kel_name: str | None = None,
    kecamatan: str | None = None,
    kabkota: str | None = None,
    source: str = "<sumber>",
    layer: str | None = None,
    problems: ProblemLog | None = None,
    threshold: float = 88.0,
) -> SourceHectares:
    """Reduce one slum source to hectares per kelurahan.

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        A table with a hectare column (``area``) and kelurahan columns, or slum polygons.
    kelurahan : GeoDataFrame
        Boundaries with the standard columns ``kode, kelurahan, kecamatan, kabkota``.
    name : str
        Short name of the source (``"SK"``).
    area : str, optional
        Column of stated hectares (Indonesian number formats are fine). Required for a
        table. For polygons: ``None`` measures the polygons (ellipsoidal ha).
    code, kel_name, kecamatan, kabkota : str, optional
        Columns naming the kelurahan (see :func:`~kotaku_map.matching.match_table`). For
        polygons with ``area``, given names attribute the stated ha by name; without them
        the stated ha of a polygon is split by its geometric share per kelurahan.
    source : str
        The source's file, for messages and the problems report.
    layer : str, optional
        Its layer or sheet.
    problems : ProblemLog, optional
        Rows that reach no kelurahan are recorded here.
    threshold : float
        Fuzzy-name threshold passed to ``match_table``.

    Returns
    -------
    SourceHectares

    Examples
    --------
    >>> from shapely import box
    >>> kel = gpd.GeoDataFrame({"kode": ["33.75.01.1001", "33.75.01.1002"], "kelurahan": ["A", "B"],
    ...     "kecamatan": ["K", "K"], "kabkota": ["Kota X", "Kota X"]},
    ...     geometry=[box(110.0, -7.0, 110.01, -6.99), box(110.01, -7.0, 110.02, -6.99)],
    ...     crs=4326)
    >>> sk = pd.DataFrame({"kel": ["A", "B", "Z"], "luas": ["10,5", "2", "1"]})
    >>> h = kelurahan_hectares(sk, kel, name="SK", area="luas", kel_name="kel")
    >>> h.ha.round(2).to_dict()
    {'33.75.01.1001': 10.5, '33.75.01.1002': 2.0, '(di luar batas / tidak cocok)': 1.0}
    >>> poly = gpd.GeoDataFrame(geometry=[box(110.005, -7.0, 110.015, -6.995)], crs=4326)
    >>> h = kelurahan_hectares(poly, kel, name="SIM")
    >>> h.ha.round(1).to_dict()
    {'33.75.01.1001': 30.5, '33.75.01.1002': 30.5}
    """
    problems = problems if problems is not None else ProblemLog()
    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any()
    if not is_geo and area is None:
        raise InputError(f"{source}: a table source needs `area` (its hectare column)")
    if area is not None and area not in frame.columns:
        raise InputError(f"{source}: no column {area!r} (columns: {list(frame.columns)})")
    rows = _stated_hectares(frame, area, source=source, layer=layer, problems=problems)
    by_name = code is not None or kel_name is not None
    if is_geo and (area is None or not by_name):
        ha, count, total, ground = _by_geometry(frame, kelurahan, area, rows, problems)
    else:
        columns = {"code": code, "kelurahan": kel_name, "kecamatan": kecamatan, "kabkota": kabkota}
        ha, count, total, ground = _by_name(
            frame, kelurahan, rows, columns=columns, threshold=threshold, problems=problems
        )
    return SourceHectares(
        name=name, ha=ha.astype(float), rows=count.astype(int), ground=ground, total_ha=total
    )


def _status(a: float, b: float, na: str, nb: str, flagged: bool) -> str:
    if a <= 0 and b > 0:
        return f"hanya di {nb}"
    if b <= 0 and a > 0:
        return f"hanya di {na}"
    if not flagged:
        return SYNC_OK
    return f"{nb} > {na}" if b > a else f"{nb} < {na}"


def _side_by_side(
    sa: SourceHectares, sb: SourceHectares, kelurahan: gpd.GeoDataFrame
) -> pd.DataFrame:
    """One row per kelurahan in either source (boundary order, then the rest): ha, rows."""
    na, nb = sa.name, sb.name
    ca, cb = f"luas_{_slug(na)}_ha", f"luas_{_slug(nb)}_ha"
    keys = list(dict.fromkeys(list(sa.ha.index) + list(sb.ha.index)))
    info = pd.DataFrame(kelurahan.drop(columns="geometry")).copy()
    info[S.KODE] = info[S.KODE].astype(str)
    info = info.drop_duplicates(S.KODE).set_index(S.KODE)
    order = [k for k in info.index if k in keys] + [k for k in keys if k not in info.index]
    t = pd.DataFrame({S.KODE: order})
    for col in (S.KELURAHAN, S.KECAMATAN, S.KABKOTA):
        t[col] = [
            info[col].get(k)
            if col in info.columns and k in info.index
            else (OUTSIDE if col == S.KELURAHAN else None)
            for k in order
        ]
    t[ca] = sa.ha.reindex(order).fillna(0.0).to_numpy()
    t[cb] = sb.ha.reindex(order).fillna(0.0).to_numpy()
    t["selisih_ha"] = t[cb] - t[ca]
    t["selisih_pct"] = np.where(t[ca] > 0, 100.0 * t["selisih_ha"] / t[ca].where(t[ca] > 0), np.nan)
    t[f"baris_{_slug(na)}"] = sa.rows.reindex(order).fillna(0).astype(int).to_numpy()
    t[f"baris_{_slug(nb)}"] = sb.rows.reindex(order).fillna(0).astype(int).to_numpy()
    return t


def _ground_only(
    sa: SourceHectares, sb: SourceHectares, order: list, crs: CRS
) -> tuple[pd.Series, pd.Series, list[dict], list]:
    """Where both are polygons: per kelurahan, the ground in one source only (ha, pieces)."""
    na, nb = sa.name, sb.name
    only_a = pd.Series(np.nan, index=order)
    only_b = pd.Series(np.nan, index=order)
    rows: list[dict] = []
    geoms: list = []
    assert sa.ground is not None and sb.ground is not None
    ga = sa.ground.assign(kode=sa.ground[S.KODE].astype(str)).set_index(S.KODE).to_crs(crs)
    gb = sb.ground.assign(kode=sb.ground[S.KODE].astype(str)).set_index(S.KODE).to_crs(crs)
    empty = shapely.Polygon()
    for k in order:
        pa = ga.geometry.get(k) if k in ga.index else None
        pb = gb.geometry.get(k) if k in gb.index else None
        pa = empty if pa is None else pa
        pb = empty if pb is None else pb
        for label, g in ((na, shapely.difference(pa, pb)), (nb, shapely.difference(pb, pa))):
            h = float(area_ha(g))
            (only_a if label == na else only_b)[k] = h
            if h > NOISE_HA:
                rows.append(
                    {S.KODE: k, "sumber": f"hanya {label}", "jenis": "poligon", S.LUAS_HA: h}
                )
                geoms.append(g)
    only_a, only_b = only_a.fillna(0.0), only_b.fillna(0.0)
    if OUTSIDE in order:
        only_a[OUTSIDE] = only_b[OUTSIDE] = np.nan
    return only_a, only_b, rows, geoms


def _flag(
    t: pd.DataFrame, na: str, nb: str, both_poly: bool, tolerance_pct: float, tolerance_ha: float
) -> None:
    """Set ``status`` and ``tidak_sinkron`` of every row of ``t`` (in place)."""
    ca, cb = f"luas_{_slug(na)}_ha", f"luas_{_slug(nb)}_ha"
    big = t["selisih_ha"].abs() > tolerance_ha
    rel = (t["selisih_pct"].abs() > tolerance_pct) | t["selisih_pct"].isna()
    flagged = big & rel
    if both_poly:  # same hectares on different ground is not in sync either
        moved = t[f"hanya_{_slug(na)}_ha"].fillna(0) + t[f"hanya_{_slug(nb)}_ha"].fillna(0)
        limit = np.maximum(tolerance_ha, tolerance_pct / 100.0 * np.maximum(t[ca], t[cb]))
        flagged |= moved > limit
    t["status"] = [_status(x, y, na, nb, f) for x, y, f in zip(t[ca], t[cb], flagged, strict=True)]
    t["tidak_sinkron"] = flagged.to_numpy() | t["status"].str.startswith("hanya").to_numpy()
    fix = t["status"].eq(SYNC_OK) & t["tidak_sinkron"]
    t.loc[fix, "status"] = [
        f"{nb} > {na}" if y >= x else f"{nb} < {na}" for x, y in t.loc[fix, [ca, cb]].to_numpy()
    ]
    t.loc[t[S.KODE] == OUTSIDE, S.KODE] = None
    t[S.KODE] = t[S.KODE].astype("string")


def _kelurahan_only(
    t: pd.DataFrame, sa: SourceHectares, sb: SourceHectares, kelurahan: gpd.GeoDataFrame
) -> tuple[list[dict], list]:
    """Where a table is on either side: kelurahan present in only one source, whole."""
    ca, cb = f"luas_{_slug(sa.name)}_ha", f"luas_{_slug(sb.name)}_ha"
    kel_geom = kelurahan.assign(kode=kelurahan[S.KODE].astype(str)).set_index(S.KODE)
    rows: list[dict] = []
    geoms: list = []
    for x, y, k in zip(t[ca], t[cb], t[S.KODE], strict=True):
        if pd.isna(k) or k not in kel_geom.index or (x > 0) == (y > 0):
            continue
        side, s_obj, h = (sa.name, sa, x) if x > 0 else (sb.name, sb, y)
        g = None
        if s_obj.ground is not None:
            sel = s_obj.ground[s_obj.ground[S.KODE].astype(str) == k]
            g = shapely.union_all(sel.geometry.values) if len(sel) else None
        jenis = "poligon" if g is not None else "kelurahan"
        g = g if g is not None else kel_geom.geometry[k]
        rows.append({S.KODE: k, "sumber": f"hanya {side}", "jenis": jenis, S.LUAS_HA: float(h)})
        geoms.append(g)
    return rows, geoms


def reconcile(
    a: SourceHectares | gpd.GeoDataFrame,
    b: SourceHectares | gpd.GeoDataFrame,
    kelurahan: gpd.GeoDataFrame,
    *,
    names: tuple[str, str] = ("SK", "SIM"),
    tolerance_pct: float = 10.0,
    tolerance_ha: float = 0.05,
    problems: ProblemLog | None = None,
) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """Compare two slum sources per kelurahan.

    Parameters
    ----------
    a, b : SourceHectares or GeoDataFrame
        The two sources, from :func:`kelurahan_hectares`; polygons given directly are
        measured geometrically. `a` is the reference (e.g. the SK Kumuh).
    kelurahan : GeoDataFrame
        Boundaries with the standard columns (``kode, kelurahan, kecamatan, kabkota``).
    names : (str, str)
        Short names used when `a`/`b` are GeoDataFrames (else their ``name``).
    tolerance_pct : float, default 10
        A kelurahan is ``tidak_sinkron`` when ``|b - a|`` exceeds this % of `a` ...
    tolerance_ha : float, default 0.05
        ... and also exceeds this many hectares (tiny kelurahan do not flag on noise).
        Where both are polygons, a kelurahan also flags when the ground in only one of
        them (both sides added) exceeds both limits, taken of the larger source.
    problems : ProblemLog, optional

    Returns
    -------
    table : DataFrame
        One row per kelurahan present in either source (plus the row ``OUTSIDE`` when
        hectares reached no kelurahan): ``kode, kelurahan, kecamatan, kabkota,
        luas_<a>_ha, luas_<b>_ha, selisih_ha`` (b - a), ``selisih_pct`` (of a; NaN when a
        is 0), ``baris_<a>, baris_<b>`` (source rows), ``hanya_<a>_ha, hanya_<b>_ha``
        (ground in one and not the other; NaN unless both are polygons), ``status``
        (``sinkron``, ``hanya di <x>``, ``<b> > <a>``, ``<b> < <a>``), ``tidak_sinkron``.
    differences : GeoDataFrame
        EPSG:4326, one row per kelurahan and side: ``kode, kelurahan, kecamatan, sumber``
        (``hanya <x>``), ``jenis`` (``poligon``: the ground itself; ``kelurahan``: the
        kelurahan polygon, where the other source is a table), ``luas_ha``, ``status``.

    Examples
    --------
    >>> from shapely import box
    >>> kel = gpd.GeoDataFrame({"kode": ["33.75.01.1001", "33.75.01.1002"], "kelurahan": ["A", "B"],
    ...     "kecamatan": ["K", "K"], "kabkota": ["Kota X", "Kota X"]},
    ...     geometry=[box(110.0, -7.0, 110.01, -6.99), box(110.01, -7.0, 110.02, -6.99)],
    ...     crs=4326)
    >>> sk = gpd.GeoDataFrame(geometry=[box(110.0, -7.0, 110.005, -6.99)], crs=4326)
    >>> sim = gpd.GeoDataFrame(geometry=[box(110.0, -7.0, 110.005, -6.995),
    ...                                  box(110.012, -7.0, 110.015, -6.995)], crs=4326)
    >>> t, diff = reconcile(sk, sim, kel)
    >>> t[["kelurahan", "luas_sk_ha", "luas_sim_ha", "status"]].round(1).values.tolist()
    [['A', 61.1, 30.5, 'SIM < SK'], ['B', 0.0, 18.3, 'hanya di SIM']]
    >>> sorted(diff["sumber"]), round(float(diff["luas_ha"].sum()), 1)
    (['hanya SIM', 'hanya SK'], 48.9)
    """
    problems = problems if problems is not None else ProblemLog()
    sa, sb = (
        s
        if isinstance(s, SourceHectares)
        else kelurahan_hectares(s, kelurahan, name=n, problems=problems)
        for s, n in zip((a, b), names, strict=True)
    )
    na, nb = sa.name, sb.name
    t = _side_by_side(sa, sb, kelurahan)
    order = list(t[S.KODE])
    both_poly = sa.ground is not None and sb.ground is not None
    crs = _area_crs(kelurahan)
    diff_rows: list[dict] = []
    diff_geoms: list = []
    only_a = pd.Series(np.nan, index=order)
    only_b = pd.Series(np.nan, index=order)
    if both_poly:
        only_a, only_b, diff_rows, diff_geoms = _ground_only(sa, sb, order, crs)
    t[f"hanya_{_slug(na)}_ha"] = only_a.reindex(order).to_numpy()
    t[f"hanya_{_slug(nb)}_ha"] = only_b.reindex(order).to_numpy()
    _flag(t, na, nb, both_poly, tolerance_pct, tolerance_ha)
    if both_poly:
        diff = (
            gpd.GeoDataFrame(diff_rows, geometry=diff_geoms, crs=crs).to_crs(4326)
            if diff_rows
            else None
        )
    else:
        diff_rows, diff_geoms = _kelurahan_only(t, sa, sb, kelurahan)
        diff = gpd.GeoDataFrame(diff_rows, geometry=diff_geoms, crs=4326) if diff_rows else None
    cols = [S.KODE, S.KELURAHAN, S.KECAMATAN, "sumber", "jenis", S.LUAS_HA, "status"]
    if diff is None:
        return t, gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=4326)
    look = t.set_index(S.KODE)
    for col in (S.KELURAHAN, S.KECAMATAN, "status"):
        diff[col] = [look[col].get(k) for k in diff[S.KODE]]
    return t, diff[cols + ["geometry"]].reset_index(drop=True)


def reconcile_by(table: pd.DataFrame, by: str | Sequence[str] = S.KECAMATAN) -> pd.DataFrame:
    """Aggregate a :func:`reconcile` table (per kecamatan, say), with a total row.

    Parameters
    ----------
    table : DataFrame
        From :func:`reconcile`.
    by : str or sequence of str
        Grouping columns (default ``kecamatan``).

    Returns
    -------
    DataFrame
        One row per group and a last row ``Jumlah``: the ``luas_*_ha`` and ``hanya_*_ha``
        sums, ``jumlah_kelurahan``, ``kelurahan_tidak_sinkron``, ``selisih_ha``,
        ``selisih_pct``.

    Examples
    --------
    >>> t = pd.DataFrame({"kecamatan": ["K", "K", "L"], "luas_sk_ha": [1.0, 2.0, 4.0],
    ...                   "luas_sim_ha": [1.0, 3.0, 0.0], "tidak_sinkron": [False, True, True]})
    >>> reconcile_by(t)[["kecamatan", "luas_sk_ha", "luas_sim_ha", "selisih_ha"]].values.tolist()
    [['K', 3.0, 4.0, 1.0], ['L', 4.0, 0.0, -4.0], ['Jumlah', 7.0, 4.0, -3.0]]
    """
    by = [by] if isinstance(by, str) else list(by)
    ha_cols = [c for c in table.columns if c.startswith(("luas_", "hanya_")) and c.endswith("_ha")]
    lu = [c for c in ha_cols if c.startswith("luas_")]
    g = table.assign(**{c: table[c].fillna(OUTSIDE) for c in by}).groupby(by, sort=False)
    out = g[ha_cols].sum(min_count=1).reset_index()
    out["jumlah_kelurahan"] = g.size().to_numpy()
    if "tidak_sinkron" in table:
        out["kelurahan_tidak_sinkron"] = g["tidak_sinkron"].sum().astype(int).to_numpy()
    total = {c: "Jumlah" for c in by}
    total.update({c: out[c].sum(min_count=1) for c in out.columns if c not in by})
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    if len(lu) >= 2:
        a, b = lu[0], lu[1]
        out["selisih_ha"] = out[b] - out[a]
        out["selisih_pct"] = 100.0 * out["selisih_ha"] / out[a].where(out[a] > 0)
    return out
