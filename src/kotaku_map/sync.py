"""Source reconciliation (*sinkronisasi data*): two slum sources compared per kelurahan.

Two inputs that both describe slum area (the mayor's SK Kumuh table, SIM KOTAKU RT
polygons, a program's delineation, ...) rarely agree. :func:`reconcile` puts them side by
side per kelurahan: hectares in each, the difference in ha and in %, and (where both are
polygons) the ground that lies in one and not in the other; kelurahan beyond a tolerance
are flagged ``tidak_sinkron``.

Each source is first reduced to hectares per kelurahan by :func:`kelurahan_hectares`:

* a **table** (kelurahan + stated hectares) is matched to the boundaries with
  :func:`kotaku_map.matching.match_table`;
* **polygons** are measured in a local equal-area CRS (:func:`kotaku_map.crs.local_equal_area`)
  and attributed to the kelurahan they lie in (each square metre to exactly one kelurahan:
  overlapping upstream boundary polygons are made disjoint in code order, as the analysis does);
* **polygons with a stated area column** (``luas_awal`` of SIM KOTAKU) either by their named
  kelurahan (``name=...``) or split by the polygon's geometric share per kelurahan.

Hectares that reach no kelurahan (unmatched rows, ground outside every boundary) are kept
in one row ``kode = <NA>``, ``kelurahan = "(di luar batas / tidak cocok)"``, so a column
always sums to the source's total, and each such row is reported in the
:class:`~kotaku_map.problems.ProblemLog`.

The Pekalongan SK Kumuh workbook (``kawasan``, ``kumuhKawasan``, ``investasi`` sheets) is
read by :func:`read_sk_workbook`; see ``docs/sinkronisasi.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kotaku_map import schema as S
from kotaku_map.crs import area_ha, local_equal_area
from kotaku_map.errors import InputError
from kotaku_map.matching import match_table
from kotaku_map.numbers import parse_numbers
from kotaku_map.partition import disjoint_parts
from kotaku_map.problems import ProblemLog

__all__ = [
    "OUTSIDE",
    "SK_SHEETS",
    "CitySync",
    "SKWorkbook",
    "SourceHectares",
    "kelurahan_hectares",
    "read_sk_workbook",
    "reconcile",
    "reconcile_by",
    "sync_layer",
    "synchronise",
    "write_reconciliation",
]

#: label of the row that holds hectares attributed to no kelurahan
OUTSIDE = "(di luar batas / tidak cocok)"
#: status values of a reconciliation row
SYNC_OK = "sinkron"
LAYER_SYNC = "data_tidak_sinkron"
LAYER_SYNC_KELURAHAN = "sinkronisasi_kelurahan"


def _slug(name: str) -> str:
    """Column-safe slug of a source name (``"sumber"`` if nothing is left)."""
    return S.slug(name) or "sumber"


def _partition(kel_m: gpd.GeoDataFrame) -> np.ndarray:
    """Kelurahan polygons made disjoint: each one minus those whose code sorts before it.

    The analysis' own partition (:func:`kotaku_map.partition.disjoint_parts`).
    """
    return disjoint_parts(kel_m.geometry.values, kel_m[S.KODE].astype(str).to_numpy())


def _laea_for(*frames: gpd.GeoDataFrame):
    for f in frames:
        if f is not None and len(f) and not f.geometry.is_empty.all():
            x0, y0, x1, y1 = f.to_crs(4326).total_bounds
            return local_equal_area((x0 + x1) / 2, (y0 + y1) / 2)
    return local_equal_area(110.0, -7.0)


@dataclass(frozen=True)
class SourceHectares:
    """One slum source reduced to hectares per kelurahan.

    Attributes
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
    """

    name: str
    ha: pd.Series
    rows: pd.Series
    ground: gpd.GeoDataFrame | None = None
    total_ha: float = 0.0
    meta: dict = field(default_factory=dict)


def kelurahan_hectares(
    source: pd.DataFrame,
    kelurahan: gpd.GeoDataFrame,
    *,
    name: str = "sumber",
    area: str | None = None,
    code: str | None = None,
    kel_name: str | None = None,
    kecamatan: str | None = None,
    kabkota: str | None = None,
    source_file: str = "<sumber>",
    layer: str | None = None,
    problems: ProblemLog | None = None,
    threshold: float = 88.0,
) -> SourceHectares:
    """Reduce one slum source to hectares per kelurahan.

    Parameters
    ----------
    source : DataFrame or GeoDataFrame
        A table with a hectare column (`area`) and kelurahan columns, or slum polygons.
    kelurahan : GeoDataFrame
        Boundaries with the standard columns ``kode, kelurahan, kecamatan, kabkota``.
    name : str
        Short name of the source (``"SK"``).
    area : str, optional
        Column of stated hectares (Indonesian number formats are fine). Required for a
        table. For polygons: ``None`` measures the polygons (ellipsoidal ha).
    code, kel_name, kecamatan, kabkota : str, optional
        Columns naming the kelurahan (see :func:`~kotaku_map.matching.match_table`). For
        polygons with `area`, given names attribute the stated ha by name; without them
        the stated ha of a polygon is split by its geometric share per kelurahan.
    source_file, layer : str
        For messages and the problems report.
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
    is_geo = isinstance(source, gpd.GeoDataFrame) and source.geometry.notna().any()
    if not is_geo and area is None:
        raise InputError(f"{source_file}: a table source needs `area` (its hectare column)")
    if area is not None and area not in source.columns:
        raise InputError(f"{source_file}: no column {area!r} (columns: {list(source.columns)})")
    rows_1 = (
        source[S.SUMBER_BARIS].to_numpy()
        if S.SUMBER_BARIS in source.columns
        else np.arange(1, len(source) + 1)
    )
    by_name = code is not None or kel_name is not None
    stated = pd.Series(0.0, index=source.index)
    if area is not None:
        stated = parse_numbers(source[area], source=source_file, column=area).astype(float)
        bad = stated.isna().to_numpy()
        for r in rows_1[bad]:
            problems.add(
                source_file,
                layer,
                int(r),
                area,
                "luas kosong",
                "baris tanpa luas (ha): dihitung 0 ha",
            )
        stated = stated.fillna(0.0)

    ground = None
    if is_geo and (area is None or not by_name):
        crs = _laea_for(kelurahan, source)
        kel_m = kelurahan.to_crs(crs)
        parts = _partition(kel_m)
        src_m = source.to_crs(crs)
        geoms = np.asarray(src_m.geometry.values, dtype=object)
        geoms = shapely.make_valid(geoms)
        tree = shapely.STRtree(parts)
        si, ki = tree.query(geoms, predicate="intersects")
        pieces = shapely.intersection(geoms[si], parts[ki])
        piece_ha = area_ha(pieces)
        keep = piece_ha > 0
        si, ki, pieces, piece_ha = si[keep], ki[keep], pieces[keep], piece_ha[keep]
        src_ha = area_ha(geoms)
        inside = np.bincount(si, weights=piece_ha, minlength=len(geoms))
        outside = np.clip(src_ha - inside, 0.0, None)
        codes = kel_m[S.KODE].astype(str).to_numpy()
        if area is None:
            w = piece_ha
            out_ha = outside
        else:
            share = np.divide(
                piece_ha, src_ha[si], out=np.zeros_like(piece_ha), where=src_ha[si] > 0
            )
            w = share * stated.to_numpy()[si]
            out_ha = (
                np.where(src_ha > 0, outside / np.where(src_ha > 0, src_ha, 1), 1.0)
                * stated.to_numpy()
            )
        ha = pd.Series(w, index=codes[ki]).groupby(level=0, sort=False).sum()
        rows = pd.Series(si, index=codes[ki]).groupby(level=0, sort=False).nunique()
        lost = out_ha > 1e-4  # 1 m²: below that, floating noise of the overlay
        for r, v in zip(rows_1[lost], out_ha[lost], strict=True):
            problems.add(
                source_file,
                layer,
                int(r),
                None,
                "di luar batas kelurahan",
                f"{v:.4f} ha dari baris ini di luar semua kelurahan",
                dipakai=True,
            )
        if lost.any():
            ha.loc[OUTSIDE] = float(out_ha[lost].sum())
            rows.loc[OUTSIDE] = int(lost.sum())
        total = float(src_ha.sum() if area is None else stated.sum())
        g = gpd.GeoDataFrame({S.KODE: codes[ki]}, geometry=pieces, crs=crs)
        ground = (
            g.dissolve(by=S.KODE, as_index=False).to_crs(4326)
            if len(g)
            else gpd.GeoDataFrame({S.KODE: []}, geometry=[], crs=4326)
        )
        if not len(ha):
            ha = pd.Series(dtype=float)
    else:
        m = match_table(
            pd.DataFrame(source.drop(columns="geometry", errors="ignore")),
            kelurahan,
            code=code,
            name=kel_name,
            kecamatan=kecamatan,
            kabkota=kabkota,
            source=source_file,
            layer=layer,
            threshold=threshold,
        )
        kode = m[S.KODE].astype("string")
        nomatch = kode.isna().to_numpy()
        for r, why, note in zip(
            rows_1[nomatch], m["metode"][nomatch], m["catatan"][nomatch], strict=True
        ):
            problems.add(
                source_file,
                layer,
                int(r),
                kel_name or code,
                f"kelurahan {why}",
                f"{note}; luasnya dihitung di baris '{OUTSIDE}'",
                dipakai=True,
            )
        key = kode.fillna(OUTSIDE).to_numpy()
        ha = pd.Series(stated.to_numpy(), index=key).groupby(level=0, sort=False).sum()
        rows = pd.Series(1, index=key).groupby(level=0, sort=False).sum()
        total = float(stated.sum())
        if is_geo:
            crs = _laea_for(kelurahan, source)
            g = gpd.GeoDataFrame({S.KODE: key}, geometry=source.geometry.values, crs=source.crs)
            g = g[g[S.KODE] != OUTSIDE]
            ground = (
                g.to_crs(crs).dissolve(by=S.KODE, as_index=False).to_crs(4326) if len(g) else None
            )
    return SourceHectares(
        name=name, ha=ha.astype(float), rows=rows.astype(int), ground=ground, total_ha=total
    )


