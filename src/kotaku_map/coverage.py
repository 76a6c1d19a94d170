"""Slum per kelurahan, the slum each program combination covers, and the coverage gaps.

* :func:`slum_per_kelurahan`: slum polygons split among the kelurahan, or a slum table's
  stated hectares spread evenly over each listed kelurahan (a *density* of slum hectares
  per hectare of ground);
* :func:`covered_slum`: the slum inside each exact combination of programs (the slum in
  overlap slivers is not covered: it counts as sliver slum);
* :func:`gap_pieces`: the coverage gaps (*celah cakupan*), slum minus every work area.

Everything runs per kelurahan, vectorised over the kelurahan of a city, in metres.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import schema as s
from .crs import M2_PER_HA, area_ha
from .overlaps import combination_label
from .overlay import EMPTY, difference, grouped_union, intersection, union_all
from .projected_city import Pieces, ProjectedCity

__all__ = ["Slum", "covered_slum", "gap_pieces", "slum_per_kelurahan"]


@dataclass(frozen=True)
class Slum:
    """The slum in a city.

    Parameters
    ----------
    per_kel : ndarray of Geometry
        The slum ground in each kelurahan (metres).
    density : ndarray of float
        Slum hectares per hectare of that ground (1 for polygons; a table's stated
        hectares over the kelurahan's area).
    rows : GeoDataFrame
        The slum pieces per kelurahan (the ``kawasan_kumuh`` layer).
    outside_ha : float
        Slum outside every kelurahan.
    pieces : tuple of ndarray
        ``(row, kidx, geoms)``: each source row's piece in each kelurahan (row: its
        position in the slum rows given; geoms in metres), for :mod:`kotaku_map.lingkungan`.
    outside_m2 : ndarray of float
        Each source row's ground outside every kelurahan, m² (zeros for a table).
    """

    per_kel: np.ndarray
    density: np.ndarray
    rows: gpd.GeoDataFrame
    outside_ha: float
    pieces: tuple[np.ndarray, np.ndarray, np.ndarray] = (
        np.array([], dtype=int),
        np.array([], dtype=int),
        np.array([], dtype=object),
    )
    outside_m2: np.ndarray = field(default_factory=lambda: np.array([], dtype=float))

    @property
    def ha(self) -> np.ndarray:
        """Slum hectares per kelurahan."""
        return area_ha(self.per_kel) * self.density

    def ha_in(self, city: ProjectedCity, kidx: np.ndarray, geoms: np.ndarray) -> np.ndarray:
        """Slum hectares inside pieces that each lie in kelurahan ``kidx``, per kelurahan.

        Parameters
        ----------
        city : ProjectedCity
            The city.
        kidx : ndarray of int
            The kelurahan of each piece.
        geoms : ndarray of Geometry
            The pieces, in metres.

        Returns
        -------
        ndarray of float
            One figure per kelurahan of the city (zeros where no piece lies).
        """
        if len(kidx) == 0:
            return np.zeros(city.n)
        ha = area_ha(intersection(geoms, self.per_kel[kidx])) * self.density[kidx]
        return city.per_kel(kidx, ha)


def slum_per_kelurahan(city: ProjectedCity, slum: pd.DataFrame, sgeom: np.ndarray) -> Slum:
    """The slum of a city per kelurahan, from polygons or from a table.

    Parameters
    ----------
    city : ProjectedCity
        The city.
    slum : DataFrame
        Slum rows: polygons (``tingkat``, ``baris_sumber``), or table rows with ``kode``
        and ``luas_tabel_ha``.
    sgeom : ndarray of Geometry
        The slum polygons in metres (unused for a table).

    Returns
    -------
    Slum
    """
    if s.LUAS_TABEL_HA in slum:
        return _from_table(city, slum)
    return _from_polygons(city, slum, sgeom)


def _from_table(city: ProjectedCity, sl: pd.DataFrame) -> Slum:
    """Slum given as a table: the stated hectares spread over the listed kelurahan."""
    stated = sl.groupby(s.KODE)[s.LUAS_TABEL_HA].sum()
    listed = pd.Series(city.codes).map(stated).fillna(0.0).to_numpy(float)
    pos = {c: i for i, c in enumerate(city.codes)}
    sk = np.array([pos.get(c, -1) for c in sl[s.KODE]], dtype=int)
    ok = sk >= 0
    # the listed kelurahan's disjoint parts (the others keep their polygon, unused)
    parts = city.partition.with_parts(np.union1d(np.flatnonzero(listed > 0), sk[ok]))
    kel_ha = area_ha(parts)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(kel_ha > 0, listed / kel_ha, 0.0)
    columns = {
        s.TINGKAT: sl[s.TINGKAT].to_numpy()[ok] if s.TINGKAT in sl else "tidak diketahui",
        s.LUAS_HA: sl[s.LUAS_TABEL_HA].to_numpy(float)[ok],
        s.SUMBER_BARIS: (
            sl[s.SUMBER_BARIS].to_numpy()[ok] if s.SUMBER_BARIS in sl else np.flatnonzero(ok) + 1
        ),
    }
    return Slum(
        per_kel=np.where(listed > 0, parts, EMPTY),
        density=density,
        rows=city.frame(sk[ok], parts[sk[ok]], columns),
        outside_ha=0.0,
        pieces=(np.flatnonzero(ok), sk[ok], parts[sk[ok]]),
        outside_m2=np.zeros(len(sl)),
    )


def _from_polygons(city: ProjectedCity, sl: pd.DataFrame, sgeom: np.ndarray) -> Slum:
    """Slum polygons split among the kelurahan; the slum outside every kelurahan measured."""
    sidx, skidx, spieces, sm2 = city.partition.attribute(sgeom)
    # slum outside every kelurahan: each row minus its pieces inside, united
    outside_ha = 0.0
    outside_m2 = np.zeros(len(sgeom))
    if len(sgeom):
        inside_by_row = grouped_union(sidx, spieces, len(sgeom))
        # a row whose one piece is the row itself (inside its kelurahan) has nothing outside:
        # no overlay for it (the overlay of a shape minus itself is empty)
        whole = np.array([p is g for p, g in zip(inside_by_row, sgeom, strict=True)], dtype=bool)
        outside = difference(np.where(whole, EMPTY, sgeom), inside_by_row)
        outside_m2 = shapely.area(outside)
        outside = outside[outside_m2 > 0]
        outside_ha = float(area_ha(union_all(outside))) if len(outside) else 0.0
    columns = {
        s.TINGKAT: (
            sl[s.TINGKAT].to_numpy()[sidx]
            if s.TINGKAT in sl
            else np.full(len(sidx), "tidak diketahui", dtype=object)
        ),
        s.LUAS_HA: sm2 / M2_PER_HA,
        s.SUMBER_BARIS: sl[s.SUMBER_BARIS].to_numpy()[sidx] if s.SUMBER_BARIS in sl else sidx + 1,
    }
    return Slum(
        per_kel=grouped_union(skidx, spieces, city.n),
        density=np.ones(city.n),
        rows=city.frame(skidx, spieces, columns),
        outside_ha=outside_ha,
        pieces=(sidx, skidx, spieces),
        outside_m2=outside_m2,
    )


def covered_slum(
    city: ProjectedCity,
    regions: Mapping[frozenset[int], np.ndarray],
    overlaps: Pieces,
    slum: Slum,
    names: Sequence[str],
) -> tuple[np.ndarray, dict[str, float], np.ndarray]:
    """Covered slum per kelurahan and per combination, and the slum in overlap slivers.

    Parameters
    ----------
    city : ProjectedCity
        The city.
    regions : dict of frozenset to ndarray of Geometry
        Ground per exact program combination (:func:`kotaku_map.overlaps.combinations`).
    overlaps : Pieces
        The overlap pieces (:func:`kotaku_map.overlaps.overlap_pieces`).
    slum : Slum
        The slum per kelurahan.
    names : sequence of str
        Program names, in the order of the positions in ``regions``.

    Returns
    -------
    covered : ndarray of float
        Covered slum hectares per kelurahan (overlap slivers excluded).
    per_combination : dict of str to float
        Covered slum hectares of the city per combination label.
    in_slivers : ndarray of float
        Slum hectares inside overlap slivers, per kelurahan.
    """
    per_combo: dict[str, float] = {}
    covered = np.zeros(city.n)
    real = ~overlaps.sliver
    for combo, g in regions.items():
        label = combination_label(names, combo)
        if len(combo) >= 2:
            sel = (overlaps.label == label) & real
            v = slum.ha_in(city, overlaps.kidx[sel], overlaps.geoms[sel])
        else:
            v = area_ha(intersection(g, slum.per_kel)) * slum.density
        covered += v
        per_combo[label] = float(v.sum())
    in_slivers = slum.ha_in(city, overlaps.kidx[~real], overlaps.geoms[~real])
    return covered, per_combo, in_slivers


def gap_pieces(city: ProjectedCity, slum: Slum, work: np.ndarray) -> Pieces:
    """The coverage gaps: slum minus every work area, as single polygons.

    Parameters
    ----------
    city : ProjectedCity
        The city.
    slum : Slum
        The slum per kelurahan.
    work : ndarray of Geometry
        The union of every work area per kelurahan.

    Returns
    -------
    Pieces
        Hectares of slum (the table's density applied).
    """
    p = city.explode(difference(slum.per_kel, work))
    return Pieces(p.kidx, p.geoms, p.ha * slum.density[p.kidx], p.reason, p.label)
