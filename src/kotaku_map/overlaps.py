"""Work areas per kelurahan, exact program combinations, and the overlaps among them.

* :func:`work_areas`: each program's pieces split among the kelurahan
  (:meth:`kotaku_map.partition.Partition.attribute`), united per kelurahan, and where
  the program counts for a kelurahan's status;
* :func:`combinations`: the ground of each exact combination of programs, per kelurahan
  (a program's work area alone, two programs' shared ground, ...);
* :func:`overlap_pieces`: the ground of two or more programs, as single polygons with
  their sliver test.

Everything runs per kelurahan, vectorised over the kelurahan of a city, in metres.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import schema as s
from .crs import DISPLAY_CRS, M2_PER_HA, area_ha
from .overlay import EMPTY, difference, grouped_union, intersection, union
from .projected_city import Pieces, ProjectedCity

__all__ = ["WorkAreas", "combination_label", "combinations", "overlap_pieces", "work_areas"]

#: regions of a city: combination of program positions -> one geometry per kelurahan
Regions = dict[frozenset[int], np.ndarray]


@dataclass(frozen=True)
class WorkAreas:
    """The programs' work areas in a city.

    Parameters
    ----------
    per_kel : dict of str to ndarray of Geometry
        Each program's work area in each kelurahan (metres).
    ha : dict of str to ndarray of float
        Their hectares.
    present : dict of str to ndarray of bool
        Whether the program counts for each kelurahan's status.
    methods : ndarray of str
        How each kelurahan was matched by the programs given as lists
        (``"NSUP: kode; NUSP-2: nama"``).
    rows : GeoDataFrame
        The work-area pieces per kelurahan (the ``wilayah_kerja`` layer).
    outside_ha : float
        Work area outside every kelurahan.
    lists : frozenset of str
        The programs given as a list of kelurahan (their work area is whole kelurahan).
    """

    per_kel: dict[str, np.ndarray]
    ha: dict[str, np.ndarray]
    present: dict[str, np.ndarray]
    methods: np.ndarray
    rows: gpd.GeoDataFrame
    outside_ha: float
    lists: frozenset[str] = frozenset()


def work_areas(
    city: ProjectedCity,
    layers: Mapping[str, gpd.GeoDataFrame],
    geoms: Mapping[str, np.ndarray],
    *,
    min_presence_ha: float,
) -> WorkAreas:
    """Each program's work area per kelurahan, its pieces, and where it counts.

    Parameters
    ----------
    city : ProjectedCity
        The city.
    layers : mapping of name to GeoDataFrame
        Each program's rows (``baris_sumber``, ``kode`` and ``metode_cocok`` are used
        when present: a program with codes is a list of kelurahan).
    geoms : mapping of name to ndarray of Geometry
        Each program's polygons in the city's CRS.
    min_presence_ha : float
        Least real work area for a program given as polygons to count for a kelurahan.

    Returns
    -------
    WorkAreas
    """
    work: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    frames: list[gpd.GeoDataFrame] = []
    outside_ha = 0.0
    for name, layer in layers.items():
        g = geoms[name]
        idx, kidx, pieces, m2 = city.partition.attribute(g)
        work[name] = grouped_union(kidx, pieces, city.n)
        present[name] = _presence(city, work[name], layer, min_presence_ha)
        rows = (
            layer[s.SUMBER_BARIS].to_numpy()
            if s.SUMBER_BARIS in layer
            else np.arange(1, len(layer) + 1)
        )
        if _is_list(layer):
            frames.append(_per_kelurahan(city, name, work[name], kidx, rows[idx]))
        else:
            columns = {s.PROGRAM: name, s.SUMBER_BARIS: rows[idx], s.JUMLAH_BARIS: 1}
            frames.append(city.frame(kidx, pieces, columns, ha=m2 / M2_PER_HA))
        if len(g):
            outside_ha += float(shapely.area(g).sum() - city.per_kel(idx, m2).sum()) / M2_PER_HA
    if frames:
        rows_frame = pd.concat(frames, ignore_index=True)
    else:
        rows_frame = gpd.GeoDataFrame({s.PROGRAM: []}, geometry=[], crs=DISPLAY_CRS)
    return WorkAreas(
        per_kel=work,
        ha={name: area_ha(w) for name, w in work.items()},
        present=present,
        methods=_match_methods(city, layers, present),
        rows=gpd.GeoDataFrame(rows_frame, geometry="geometry", crs=DISPLAY_CRS),
        outside_ha=outside_ha,
        lists=frozenset(name for name, layer in layers.items() if _is_list(layer)),
    )


def _per_kelurahan(
    city: ProjectedCity, name: str, work: np.ndarray, kidx: np.ndarray, rows: np.ndarray
) -> gpd.GeoDataFrame:
    """A list program's work area: one feature per kelurahan, with the rows it came from.

    Each row of a list carries its kelurahan's whole polygon, and a list names a kelurahan
    once per RT or kawasan: one feature per row would stack copies of the same ground.
    ``baris_sumber`` lists the source rows (``"4; 17; 230"``), ``jumlah_baris`` counts them.
    """
    by_kel = pd.Series(rows).groupby(kidx).agg(lambda r: sorted(set(int(v) for v in r)))
    k = by_kel.index.to_numpy(dtype=int)
    geoms = work[k]
    keep = shapely.area(geoms) > 0
    k, listed = k[keep], by_kel.to_numpy()[keep]
    columns = {
        s.PROGRAM: name,
        s.SUMBER_BARIS: np.array(["; ".join(map(str, r)) for r in listed], dtype=object),
        s.JUMLAH_BARIS: np.array([len(r) for r in listed], dtype=int),
    }
    return city.frame(k, geoms[keep], columns, ha=area_ha(geoms[keep]))


def _is_list(layer: gpd.GeoDataFrame) -> bool:
    """A program given as a list of kelurahan (its rows carry the matched codes)."""
    return s.KODE in layer and bool(layer[s.KODE].notna().any())


def _presence(
    city: ProjectedCity, work: np.ndarray, layer: gpd.GeoDataFrame, min_presence_ha: float
) -> np.ndarray:
    """Whether a program counts for each kelurahan's status.

    A program given as a list counts where it lists the kelurahan; one given as polygons
    where its real (non-sliver) work area there is at least ``min_presence_ha``.
    """
    if _is_list(layer):
        return np.isin(city.codes, layer[s.KODE].dropna().to_numpy())
    pieces = city.explode(work)
    real = ~pieces.sliver
    real_ha = city.per_kel(pieces.kidx[real], pieces.ha[real])
    return (np.bincount(pieces.kidx[real], minlength=city.n) > 0) & (real_ha >= min_presence_ha)


def _match_methods(
    city: ProjectedCity,
    layers: Mapping[str, gpd.GeoDataFrame],
    present: Mapping[str, np.ndarray],
) -> np.ndarray:
    """How each kelurahan was matched by the programs given as lists."""
    methods = np.full(city.n, "", dtype=object)
    for name, layer in layers.items():
        if not _is_list(layer) or s.METODE_COCOK not in layer:
            continue
        how = dict(zip(layer[s.KODE], layer[s.METODE_COCOK], strict=False))
        for k in np.flatnonzero(present[name]):
            sep = "; " if methods[k] else ""
            methods[k] = f"{methods[k]}{sep}{name}: {how[city.codes[k]]}"
    return methods


def combinations(work: Sequence[np.ndarray], n: int) -> tuple[Regions, np.ndarray]:
    """Ground per exact combination of programs, per kelurahan.

    Parameters
    ----------
    work : sequence of ndarray of Geometry
        Each program's work area per kelurahan (length ``n`` each), in program order.
    n : int
        Number of kelurahan.

    Returns
    -------
    regions : dict of frozenset to ndarray of Geometry
        Combination of program positions to its ground in each kelurahan, in order of the
        sorted combinations; only combinations with some ground.
    covered : ndarray of Geometry
        The union of every work area, per kelurahan.

    Examples
    --------
    >>> a, b = np.array([shapely.box(0, 0, 2, 1)]), np.array([shapely.box(1, 0, 3, 1)])
    >>> regions, covered = combinations([a, b], 1)
    >>> {tuple(sorted(k)): float(shapely.area(g[0])) for k, g in regions.items()}
    {(0,): 1.0, (0, 1): 1.0, (1,): 1.0}
    """
    regions: Regions = {}
    covered = np.array([EMPTY] * n, dtype=object)
    for i, w in enumerate(work):
        if not (shapely.area(w) > 0).any():
            continue
        nxt: Regions = {}
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
    return dict(sorted(regions.items(), key=lambda kv: sorted(kv[0]))), covered


def combination_label(names: Sequence[str], combo: frozenset[int]) -> str:
    """The name of a program combination, e.g. ``"NSUP + NUSP-2"``.

    Parameters
    ----------
    names : sequence of str
        The program names, in config order.
    combo : frozenset of int
        Positions in ``names`` of the programs in the combination.

    Returns
    -------
    str
        Their names in config order, joined by ``" + "``.

    Examples
    --------
    >>> combination_label(["NSUP", "NUSP-2", "APBD"], frozenset([2, 0]))
    'NSUP + APBD'
    """
    return s.PROGRAM_JOIN.join(names[i] for i in sorted(combo))


def overlap_pieces(city: ProjectedCity, regions: Regions, names: Sequence[str]) -> Pieces:
    """The overlap pieces: the ground of two or more programs, labelled by combination.

    Parameters
    ----------
    city : ProjectedCity
        The city.
    regions : dict of frozenset to ndarray of Geometry
        As :func:`combinations` returns them.
    names : sequence of str
        Program names, in the order of the positions in ``regions``.

    Returns
    -------
    Pieces
        Hectares of ground, with each piece's combination as its label.
    """
    parts = []
    for combo, per_k in regions.items():
        if len(combo) >= 2:
            p = city.explode(per_k)
            label = np.full(len(p.kidx), combination_label(names, combo), dtype=object)
            parts.append(Pieces(p.kidx, p.geoms, p.ha, p.reason, label))
    return Pieces.concat(parts)