def _status(a: float, b: float, na: str, nb: str, flagged: bool) -> str:
    if a <= 0 and b > 0:
        return f"hanya di {nb}"
    if b <= 0 and a > 0:
        return f"hanya di {na}"
    if not flagged:
        return SYNC_OK
    return f"{nb} > {na}" if b > a else f"{nb} < {na}"


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
    src = []
    for s, n in zip((a, b), names, strict=True):
        src.append(
            s
            if isinstance(s, SourceHectares)
            else kelurahan_hectares(s, kelurahan, name=n, problems=problems)
        )
    sa, sb = src
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

    ground_a, ground_b = sa.ground, sb.ground
    both_poly = ground_a is not None and ground_b is not None
    only_a = pd.Series(np.nan, index=order)
    only_b = pd.Series(np.nan, index=order)
    diff_rows: list[dict] = []
    diff_geoms: list = []
    crs = _laea_for(kelurahan)
    if ground_a is not None and ground_b is not None:
        ga = ground_a.assign(kode=ground_a[S.KODE].astype(str)).set_index(S.KODE).to_crs(crs)
        gb = ground_b.assign(kode=ground_b[S.KODE].astype(str)).set_index(S.KODE).to_crs(crs)
        for k in order:
            pa = ga.geometry.get(k) if k in ga.index else None
            pb = gb.geometry.get(k) if k in gb.index else None
            empty = shapely.Polygon()
            pa = empty if pa is None else pa
            pb = empty if pb is None else pb
            for label, g in ((na, shapely.difference(pa, pb)), (nb, shapely.difference(pb, pa))):
                h = float(area_ha(g))
                (only_a if label == na else only_b)[k] = h
                if h > 1e-4:  # 1 m²: below that, floating noise of the overlay
                    diff_rows.append(
                        {S.KODE: k, "sumber": f"hanya {label}", "jenis": "poligon", S.LUAS_HA: h}
                    )
                    diff_geoms.append(g)
        only_a, only_b = only_a.fillna(0.0), only_b.fillna(0.0)
        if OUTSIDE in order:
            only_a[OUTSIDE] = only_b[OUTSIDE] = np.nan
    t[f"hanya_{_slug(na)}_ha"] = only_a.reindex(order).to_numpy()
    t[f"hanya_{_slug(nb)}_ha"] = only_b.reindex(order).to_numpy()

    big = t["selisih_ha"].abs() > tolerance_ha
    rel = (t["selisih_pct"].abs() > tolerance_pct) | t["selisih_pct"].isna()
    flagged = big & rel
    if both_poly:  # same hectares on different ground is not in sync either
        moved = t[f"hanya_{_slug(na)}_ha"].fillna(0) + t[f"hanya_{_slug(nb)}_ha"].fillna(0)
        limit = np.maximum(tolerance_ha, tolerance_pct / 100.0 * np.maximum(t[ca], t[cb]))
        flagged |= moved > limit
    t["status"] = [_status(x, y, na, nb, f) for x, y, f in zip(t[ca], t[cb], flagged, strict=True)]
    t["tidak_sinkron"] = flagged.to_numpy() | t["status"].str.startswith("hanya").to_numpy()
    t.loc[t["status"].eq(SYNC_OK) & t["tidak_sinkron"], "status"] = [
        f"{nb} > {na}" if y >= x else f"{nb} < {na}"
        for x, y in t.loc[t["status"].eq(SYNC_OK) & t["tidak_sinkron"], [ca, cb]].to_numpy()
    ]
    t.loc[t[S.KODE] == OUTSIDE, S.KODE] = None
    t[S.KODE] = t[S.KODE].astype("string")

    if not both_poly:  # a table on either side: whole kelurahan present in only one source
        kel_geom = kelurahan.assign(kode=kelurahan[S.KODE].astype(str)).set_index(S.KODE)
        for x, y, k in zip(t[ca], t[cb], t[S.KODE], strict=True):
            if pd.isna(k) or k not in kel_geom.index or (x > 0) == (y > 0):
                continue
            side, s_obj, h = (na, sa, x) if x > 0 else (nb, sb, y)
            g = None
            if s_obj.ground is not None:
                sel = s_obj.ground[s_obj.ground[S.KODE].astype(str) == k]
                g = shapely.union_all(sel.geometry.values) if len(sel) else None
            jenis = "poligon" if g is not None else "kelurahan"
            g = g if g is not None else kel_geom.geometry[k]
            diff_rows.append(
                {S.KODE: k, "sumber": f"hanya {side}", "jenis": jenis, S.LUAS_HA: float(h)}
            )
            diff_geoms.append(g)
        diff = gpd.GeoDataFrame(diff_rows, geometry=diff_geoms, crs=4326) if diff_rows else None
    else:
        diff = (
            gpd.GeoDataFrame(diff_rows, geometry=diff_geoms, crs=crs).to_crs(4326)
            if diff_rows
            else None
        )
    cols = [S.KODE, S.KELURAHAN, S.KECAMATAN, "sumber", "jenis", S.LUAS_HA, "status"]
    if diff is None:
        return t, gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=4326)
    look = t.set_index(S.KODE)
    for col in (S.KELURAHAN, S.KECAMATAN, "status"):
        diff[col] = [look[col].get(k) for k in diff[S.KODE]]
    return t, diff[cols + ["geometry"]].reset_index(drop=True)


