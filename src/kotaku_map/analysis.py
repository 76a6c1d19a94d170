"""Overlaps, coverage gaps and slivers, per kelurahan and per kabupaten/kota.

Definitions (``DOMAIN.md``):

* **work area** of a program: the union of its polygons (a program given as a list
  of kelurahan has been turned into the polygons of those kelurahan upstream);
* **overlap** (*tumpang tindih*): ground inside the work areas of two or more
  programs, per exact combination of programs;
* **coverage gap** (*celah cakupan*): slum area inside no program's work area;
* **sliver**: an overlap or gap piece that is smaller than ``sliver_area_m2`` or
  thinner on average than ``sliver_width_m``, or lies in a seam of the boundary layer
  (two upstream kelurahan polygons overlapping; see ``docs/analisis.md``);
  reported in its own class, never dropped.

All geometry work of a city happens in one local equal-area projection
(:func:`kotaku_map.crs.local_equal_area`), so every hectare is ellipsoidal. Each
piece of a finding is attributed to exactly one kelurahan: where upstream kelurahan
polygons overlap one another, the shared sliver goes to the kelurahan whose code
sorts first, so per-kelurahan figures add up to the city's.

Accounting per city and per kelurahan (slum hectares)::

    kumuh_ha = tercakup_ha + celah_ha + sliver_ha

where ``tercakup_ha`` (covered) is split by program combination in
``ringkasan["kumuh_per_kombinasi_ha"]`` and ``sliver_ha`` is the slum inside gap
slivers and overlap slivers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from . import schema as s
from .config import DEFAULT_SLIVER_AREA_M2, DEFAULT_SLIVER_WIDTH_M
from .crs import DISPLAY_CRS, M2_PER_HA, area_ha, local_equal_area
from .errors import InputError
from .geometry import mean_width_m, polygonal, sliver_reasons
from .jobs import auto_workers, run_jobs
from .overlay import EMPTY, difference, grouped_union, intersection, sum_per, union, union_all
from .partition import Partition
from .problems import ProblemLog
from .results import CityResult

__all__ = ["analyse", "analyse_city", "city_key", "summary_table"]

KELURAHAN_COLUMNS = [s.KODE, s.KELURAHAN, s.KECAMATAN, s.KABKOTA, s.KODE_KABKOTA]


def city_key(kelurahan: pd.DataFrame) -> pd.Series:
    """The kab/kota each kelurahan belongs to: its ``kode_kabkota``, else its ``kabkota`` name."""
    key = kelurahan[s.KODE_KABKOTA].astype("string")
    return key.fillna(kelurahan[s.KABKOTA].astype("string")).fillna("(tanpa kab/kota)")


def analyse(
    kelurahan: gpd.GeoDataFrame,
    programs: Mapping[str, gpd.GeoDataFrame],
    slum: gpd.GeoDataFrame | None = None,
    *,
    sliver_width_m: float = DEFAULT_SLIVER_WIDTH_M,
    sliver_area_m2: float = DEFAULT_SLIVER_AREA_M2,
    min_presence_ha: float = 0.0,
    problems: ProblemLog | None = None,
    sources: Mapping[str, str | tuple[str, str | None]] | None = None,
    progress: bool = False,
    workers: int | None = None,
) -> list[CityResult]:
    """Analyse every kabupaten/kota of ``kelurahan``.

    Parameters
    ----------
    kelurahan : GeoDataFrame
        Kelurahan boundaries with ``kode, kelurahan, kecamatan, kabkota, kode_kabkota``.
    programs : mapping of name to GeoDataFrame
        Each program's work-area polygons (any CRS; ``baris_sumber`` and ``kode``
        columns are carried along when present).
    slum : GeoDataFrame, optional
        Slum areas: polygons with ``tingkat`` (level); or, for slum given as a table,
        rows with ``kode`` (matched kelurahan), ``luas_tabel_ha`` (stated hectares) and
        the listed kelurahan's polygon: the stated hectares are spread evenly over it.
    sliver_width_m, sliver_area_m2 : float
        Sliver thresholds (see :func:`kotaku_map.geometry.sliver_reasons`).
    min_presence_ha : float
        A program given as polygons counts for a kelurahan's status only where its
        (non-sliver) work area there is at least this large (default 0: any real piece).
        A program given as a list counts where it lists the kelurahan.
    problems : ProblemLog, optional
        Rows that lie outside every kelurahan are recorded here.
    sources : mapping, optional
        Program name (and ``"kumuh"``) to the source file name, or to ``(file, layer)``,
        for the problems report.
    progress : bool
        Show a progress bar over the cities.
    workers : int, optional
        Worker processes; by default the machine's cores for big jobs (2,000 kelurahan
        or more in several cities), else one (see :mod:`kotaku_map.jobs`).

    Returns
    -------
    list of CityResult
        One per kab/kota, sorted by code.

    Examples
    --------
    >>> import shapely, geopandas as gpd
    >>> kel = gpd.GeoDataFrame({"kode": ["99.71.01.1001", "99.71.01.1002"],
    ...     "kelurahan": ["Satu", "Dua"], "kecamatan": ["K", "K"],
    ...     "kabkota": ["Kota Contoh", "Kota Contoh"], "kode_kabkota": ["99.71", "99.71"]},
    ...     geometry=[shapely.box(110.00, -7.0, 110.01, -6.99),
    ...               shapely.box(110.01, -7.0, 110.02, -6.99)], crs=4326)
    >>> a = gpd.GeoDataFrame(geometry=[shapely.box(110.000, -7.0, 110.015, -6.99)], crs=4326)
    >>> b = gpd.GeoDataFrame(geometry=[shapely.box(110.005, -7.0, 110.020, -6.99)], crs=4326)
    >>> [city] = analyse(kel, {"A": a, "B": b})
    >>> round(city.ringkasan["tumpang_tindih_ha"], 1)  # 0.01 degree x 0.01 degree ~ 122 ha
    122.2
    >>> city.kelurahan["status"].tolist()
    ['A + B', 'A + B']
    """
    problems = problems if problems is not None else ProblemLog()
    sources = dict(sources or {})
    _require(kelurahan, KELURAHAN_COLUMNS, "kelurahan")
    kel = kelurahan.to_crs(DISPLAY_CRS) if kelurahan.crs != DISPLAY_CRS else kelurahan
    kel = kel.reset_index(drop=True)
    keys = city_key(kel).to_numpy()
    tree = STRtree(kel.geometry.values)

    def split(layer: gpd.GeoDataFrame, name: str) -> dict[str, np.ndarray]:
        layer = layer.to_crs(DISPLAY_CRS) if layer.crs != DISPLAY_CRS else layer
        rows, kels = tree.query(layer.geometry.values, predicate="intersects")
        inside = np.zeros(len(layer), dtype=bool)
        inside[rows] = True
        source = sources.get(name, name)
        path, layer_name = source if isinstance(source, tuple) else (source, None)
        for r in np.flatnonzero(~inside):
            src = layer[s.SUMBER_BARIS].iloc[r] if s.SUMBER_BARIS in layer else r + 1
            problems.add(
                path,
                layer_name,
                int(src),
                "geometry",
                "di luar batas kelurahan",
                f"{name}: geometri tidak bersinggungan dengan kelurahan mana pun",
            )
        by_city: dict[str, np.ndarray] = {}
        pairs = pd.DataFrame({"row": rows, "city": keys[kels]}).drop_duplicates()
        for c, grp in pairs.groupby("city", sort=False):
            by_city[str(c)] = np.sort(grp["row"].to_numpy())
        return by_city

    prog_layers = {
        n: (g.to_crs(DISPLAY_CRS) if g.crs != DISPLAY_CRS else g).reset_index(drop=True)
        for n, g in programs.items()
    }
    prog_split = {n: split(g, n) for n, g in prog_layers.items()}
    slum4326 = None
    slum_split: dict[str, np.ndarray] = {}
    if slum is not None:
        slum4326 = (slum.to_crs(DISPLAY_CRS) if slum.crs != DISPLAY_CRS else slum).reset_index(
            drop=True
        )
        slum_split = split(slum4326, "kumuh")

    # a job holds row numbers, not frames: the workers slice their city out of the layers
    # they inherit (in parallel), not the parent for every city in turn
    none = np.array([], dtype=int)
    by_key = pd.Series(np.arange(len(kel))).groupby(keys, sort=False).indices
    jobs = []
    for c in sorted(by_key, key=str):
        prog_rows = {n: prog_split[n].get(c, none) for n in prog_layers}
        slum_rows = slum_split.get(c, none) if slum4326 is not None else None
        jobs.append(
            {
                "kel": kel,
                "rows": by_key[c],
                "programs": prog_layers,
                "prog_rows": prog_rows,
                "slum": slum4326,
                "slum_rows": slum_rows,
                "sliver_width_m": sliver_width_m,
                "sliver_area_m2": sliver_area_m2,
                "min_presence_ha": min_presence_ha,
            }
        )
    n_workers = auto_workers(workers, kelurahan=len(kel), cities=len(jobs))
    return run_jobs(
        _city_job,
        jobs,
        workers=n_workers,
        progress=progress,
        desc="analisis",
        sizes=[len(job["rows"]) for job in jobs],
    )


def _city_job(
    kel: gpd.GeoDataFrame,
    rows: np.ndarray,
    programs: Mapping[str, gpd.GeoDataFrame],
    prog_rows: Mapping[str, np.ndarray],
    slum: gpd.GeoDataFrame | None,
    slum_rows: np.ndarray | None,
    **options: float,
) -> CityResult:
    """One city of :func:`analyse`: its rows sliced out of the layers, then analysed."""
    progs = {n: g.iloc[prog_rows[n]] for n, g in programs.items()}
    sl = slum.iloc[slum_rows] if slum is not None and slum_rows is not None else None
    return analyse_city(kel.iloc[np.sort(rows)], progs, sl, **options)


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what}: missing columns {missing}; expected {list(columns)}")


def analyse_city(
    kelurahan: gpd.GeoDataFrame,
    programs: Mapping[str, gpd.GeoDataFrame],
    slum: gpd.GeoDataFrame | None = None,
    *,
    sliver_width_m: float = DEFAULT_SLIVER_WIDTH_M,
    sliver_area_m2: float = DEFAULT_SLIVER_AREA_M2,
    min_presence_ha: float = 0.0,
) -> CityResult:
    """Analyse one kabupaten/kota (the layers are already restricted to it).

    See :func:`analyse` for the parameters; the kelurahan must all belong to one city.
    Every overlay runs per kelurahan, vectorised over the kelurahan of the city: no
    city-wide union is ever formed.
    """
    t0 = time.perf_counter()
    kel = kelurahan.to_crs(DISPLAY_CRS).sort_values(s.KODE, kind="stable", na_position="last")
    kel = kel.reset_index(drop=True)
    names = list(programs)
    lon0, lat0, lon1, lat1 = kel.total_bounds
    laea = local_equal_area((lon0 + lon1) / 2, (lat0 + lat1) / 2)

    def project(gdf: gpd.GeoDataFrame) -> np.ndarray:
        geoms = np.asarray(gdf.to_crs(laea).geometry.values, dtype=object)
        # every overlay snap-rounds its inputs to GRID; only a polygon the projection
        # made invalid needs repair first
        bad = ~shapely.is_valid(geoms)
        if bad.any():
            geoms[bad] = shapely.make_valid(geoms[bad])
        return polygonal(geoms)

    kgeom = project(kel)
    n = len(kel)
    layers = {name: programs[name].reset_index(drop=True) for name in names}
    geoms = {
        name: project(layer) if len(layer) else np.array([], dtype=object)
        for name, layer in layers.items()
    }
    sl = (
        slum.reset_index(drop=True)
        if slum is not None
        else gpd.GeoDataFrame({s.TINGKAT: []}, geometry=[], crs=DISPLAY_CRS)
    )
    sgeom = project(sl) if len(sl) and s.LUAS_TABEL_HA not in sl else np.array([], dtype=object)
    every_piece = [*geoms.values(), sgeom]
    if s.LUAS_TABEL_HA in sl:  # slum as a table: the listed kelurahan's own ground is its piece
        every_piece.append(kgeom[np.isin(kel[s.KODE].to_numpy(), sl[s.KODE].to_numpy())])
    partition = Partition(kgeom, every_piece)
    width, amin = sliver_width_m, sliver_area_m2
    codes = kel[s.KODE].to_numpy()
    kel_names = kel[s.KELURAHAN].to_numpy()

    def to_display(geoms: np.ndarray) -> gpd.GeoSeries:
        return gpd.GeoSeries(geoms, crs=laea).to_crs(DISPLAY_CRS)

    def per_kel(kidx: np.ndarray, values: np.ndarray) -> np.ndarray:
        return sum_per(kidx, values, n)

    def sliver_reason(geoms: np.ndarray) -> np.ndarray:
        """Why each piece is a sliver ("" where it is real): small, thin, or boundary seam."""
        share = partition.seam_share(geoms)
        return sliver_reasons(geoms, width_m=width, area_m2=amin, seam_share=share)

    def explode(per_k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Single polygons of a per-kelurahan array: (kelurahan index, polygon, m², reason)."""
        single, kidx = shapely.get_parts(per_k, return_index=True)
        m2 = shapely.area(single)
        keep = m2 > 0
        single, kidx, m2 = single[keep], kidx[keep], m2[keep]
        return kidx, single, m2, sliver_reason(single)

    # --- work areas, per kelurahan ---------------------------------------------------------
    work: dict[str, np.ndarray] = {}
    work_rows: list[gpd.GeoDataFrame] = []
    present: dict[str, np.ndarray] = {}
    methods = np.full(n, "", dtype=object)
    outside_ha = 0.0
    for name in names:
        layer, g = layers[name], geoms[name]
        idx, kidx, pieces, m2 = partition.attribute(g)
        work[name] = grouped_union(kidx, pieces, n)
        wk_kidx, _, wk_m2, wk_reason = explode(work[name])
        real = wk_reason == ""
        real_ha = per_kel(wk_kidx[real], wk_m2[real] / M2_PER_HA)
        present[name] = (np.bincount(wk_kidx[real], minlength=n) > 0) & (real_ha >= min_presence_ha)
        if s.KODE in layer and layer[s.KODE].notna().any():  # a list: presence is the list itself
            present[name] = np.isin(codes, layer[s.KODE].dropna().to_numpy())
            if s.METODE_COCOK in layer:
                how = dict(zip(layer[s.KODE], layer[s.METODE_COCOK], strict=False))
                for k in np.flatnonzero(present[name]):
                    sep = "; " if methods[k] else ""
                    methods[k] = f"{methods[k]}{sep}{name}: {how[codes[k]]}"
        rows = (
            layer[s.SUMBER_BARIS].to_numpy()
            if s.SUMBER_BARIS in layer
            else np.arange(1, len(layer) + 1)
        )
        work_rows.append(
            gpd.GeoDataFrame(
                {
                    s.PROGRAM: name,
                    s.SUMBER_BARIS: rows[idx],
                    s.KODE: codes[kidx],
                    s.KELURAHAN: kel_names[kidx],
                    s.LUAS_HA: m2 / M2_PER_HA,
                },
                geometry=to_display(pieces).values,
                crs=DISPLAY_CRS,
            )
        )
        if len(g):
            outside_ha += float(shapely.area(g).sum() - per_kel(idx, m2).sum()) / M2_PER_HA
    wk_ha = {name: area_ha(work[name]) for name in names}

    # --- exact program combinations, per kelurahan -----------------------------------------
    regions: dict[frozenset[int], np.ndarray] = {}
    covered = np.array([EMPTY] * n, dtype=object)
    for i, name in enumerate(names):
        w = work[name]
        if not (shapely.area(w) > 0).any():
            continue
        nxt: dict[frozenset[int], np.ndarray] = {}
        for combo, g in regions.items():
            both, only = intersection(g, w), difference(g, w)
            if (shapely.area(both) > 0).any():
                nxt[combo | {i}] = both
            if (shapely.area(only) > 0).any():
                nxt[combo] = only
        alone = difference(w, covered)
        if (shapely.area(alone) > 0).any():
            nxt[frozenset([i])] = alone
        covered = union(covered, w)
        regions = nxt
    regions = dict(sorted(regions.items(), key=lambda kv: sorted(kv[0])))

    def label(combo: frozenset[int]) -> str:
        return s.PROGRAM_JOIN.join(names[i] for i in sorted(combo))

    # overlap pieces (ground): regions of two or more programs
    o_k, o_g, o_m2, o_reason, o_label = [], [], [], [], []
    for combo, g in regions.items():
        if len(combo) >= 2:
            k_, g_, m2_, r_ = explode(g)
            o_k.append(k_)
            o_g.append(g_)
            o_m2.append(m2_)
            o_reason.append(r_)
            o_label.append(np.full(len(k_), label(combo), dtype=object))
    ok = np.concatenate(o_k) if o_k else np.array([], dtype=int)
    og = np.concatenate(o_g) if o_g else np.array([], dtype=object)
    om2 = np.concatenate(o_m2) if o_m2 else np.array([], dtype=float)
    oreason = np.concatenate(o_reason) if o_reason else np.array([], dtype=object)
    olabels = np.concatenate(o_label) if o_label else np.array([], dtype=object)
    osl = oreason != ""

    # --- slum, per kelurahan -------------------------------------------------------------
    density = np.ones(n)  # slum ha per ha of ground
    if s.LUAS_TABEL_HA in sl:
        # slum given as a table: the stated hectares spread over the listed kelurahan
        stated = sl.groupby(s.KODE)[s.LUAS_TABEL_HA].sum()
        listed = pd.Series(codes).map(stated).fillna(0.0).to_numpy(float)
        pos = {c: i for i, c in enumerate(codes)}
        sk = np.array([pos.get(c, -1) for c in sl[s.KODE]], dtype=int)
        ok_rows = sk >= 0
        # the listed kelurahan's disjoint parts (the others keep their polygon, unused)
        parts = partition.with_parts(np.union1d(np.flatnonzero(listed > 0), sk[ok_rows]))
        kel_ha = area_ha(parts)
        with np.errstate(divide="ignore", invalid="ignore"):
            density = np.where(kel_ha > 0, listed / kel_ha, 0.0)
        slum_k = np.where(listed > 0, parts, EMPTY)
        outside_slum_ha = 0.0
        slum_rows = gpd.GeoDataFrame(
            {
                s.TINGKAT: sl[s.TINGKAT].to_numpy()[ok_rows]
                if s.TINGKAT in sl
                else "tidak diketahui",
                s.LUAS_HA: sl[s.LUAS_TABEL_HA].to_numpy(float)[ok_rows],
                s.SUMBER_BARIS: (
                    sl[s.SUMBER_BARIS].to_numpy()[ok_rows]
                    if s.SUMBER_BARIS in sl
                    else np.flatnonzero(ok_rows) + 1
                ),
                s.KODE: codes[sk[ok_rows]],
                s.KELURAHAN: kel_names[sk[ok_rows]],
            },
            geometry=to_display(parts[sk[ok_rows]]).values,
            crs=DISPLAY_CRS,
        )
    else:
        sidx, skidx, spieces, sm2 = partition.attribute(sgeom)
        slum_k = grouped_union(skidx, spieces, n)
        # slum outside every kelurahan: each row minus its pieces inside, united
        outside_slum_ha = 0.0
        if len(sgeom):
            inside_by_row = grouped_union(sidx, spieces, len(sgeom))
            outside = difference(sgeom, inside_by_row)
            outside = outside[shapely.area(outside) > 0]
            outside_slum_ha = float(area_ha(union_all(outside))) if len(outside) else 0.0
        slum_rows = gpd.GeoDataFrame(
            {
                s.TINGKAT: (
                    sl[s.TINGKAT].to_numpy()[sidx]
                    if s.TINGKAT in sl
                    else np.full(len(sidx), "tidak diketahui", dtype=object)
                ),
                s.LUAS_HA: sm2 / M2_PER_HA,
                s.SUMBER_BARIS: (
                    sl[s.SUMBER_BARIS].to_numpy()[sidx] if s.SUMBER_BARIS in sl else sidx + 1
                ),
                s.KODE: codes[skidx],
                s.KELURAHAN: kel_names[skidx],
            },
            geometry=to_display(spieces).values,
            crs=DISPLAY_CRS,
        )
    kumuh_ha = area_ha(slum_k) * density

    def slum_ha(kidx: np.ndarray, geoms: np.ndarray) -> np.ndarray:
        """Slum hectares inside pieces that each lie in kelurahan ``kidx``, summed per kelurahan."""
        if len(kidx) == 0:
            return np.zeros(n)
        return per_kel(kidx, area_ha(intersection(geoms, slum_k[kidx])) * density[kidx])

    # covered slum per combination (overlap slivers excluded), slum in overlap slivers
    kumuh_per_combo: dict[str, float] = {}
    tercakup = np.zeros(n)
    for combo, g in regions.items():
        if len(combo) >= 2:
            sel = (olabels == label(combo)) & ~osl
            v = slum_ha(ok[sel], og[sel])
        else:
            v = area_ha(intersection(g, slum_k)) * density
        tercakup += v
        kumuh_per_combo[label(combo)] = float(v.sum())
    sliver_slum = slum_ha(ok[osl], og[osl])

    # gaps: slum minus every work area
    gk, gg, gm2, greason = explode(difference(slum_k, covered))
    gsl = greason != ""
    gha = gm2 / M2_PER_HA * density[gk]
    celah = per_kel(gk[~gsl], gha[~gsl])
    sliver_slum += per_kel(gk[gsl], gha[gsl])
    overlap_ha = per_kel(ok[~osl], om2[~osl] / M2_PER_HA)

    def finding(
        kidx: np.ndarray, geoms: np.ndarray, ha: np.ndarray, extra: dict[str, object]
    ) -> gpd.GeoDataFrame:
        cols: dict[str, object] = dict(extra)
        cols.update({s.KODE: codes[kidx], s.KELURAHAN: kel_names[kidx], s.LUAS_HA: ha})
        return gpd.GeoDataFrame(cols, geometry=to_display(geoms).values, crs=DISPLAY_CRS)

    overlaps = finding(ok[~osl], og[~osl], om2[~osl] / M2_PER_HA, {s.PROGRAM: olabels[~osl]})
    gaps = finding(gk[~gsl], gg[~gsl], gha[~gsl], {})
    sl_o = finding(
        ok[osl],
        og[osl],
        om2[osl] / M2_PER_HA,
        {
            s.JENIS: s.SLIVER_OVERLAP,
            s.PROGRAM: olabels[osl],
            s.SEBAB: oreason[osl],
            "lebar_m": mean_width_m(og[osl]),
        },
    )
    sl_g = finding(
        gk[gsl],
        gg[gsl],
        gha[gsl],
        {
            s.JENIS: s.SLIVER_GAP,
            s.PROGRAM: "",
            s.SEBAB: greason[gsl],
            "lebar_m": mean_width_m(gg[gsl]),
        },
    )
    slivers = pd.concat([sl_o, sl_g], ignore_index=True)
    slivers = gpd.GeoDataFrame(slivers, geometry="geometry", crs=DISPLAY_CRS)

    # --- per-kelurahan table --------------------------------------------------------------
    out = kel[KELURAHAN_COLUMNS].copy()
    out[s.LUAS_HA] = area_ha(kgeom)
    combos = [[p for p in names if present[p][k]] for k in range(n)]
    out[s.PROGRAM] = [s.PROGRAM_JOIN.join(c) for c in combos]
    status = []
    for i in range(n):
        if combos[i]:
            status.append(s.PROGRAM_JOIN.join(combos[i]))
        elif celah[i] > 0:
            status.append(s.STATUS_GAP)
        else:
            status.append(s.STATUS_NONE)
    out[s.STATUS] = status
    out[s.KUMUH_HA] = kumuh_ha
    out[s.TERCAKUP_HA] = tercakup
    out[s.TUMPANG_TINDIH_HA] = overlap_ha
    out[s.CELAH_HA] = celah
    out[s.SLIVER_HA] = sliver_slum
    out[s.METODE_COCOK] = methods
    for name in names:
        out[s.work_column(name)] = wk_ha[name]
    out = gpd.GeoDataFrame(out, geometry=kel.geometry.values, crs=DISPLAY_CRS)

    first = kel.iloc[0]
    code = str(first[s.KODE_KABKOTA]) if pd.notna(first[s.KODE_KABKOTA]) else str(first[s.KABKOTA])
    nama = str(first[s.KABKOTA]) if pd.notna(first[s.KABKOTA]) else code
    per_status = out[s.STATUS].value_counts().to_dict()
    ring = {
        "kode_kabkota": code,
        "kabkota": nama,
        "jumlah_kelurahan": n,
        "kumuh_ha": float(kumuh_ha.sum()),
        "tercakup_ha": float(tercakup.sum()),
        "tumpang_tindih_ha": float(overlap_ha.sum()),
        "celah_ha": float(celah.sum()),
        "sliver_ha": float(sliver_slum.sum()),
        "sliver_tumpang_tindih_ha": float(sl_o[s.LUAS_HA].sum()),
        "sliver_celah_ha": float(sl_g[s.LUAS_HA].sum()),
        "luar_batas_ha": outside_slum_ha,
        "wilayah_kerja_luar_batas_ha": outside_ha,
        "jumlah_tumpang_tindih": int(len(overlaps)),
        "jumlah_celah": int(len(gaps)),
        "jumlah_sliver": int(len(slivers)),
        "kelurahan_per_status": {str(k): int(v) for k, v in per_status.items()},
        "kumuh_per_kombinasi_ha": kumuh_per_combo,
        "crs_luas": laea.name,
    }
    for name in names:
        ring[s.work_column(name)] = float(wk_ha[name].sum())
    work = (
        pd.concat(work_rows, ignore_index=True)
        if work_rows
        else gpd.GeoDataFrame({s.PROGRAM: []}, geometry=[], crs=DISPLAY_CRS)
    )
    work = gpd.GeoDataFrame(work, geometry="geometry", crs=DISPLAY_CRS)
    return CityResult(
        kode=code,
        nama=nama,
        programs=tuple(names),
        kelurahan=out,
        wilayah_kerja=work,
        kumuh=slum_rows,
        tumpang_tindih=overlaps,
        celah=gaps,
        sliver=slivers,
        ringkasan=ring,
        seconds={"analisis": round(time.perf_counter() - t0, 3)},
    )


def summary_table(results: Sequence[CityResult]) -> pd.DataFrame:
    """The kabupaten/kota level: one row per city with its totals and status counts.

    Columns: ``kode_kabkota, kabkota, jumlah_kelurahan, kumuh_ha, tercakup_ha,
    tumpang_tindih_ha, celah_ha, sliver_ha, ...``, ``kel: <status>`` counts and
    ``kumuh: <combination> (ha)``.
    """
    rows = []
    for r in results:
        ring = dict(r.ringkasan)
        per_status = ring.pop("kelurahan_per_status", {})
        per_combo = ring.pop("kumuh_per_kombinasi_ha", {})
        ring.pop("crs_luas", None)
        for k, v in per_status.items():
            ring[f"kel: {k}"] = v
        for k, v in per_combo.items():
            ring[f"kumuh: {k} (ha)"] = v
        rows.append(ring)
    df = pd.DataFrame(rows)
    count_cols = [c for c in df.columns if c.startswith("kel: ")]
    if count_cols:
        df[count_cols] = df[count_cols].fillna(0).astype(int)
    return df
