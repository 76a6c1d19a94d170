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

Here: :func:`analyse` splits the layers by kabupaten/kota and runs :func:`analyse_city`
per city (in worker processes where it pays, :mod:`kotaku_map.jobs`);
:func:`summary_table` is the kabupaten/kota level. :func:`analyse_city` runs the steps
of the other modules in turn and assembles the findings, the per-kelurahan table and the
city's totals:

* :mod:`kotaku_map.projected_city`: the city projected into its local equal-area CRS, so every
  hectare is ellipsoidal;
* :mod:`kotaku_map.partition`: each piece attributed to exactly one kelurahan (where
  upstream kelurahan polygons overlap one another, the shared sliver goes to the
  kelurahan whose code sorts first, so per-kelurahan figures add up to the city's);
* :mod:`kotaku_map.overlaps`: work areas per kelurahan, exact program combinations and
  the overlaps;
* :mod:`kotaku_map.coverage`: slum per kelurahan, covered slum and the coverage gaps;
* :mod:`kotaku_map.overlay`: every overlay, on a 1 mm grid.

Accounting per city and per kelurahan (slum hectares)::

    kumuh_ha = tercakup_ha + celah_ha + sliver_ha

where ``tercakup_ha`` (covered) is split by program combination in
``ringkasan["kumuh_per_kombinasi_ha"]`` and ``sliver_ha`` is the slum inside gap
slivers and overlap slivers. The figures are published in whole units of 0.0001 ha
(:mod:`kotaku_map.rounding`): both identities hold exactly, per kelurahan and per city,
and the city's figures are the sums of the kelurahan's.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from . import schema as s
from .cities import KELURAHAN_COLUMNS, city_identity, city_jobs, city_key
from .config import DEFAULT_SLIVER_AREA_M2, DEFAULT_SLIVER_WIDTH_M
from .coverage import Slum, covered_slum, gap_pieces, slum_per_kelurahan
from .crs import DISPLAY_CRS, area_ha
from .geometry import mean_width_m
from .jobs import auto_workers, run_jobs
from .lingkungan import lingkungan_counts, lingkungan_figures
from .overlaps import WorkAreas, combinations, overlap_pieces, work_areas
from .problems import ProblemLog
from .projected_city import Pieces, ProjectedCity, project_city
from .results import CityResult
from .rounding import HA_UNIT, apportion, ha_units, round_ha, to_ha

__all__ = ["analyse", "analyse_city", "analyse_city_job", "city_key", "summary_table"]


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
    jobs = city_jobs(
        kelurahan,
        programs,
        slum,
        sliver_width_m=sliver_width_m,
        sliver_area_m2=sliver_area_m2,
        min_presence_ha=min_presence_ha,
        problems=problems,
        sources=sources,
    )
    sizes = [len(job["rows"]) for job in jobs]
    n_workers = auto_workers(workers, kelurahan=len(kelurahan), cities=len(jobs))
    return run_jobs(
        analyse_city_job, jobs, workers=n_workers, progress=progress, desc="analisis", sizes=sizes
    )


def analyse_city_job(
    kel: gpd.GeoDataFrame,
    rows: np.ndarray,
    programs: Mapping[str, gpd.GeoDataFrame],
    prog_rows: Mapping[str, np.ndarray],
    slum: gpd.GeoDataFrame | None,
    slum_rows: np.ndarray | None,
    **options: float,
) -> CityResult:
    """One job of :func:`city_jobs`: the city's rows sliced out of the layers, then analysed.

    Parameters
    ----------
    kel : GeoDataFrame
        Every kelurahan of the build.
    rows : ndarray of int
        The city's rows of ``kel``.
    programs : mapping of str to GeoDataFrame
        Every program's layer.
    prog_rows : mapping of str to ndarray of int
        The city's rows of each program's layer.
    slum : GeoDataFrame or None
        The slum layer.
    slum_rows : ndarray of int or None
        The city's rows of ``slum``.
    **options : float
        As for :func:`analyse_city`.

    Returns
    -------
    CityResult
    """
    progs = {n: g.iloc[prog_rows[n]] for n, g in programs.items()}
    sl = slum.iloc[slum_rows] if slum is not None and slum_rows is not None else None
    return analyse_city(kel.iloc[np.sort(rows)], progs, sl, **options)


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

    Every overlay runs per kelurahan, vectorised over the kelurahan of the city: no
    city-wide union is ever formed.

    Parameters
    ----------
    kelurahan : GeoDataFrame
        The city's kelurahan (all of one city), columns as for :func:`analyse`.
    programs : mapping of name to GeoDataFrame
        Each program's work-area polygons in the city.
    slum : GeoDataFrame, optional
        The city's slum polygons, or slum table rows (see :func:`analyse`).
    sliver_width_m, sliver_area_m2, min_presence_ha : float
        As for :func:`analyse`.

    Returns
    -------
    CityResult
        The city's per-kelurahan table, findings and totals.
    """
    t0 = time.perf_counter()
    names = list(programs)
    layers = {name: programs[name].reset_index(drop=True) for name in names}
    sl = (
        slum.reset_index(drop=True)
        if slum is not None
        else gpd.GeoDataFrame({s.TINGKAT: []}, geometry=[], crs=DISPLAY_CRS)
    )
    city, geoms, sgeom = project_city(
        kelurahan, layers, sl, sliver_width_m=sliver_width_m, sliver_area_m2=sliver_area_m2
    )
    work = work_areas(city, layers, geoms, min_presence_ha=min_presence_ha)
    regions, covered = combinations(list(work.per_kel.values()), city.n)
    overlaps = overlap_pieces(city, regions, names)
    slum_k = slum_per_kelurahan(city, sl, sgeom)
    tercakup, per_combo, sliver_slum = covered_slum(city, regions, overlaps, slum_k, names)
    gaps = gap_pieces(city, slum_k, covered)
    figures = _published(city, slum_k, tercakup, sliver_slum, overlaps, gaps, work)
    found = _findings(city, overlaps, gaps)
    table = _kelurahan_table(city, names, work, figures)
    units = {s.KUMUH_HA: figures.kumuh, s.TERCAKUP_HA: figures.tercakup, s.CELAH_HA: figures.celah}
    units[s.SLIVER_HA] = figures.sliver_overlap + figures.sliver_gap
    ling = lingkungan_figures(city, sl, sgeom, slum_k, work, (covered, overlaps, gaps), units)
    for column, counts in lingkungan_counts(ling.table, city.codes).items():
        table[column] = counts.to_numpy()
    ring = _city_totals(city, table, figures, found, work, slum_k, per_combo)
    return CityResult(
        kode=ring["kode_kabkota"],
        nama=ring["kabkota"],
        programs=tuple(names),
        kelurahan=table,
        wilayah_kerja=work.rows,
        kumuh=_with_pieces(slum_k.rows, ling.pieces),
        tumpang_tindih=found.overlaps,
        celah=found.gaps,
        sliver=found.slivers,
        ringkasan=ring,
        lingkungan=ling.table,
        seconds={"analisis": round(time.perf_counter() - t0, 3)},
    )


def _with_pieces(rows: gpd.GeoDataFrame, pieces: pd.DataFrame) -> gpd.GeoDataFrame:
    """The slum pieces with their delineation and their share of the kelurahan's figures."""
    out = rows.copy()
    for column in pieces.columns:
        out[column] = pieces[column].to_numpy()
    return out


class _Figures(NamedTuple):
    """The per-kelurahan figures as published, in units of 0.0001 ha (:mod:`.rounding`)."""

    luas: np.ndarray
    kumuh: np.ndarray
    tercakup: np.ndarray
    tumpang_tindih: np.ndarray
    celah: np.ndarray
    sliver_overlap: np.ndarray  # slum in overlap slivers
    sliver_gap: np.ndarray  # slum in gap slivers
    work: dict[str, np.ndarray]

    @property
    def table(self) -> dict[str, np.ndarray]:
        """The slum figures in hectares, in the order of the table's columns."""
        return {
            s.KUMUH_HA: to_ha(self.kumuh),
            s.TERCAKUP_HA: to_ha(self.tercakup),
            s.TUMPANG_TINDIH_HA: to_ha(self.tumpang_tindih),
            s.CELAH_HA: to_ha(self.celah),
            s.SLIVER_HA: to_ha(self.sliver_overlap + self.sliver_gap),
        }


def _published(
    city: ProjectedCity,
    slum: Slum,
    tercakup: np.ndarray,
    sliver_slum: np.ndarray,
    overlaps: Pieces,
    gaps: Pieces,
    work: WorkAreas,
) -> _Figures:
    """Round the measured figures once, so that the accounting holds exactly as written.

    A kelurahan's slum is split into covered, gap, and the slum in overlap and in gap
    slivers (:func:`kotaku_map.rounding.apportion`; a slum of no measured part counts as
    gap); ground figures (overlaps, work areas) are never larger than the kelurahan.
    """
    luas = ha_units(area_ha(city.kgeom))
    measured = np.column_stack(
        [tercakup, _real_per_kel(city, gaps), sliver_slum, _real_per_kel(city, gaps, slivers=True)]
    )
    kumuh, parts = apportion(slum.ha, measured, rest=1)
    return _Figures(
        luas=luas,
        kumuh=kumuh,
        tercakup=parts[:, 0],
        tumpang_tindih=np.minimum(ha_units(_real_per_kel(city, overlaps)), luas),
        celah=parts[:, 1],
        sliver_overlap=parts[:, 2],
        sliver_gap=parts[:, 3],
        work={name: np.minimum(ha_units(ha), luas) for name, ha in work.ha.items()},
    )


def _real_per_kel(city: ProjectedCity, pieces: Pieces, *, slivers: bool = False) -> np.ndarray:
    """Hectares of the real pieces (or of the slivers) per kelurahan."""
    sel = pieces.sliver if slivers else ~pieces.sliver
    return city.per_kel(pieces.kidx[sel], pieces.ha[sel])


class _Findings(NamedTuple):
    """The overlap, gap and sliver layers of a city, and the ground of the overlap slivers."""

    overlaps: gpd.GeoDataFrame
    gaps: gpd.GeoDataFrame
    slivers: gpd.GeoDataFrame
    sliver_overlap_ha: float


def _findings(city: ProjectedCity, overlaps: Pieces, gaps: Pieces) -> _Findings:
    """The findings as layers: real overlaps, real gaps, and both kinds of sliver."""
    o, g = overlaps.sliver, gaps.sliver
    sl_o = city.frame(
        overlaps.kidx[o],
        overlaps.geoms[o],
        {
            s.JENIS: s.SLIVER_OVERLAP,
            s.PROGRAM: overlaps.label[o],
            s.SEBAB: overlaps.reason[o],
            "lebar_m": mean_width_m(overlaps.geoms[o]),
        },
        ha=overlaps.ha[o],
    )
    sl_g = city.frame(
        gaps.kidx[g],
        gaps.geoms[g],
        {
            s.JENIS: s.SLIVER_GAP,
            s.PROGRAM: "",
            s.SEBAB: gaps.reason[g],
            "lebar_m": mean_width_m(gaps.geoms[g]),
        },
        ha=gaps.ha[g],
    )
    slivers = pd.concat([sl_o, sl_g], ignore_index=True)
    return _Findings(
        overlaps=city.frame(
            overlaps.kidx[~o], overlaps.geoms[~o], {s.PROGRAM: overlaps.label[~o]}, overlaps.ha[~o]
        ),
        gaps=city.frame(gaps.kidx[~g], gaps.geoms[~g], {}, gaps.ha[~g]),
        slivers=gpd.GeoDataFrame(slivers, geometry="geometry", crs=DISPLAY_CRS),
        sliver_overlap_ha=float(sl_o[s.LUAS_HA].sum()),
    )


def _kelurahan_table(
    city: ProjectedCity,
    names: Sequence[str],
    work: WorkAreas,
    figures: _Figures,
) -> gpd.GeoDataFrame:
    """One row per kelurahan: its programs, status, hectares and how it was matched."""
    out = city.kel[KELURAHAN_COLUMNS].copy()
    out[s.LUAS_HA] = to_ha(figures.luas)
    combos = [[p for p in names if work.present[p][k]] for k in range(city.n)]
    out[s.PROGRAM] = [s.PROGRAM_JOIN.join(c) for c in combos]
    out[s.STATUS] = [
        s.PROGRAM_JOIN.join(c) if c else s.STATUS_GAP if figures.celah[k] > 0 else s.STATUS_NONE
        for k, c in enumerate(combos)
    ]
    for column, values in figures.table.items():
        out[column] = values
    out[s.METODE_COCOK] = work.methods
    for name in names:
        out[s.work_column(name)] = to_ha(figures.work[name])
    return gpd.GeoDataFrame(out, geometry=city.kel.geometry.values, crs=DISPLAY_CRS)


def _city_totals(
    city: ProjectedCity,
    table: gpd.GeoDataFrame,
    figures: _Figures,
    found: _Findings,
    work: WorkAreas,
    slum: Slum,
    per_combo: dict[str, float],
) -> dict[str, Any]:
    """The city's ``ringkasan``: its code and name, totals, counts and status counts.

    Slum and work-area hectares are the sums of the published per-kelurahan figures, so
    the kelurahan table adds up to them exactly; the slum per program combination is
    apportioned to add up to ``tercakup_ha`` exactly.
    """
    code, nama = city_identity(city.kel)
    per_status = table[s.STATUS].value_counts().to_dict()
    covered = int(figures.tercakup.sum())
    _, combo_units = apportion(
        np.array([covered / HA_UNIT]), np.array([list(per_combo.values())]), rest=0
    )
    ring = {
        "kode_kabkota": code,
        "kabkota": nama,
        "jumlah_kelurahan": city.n,
        "kumuh_ha": _sum_ha(figures.kumuh),
        "tercakup_ha": _sum_ha(figures.tercakup),
        "tumpang_tindih_ha": _sum_ha(figures.tumpang_tindih),
        "celah_ha": _sum_ha(figures.celah),
        "sliver_ha": _sum_ha(figures.sliver_overlap + figures.sliver_gap),
        "sliver_tumpang_tindih_ha": float(round_ha(found.sliver_overlap_ha)),
        "sliver_celah_ha": _sum_ha(figures.sliver_gap),
        "luar_batas_ha": float(round_ha(slum.outside_ha)),
        "wilayah_kerja_luar_batas_ha": float(round_ha(work.outside_ha)),
        "jumlah_tumpang_tindih": int(len(found.overlaps)),
        "jumlah_celah": int(len(found.gaps)),
        "jumlah_sliver": int(len(found.slivers)),
        "kelurahan_per_status": {str(k): int(v) for k, v in per_status.items()},
        "kumuh_per_kombinasi_ha": {
            label: float(to_ha(u)) for label, u in zip(per_combo, combo_units[0], strict=True)
        },
        "crs_luas": city.crs.name,
    }
    for name, units in figures.work.items():
        ring[s.work_column(name)] = _sum_ha(units)
    return ring


def _sum_ha(units: np.ndarray) -> float:
    """The sum of published figures (units of 0.0001 ha), in hectares."""
    return float(to_ha(np.asarray(units).sum()))


def summary_table(results: Sequence[CityResult]) -> pd.DataFrame:
    """The kabupaten/kota level: one row per city with its totals and status counts.

    Parameters
    ----------
    results : sequence of CityResult
        The cities, as :func:`analyse` returns them.

    Returns
    -------
    DataFrame
        Columns ``kode_kabkota, kabkota, jumlah_kelurahan, kumuh_ha, tercakup_ha,
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