def reconcile_by(
    table: pd.DataFrame, by: str | Sequence[str] = S.KECAMATAN, *, tolerance_pct: float = 10.0
) -> pd.DataFrame:
    """Aggregate a :func:`reconcile` table (per kecamatan, say), with a total row.

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


# --------------------------------------------------------------------------- SK workbook

#: the sheets of the SK Kumuh workbook this module reads
SK_SHEETS = ("kawasan", "kumuhKawasan", "investasi", "rtrw")


@dataclass(frozen=True)
class SKWorkbook:
    """The SK Kumuh workbook, cleaned.

    Attributes
    ----------
    kawasan : DataFrame
        ``id, kawasan, wilayah, luasVerifikasi, baris_sumber`` (+ the other columns).
    skor : DataFrame
        Sheet ``kumuhKawasan``: ``kawasan`` (id), ``tahun``, ``totalNilai``,
        ``tingkatKekumuhan``, ``baris_sumber`` and ``diperbaiki`` (rows repaired).
    investasi : DataFrame
        Sheet ``investasi`` as read, plus ``baris_sumber``.
    rtrw : DataFrame
        Sheet ``rtrw``.
    sk : str
        The decree (sheet ``kota``), e.g. ``'SK Nomor 430/1131 Tahun 2020'``.
    """

    kawasan: pd.DataFrame
    skor: pd.DataFrame
    investasi: pd.DataFrame
    rtrw: pd.DataFrame
    sk: str = ""
    path: str = ""


def _read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    try:
        df = pd.read_excel(path, sheet_name=sheet)
    except ValueError as exc:
        raise InputError(f"{path}: sheet {sheet!r} not found ({exc})") from None
    df = df.loc[:, [not str(c).startswith("Unnamed:") for c in df.columns]]
    df.columns = [str(c).strip() for c in df.columns]
    df[S.SUMBER_BARIS] = np.arange(2, len(df) + 2)  # 1-based row in the sheet (header = 1)
    return df


def _repair_shifted_scores(
    raw: pd.DataFrame, kawasan_ids: set, *, path: str, problems: ProblemLog
) -> pd.DataFrame:
    """Repair ``kumuhKawasan`` rows whose ``kawasan`` cell is missing (values shifted left).

    Such a row has the year in ``kawasan`` and the level code in ``totalNilai``. Shifted
    right, its values are whole again; its kawasan id is inferred only when exactly one
    kawasan of the sheet ``kawasan`` has no scores and the repaired rows have distinct
    years. Otherwise the rows are reported and not used.
    """
    df = raw.copy()
    df["diperbaiki"] = False
    data_cols = [c for c in df.columns if c not in (S.SUMBER_BARIS, "diperbaiki", "id")]
    df[data_cols] = df[data_cols].astype(object)
    level_like = df["totalNilai"].map(lambda v: isinstance(v, str) and not v.strip().isdigit())
    year_like = pd.to_numeric(df["kawasan"], errors="coerce").between(1990, 2100)
    shifted = (level_like & year_like).to_numpy()
    if not shifted.any():
        return df
    vals = df.loc[shifted, data_cols].to_numpy(dtype=object)
    fixed = np.empty_like(vals)
    fixed[:, 0] = None
    fixed[:, 1:] = vals[:, :-1]
    years = pd.to_numeric(pd.Series(fixed[:, 1]), errors="coerce")
    have = set(pd.to_numeric(df.loc[~shifted, "kawasan"], errors="coerce").dropna().astype(int))
    missing = sorted(set(kawasan_ids) - have)
    rows = df.loc[shifted, S.SUMBER_BARIS].tolist()
    if len(missing) == 1 and years.notna().all() and years.is_unique:
        fixed[:, 0] = missing[0]
        df.loc[shifted, data_cols] = fixed
        df.loc[shifted, "diperbaiki"] = True
        for r in rows:
            problems.add(
                path,
                "kumuhKawasan",
                r,
                "kawasan",
                "sel kosong, nilai bergeser",
                "kolom 'kawasan' kosong sehingga nilainya bergeser satu kolom ke kiri; "
                f"digeser kembali, kawasan = {missing[0]} (satu-satunya kawasan tanpa "
                "skor)",
                dipakai=True,
            )
    else:
        for r in rows:
            problems.add(
                path,
                "kumuhKawasan",
                r,
                "kawasan",
                "sel kosong, nilai bergeser",
                "kolom 'kawasan' kosong dan kawasannya tidak dapat ditentukan: baris tidak dipakai",
            )
        df = df.loc[~shifted]
    return df


def read_sk_workbook(path: str | os.PathLike, *, problems: ProblemLog | None = None) -> SKWorkbook:
    """Read an SK Kumuh workbook (sheets ``kota, kawasan, kumuhKawasan, investasi, rtrw``).

    Numbers are parsed, empty ``Unnamed`` columns dropped, ``kumuhKawasan`` rows whose
    values slipped one column to the left are repaired (and reported), and rows that
    cannot be used are reported in `problems`. Nothing is dropped silently.

    Parameters
    ----------
    path : path-like
        The ``.xlsx`` workbook.
    problems : ProblemLog, optional

    Returns
    -------
    SKWorkbook
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"SK workbook {str(p)!r} does not exist")
    problems = problems if problems is not None else ProblemLog()
    src = str(p)
    kawasan = _read_sheet(p, "kawasan")
    for col in ("id", "kawasan", "luasVerifikasi"):
        if col not in kawasan.columns:
            raise InputError(f"{src} sheet 'kawasan': no column {col!r}")
    kawasan["luasVerifikasi"] = parse_numbers(
        kawasan["luasVerifikasi"], source=src, column="luasVerifikasi"
    ).astype(float)
    skor = _read_sheet(p, "kumuhKawasan")
    skor = _repair_shifted_scores(skor, set(kawasan["id"].astype(int)), path=src, problems=problems)
    for col in ("kawasan", "tahun", "totalNilai"):
        skor[col] = pd.to_numeric(skor[col], errors="coerce")
    skor["kawasan"] = skor["kawasan"].astype("Int64")
    skor["tahun"] = skor["tahun"].astype("Int64")
    keep = [
        "id",
        "kawasan",
        "tahun",
        "totalNilai",
        "tingkatKekumuhan",
        S.SUMBER_BARIS,
        "diperbaiki",
    ]
    skor = skor[[c for c in keep if c in skor.columns]].reset_index(drop=True)
    investasi = _read_sheet(p, "investasi")
    rtrw = _read_sheet(p, "rtrw")
    sk = ""
    try:
        kota = _read_sheet(p, "kota")
        if "sk" in kota.columns and len(kota):
            sk = str(kota["sk"].iloc[0])
    except InputError:
        pass
    return SKWorkbook(kawasan=kawasan, skor=skor, investasi=investasi, rtrw=rtrw, sk=sk, path=src)


# --------------------------------------------------------------------------- writing


def write_reconciliation(
    table: pd.DataFrame,
    differences: gpd.GeoDataFrame,
    folder: str | os.PathLike,
    *,
    gpkg: str | os.PathLike | None = None,
    xlsx: bool = True,
    extra_tables: Mapping[str, pd.DataFrame] | None = None,
    kelurahan: gpd.GeoDataFrame | None = None,
) -> list[Path]:
    """Write ``sinkronisasi.csv``/``.xlsx`` and the GeoPackage layer ``data_tidak_sinkron``.

    Parameters
    ----------
    table, differences
        The two results of :func:`reconcile`.
    folder : path-like
        The city's output folder.
    gpkg : path-like, optional
        GeoPackage to add the layer to (default: ``<folder>/<folder name>.gpkg``, the
        city's GeoPackage).
    xlsx : bool
        Also write the XLSX.
    extra_tables : mapping, optional
        More sheets/CSVs, e.g. ``{"sinkronisasi_kecamatan": reconcile_by(table)}``.
    kelurahan : GeoDataFrame, optional
        The city's kelurahan: the table's rows are also written with their polygons, as
        GeoPackage layer ``sinkronisasi_kelurahan``.
    """
    from kotaku_map.writers import _gpkg_layer, write_table

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = write_table(table, out / "sinkronisasi", xlsx=xlsx, sheet="sinkronisasi")
    for name, df in (extra_tables or {}).items():
        paths += write_table(df, out / name, xlsx=xlsx, sheet=name)
    target = Path(gpkg) if gpkg is not None else out / f"{out.name}.gpkg"
    # always written, empty or not: a GIS expert sees "no ground in one source only"
    frame = (
        differences
        if len(differences)
        else gpd.GeoDataFrame(
            {S.KODE: pd.Series([], dtype="string")}, geometry=gpd.GeoSeries([], crs=4326)
        )
    )
    _gpkg_layer(frame, target, LAYER_SYNC)
    if kelurahan is not None:
        flagged = kelurahan[[S.KODE, "geometry"]].merge(table, on=S.KODE, how="inner")
        _gpkg_layer(
            gpd.GeoDataFrame(flagged, geometry="geometry", crs=kelurahan.crs),
            target,
            LAYER_SYNC_KELURAHAN,
        )
    if target not in paths:
        paths.append(target)
    return paths


# --------------------------------------------------------------------------- map layer


def sync_layer(
    table: pd.DataFrame,
    differences: gpd.GeoDataFrame,
    kelurahan: gpd.GeoDataFrame,
    *,
    lang: str = "id",
    show: bool = False,
):
    """The map layer "Data tidak sinkron": flagged kelurahan and the ground in only one source.

    Kelurahan flagged ``tidak_sinkron`` are drawn in the colour of their status (second
    source larger / smaller / only in one source); the pieces of ``differences`` whose
    ``jenis`` is ``poligon`` are drawn on top, hatched by source.

    Returns
    -------
    kotaku_map.render.ExtraLayer
        For ``city_map(..., extras=[...])``.

    Examples
    --------
    >>> from shapely import box
    >>> kel = gpd.GeoDataFrame({"kode": ["33.75.01.1001"], "kelurahan": ["A"],
    ...     "kecamatan": ["K"], "kabkota": ["X"]}, geometry=[box(110, -7, 110.01, -6.99)],
    ...     crs=4326)
    >>> t, d = reconcile(gpd.GeoDataFrame(geometry=[box(110, -7, 110.01, -6.995)], crs=4326),
    ...                  gpd.GeoDataFrame(geometry=[box(110, -7, 110.01, -6.999)], crs=4326),
    ...                  kel)
    >>> lyr = sync_layer(t, d, kel)
    >>> lyr.label, len(lyr.frame), [c["label"] for c in lyr.classes][:2]
    ('Data tidak sinkron', 2, ['SIM < SK', 'SIM > SK'])
    """
    from kotaku_map.render import ExtraLayer

    en = lang == "en"
    lu = [c for c in table.columns if c.startswith("luas_") and c.endswith("_ha")]
    ca, cb = lu[0], lu[1]
    stat = table["status"].astype(str)
    names = sorted({x for x in stat if x.startswith("hanya di ")})
    na = next((x.split(" < ")[1] for x in stat if " < " in x), None) or next(
        (x.split(" > ")[1] for x in stat if " > " in x), None
    )
    nb = next((x.split(" < ")[0] for x in stat if " < " in x), None) or next(
        (x.split(" > ")[0] for x in stat if " > " in x), None
    )
    na = na or ca[len("luas_") : -3].upper()
    nb = nb or cb[len("luas_") : -3].upper()
    flagged = table[table["tidak_sinkron"].fillna(False).astype(bool) & table[S.KODE].notna()]
    kel = kelurahan[[S.KODE, "geometry"]].assign(kode=kelurahan[S.KODE].astype(str))
    frame = gpd.GeoDataFrame(
        flagged.assign(kode=flagged[S.KODE].astype(str)).merge(kel, on=S.KODE, how="inner"),
        geometry="geometry",
        crs=kelurahan.crs,
    ).to_crs(4326)
    frame["_kelas"] = frame["status"].astype(str)
    if len(differences):
        d = differences[differences["jenis"] == "poligon"].copy()
        if len(d):
            look = table.set_index(table[S.KODE].astype(str))
            for c in (ca, cb, "selisih_ha", "selisih_pct"):
                d[c] = [look[c].get(k) for k in d[S.KODE].astype(str)]
            d["_kelas"] = "poligon " + d["sumber"].astype(str)
            frame = pd.concat([frame, d.to_crs(4326)], ignore_index=True)
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)
    classes = [
        {
            "value": f"{nb} < {na}",
            "label": f"{nb} < {na}",
            "color": "#FDB863",
            "line": "#B35806",
            "opacity": 0.55,
        },
        {
            "value": f"{nb} > {na}",
            "label": f"{nb} > {na}",
            "color": "#B2ABD2",
            "line": "#542788",
            "opacity": 0.55,
        },
    ]
    for x in names:
        classes.append(
            {
                "value": x,
                "label": ("only in " + x[len("hanya di ") :]) if en else x,
                "color": "#E7298A",
                "line": "#7A0177",
                "dash": True,
                "opacity": 0.5,
            }
        )
    for side in (na, nb):
        classes.append(
            {
                "value": f"poligon hanya {side}",
                "label": (f"Ground only in {side}" if en else f"Wilayah hanya di {side}"),
                "color": "#000000" if side == na else "#FFFFFF",
                "line": "#000000",
                "opacity": 0.45,
            }
        )
    popup = [
        (ca, na, "ha"),
        (cb, nb, "ha"),
        ("selisih_ha", "Difference" if en else "Selisih", "ha"),
        ("selisih_pct", "Difference (%)" if en else "Selisih (%)", "pct"),
        ("status", "Status", "text"),
    ]
    return ExtraLayer(
        key="sinkronisasi",
        label="Unsynchronised data" if en else "Data tidak sinkron",
        frame=frame,
        class_column="_kelas",
        classes=classes,
        popup=popup,
        title_column=S.KELURAHAN,
        on=show,
    )


@dataclass(frozen=True)
class CitySync:
    """What synchronisation adds to one city's outputs: map extras, tables, overview figures."""

    table: pd.DataFrame
    differences: gpd.GeoDataFrame
    extras: list
    tables: dict[str, pd.DataFrame]
    overview: dict[str, float]


def synchronise(
    options: Any,
    slum_config: Any,
    kelurahan: gpd.GeoDataFrame,
    results: Sequence[Any],
    *,
    problems: ProblemLog,
    assume_crs: str | None = None,
) -> dict[str, CitySync]:
    """Reconcile the SK workbook with the slum layer, per city; progress and funding too.

    ``options`` is the config's :class:`~kotaku_map.config.SyncOptions`, ``slum_config``
    its ``[slum]`` :class:`~kotaku_map.config.LayerConfig`. Returns one
    :class:`CitySync` per city code of ``results``; every row read or dropped is in
    ``problems``.
    """
    from .funding import funding_layer, funding_mix, investment_rows
    from .progress import (
        kawasan_kelurahan,
        progress_chart,
        progress_layers,
        progress_summary,
        progress_table,
    )
    from .readers import read_layer, read_table
    from .render import ExtraPanel

    wb_path = str(options.workbook)
    wb = read_sk_workbook(options.workbook, problems=problems)
    sk = kelurahan_hectares(
        wb.kawasan,
        kelurahan,
        name="SK",
        area="luasVerifikasi",
        kel_name="kawasan",
        kecamatan="wilayah",
        source_file=wb_path,
        layer="kawasan",
        problems=problems,
    )
    cols = slum_config.columns
    if slum_config.kind == "table":
        raw = read_table(slum_config.path, sheet=slum_config.sheet)
    else:  # the raw layer again: its own name and area columns, not the analysis' columns
        raw = read_layer(
            slum_config.path,
            layer=slum_config.layer,
            crs=slum_config.crs,
            assume_crs=assume_crs,
            problems=ProblemLog(),
        )
    other = kelurahan_hectares(
        raw,
        kelurahan,
        name="SIM",
        area=options.slum_area,
        code=cols.code,
        kel_name=cols.kelurahan,
        kecamatan=cols.kecamatan,
        kabkota=cols.kabkota,
        source_file=str(slum_config.path),
        layer=slum_config.layer or slum_config.sheet,
        problems=problems,
    )
    table, diff = reconcile(
        sk, other, kelurahan, tolerance_pct=options.tolerance_pct, tolerance_ha=options.tolerance_ha
    )
    units = kawasan_kelurahan(wb.kawasan, kelurahan, source=wb_path, problems=problems)
    prog = progress_table(wb.skor, units, problems=problems, source=wb_path)
    invest = investment_rows(wb.investasi, units, file=wb_path, problems=problems)
    out: dict[str, CitySync] = {}
    for r in results:
        codes = set(r.kelurahan[S.KODE])
        kel = r.kelurahan
        t = table[table[S.KODE].isin(codes)]
        d = diff[diff[S.KODE].isin(codes)] if S.KODE in diff else diff
        p = prog[prog[S.KODE].isin(codes)]
        mix = funding_mix(invest[invest[S.KODE].isin(codes)], units[units[S.KODE].isin(codes)])
        summary = progress_summary(p) if len(p) else pd.DataFrame()
        extras: list = [sync_layer(t, d, kel)]
        if len(p):
            extras += progress_layers(p, kel)
        extras.append(funding_layer(mix, kel))
        if len(summary):
            extras.append(
                ExtraPanel(
                    "kemajuan",
                    "Kemajuan penanganan kumuh",
                    progress_chart(summary, title=str(r.nama)),
                    "Grafik luas kumuh per tahun",
                )
            )
        figures = {
            "Luas SK (ha)": float(t[f"luas_{_slug('SK')}_ha"].sum()),
            "Luas SIM (ha)": float(t[f"luas_{_slug('SIM')}_ha"].sum()),
            "Kel. tidak sinkron": float(t["tidak_sinkron"].sum()),
        }
        if len(summary):
            last = summary.iloc[-1]
            figures[f"Kumuh {int(last['tahun'])} (ha)"] = float(last["kumuh_ha"])
        if "tanpa_pendanaan" in mix:
            figures["Kawasan tanpa pendanaan"] = float(mix["tanpa_pendanaan"].sum())
        out[r.kode] = CitySync(
            t,
            d,
            extras,
            {
                "sinkronisasi_kecamatan": reconcile_by(t) if len(t) else t,
                "kemajuan": progress_summary(p, by=[S.KODE, S.KELURAHAN]) if len(p) else p,
                "pendanaan": mix,
            },
            figures,
        )
    return out
