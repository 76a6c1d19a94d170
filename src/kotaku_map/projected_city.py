"""One city in its local equal-area CRS: the state every step of the analysis reads.

:func:`project_city` projects a city's kelurahan, program and slum layers into one local
Lambert equal-area CRS (:func:`kotaku_map.crs.local_metric_crs`), so that every square
metre is an ellipsoidal one, and makes the kelurahan partition
(:class:`kotaku_map.partition.Partition`) for the pieces that will be split among them.
:class:`ProjectedCity` holds the result; :class:`Pieces` are the single polygons of a
finding (overlap or gap), each in one kelurahan, with their hectares and sliver test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from . import schema as s
from .crs import DISPLAY_CRS, M2_PER_HA, local_metric_crs, reproject
from .errors import InputError
from .geometry import polygonal, sliver_reasons
from .overlay import sum_per
from .partition import Partition

__all__ = ["Pieces", "ProjectedCity", "project_city"]


@dataclass(frozen=True)
class Pieces:
    """Single polygons of a finding, each in one kelurahan.

    Parameters
    ----------
    kidx : ndarray of int
        The kelurahan of each piece.
    geoms : ndarray of Geometry
        The polygons, in metres.
    ha : ndarray of float
        Hectares of each piece: of ground (overlaps), or of slum (gaps).
    reason : ndarray of str
        Why each piece is a sliver (:func:`kotaku_map.geometry.sliver_reasons`), ``""``
        where it is real.
    label : ndarray of str
        The program combination of each overlap piece (``""`` for a gap).
    """

    kidx: np.ndarray
    geoms: np.ndarray
    ha: np.ndarray
    reason: np.ndarray
    label: np.ndarray

    @property
    def sliver(self) -> np.ndarray:
        """Which pieces are slivers (a boolean mask)."""
        return self.reason != ""

    @classmethod
    def concat(cls, parts: Sequence[Pieces]) -> Pieces:
        """The pieces of ``parts`` one after another (labels as well).

        Parameters
        ----------
        parts : sequence of Pieces
            Labelled pieces.

        Returns
        -------
        Pieces
            Empty arrays of the right types where ``parts`` is empty.
        """
        if not parts:
            e = np.array([], dtype=object)
            return cls(np.array([], dtype=int), e, np.array([], dtype=float), e, e)
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))


@dataclass(frozen=True)
class ProjectedCity:
    """One city in its local equal-area CRS: what every step of the analysis reads.

    Parameters
    ----------
    kel : GeoDataFrame
        The kelurahan, sorted by code, in display CRS.
    kgeom : ndarray of Geometry
        Their polygons in ``crs`` (metres).
    crs : pyproj.CRS
        The city's local equal-area CRS.
    partition : Partition
        The kelurahan made disjoint, for the city's pieces.
    codes, names : ndarray
        Code and name of each kelurahan.
    sliver_width_m, sliver_area_m2 : float
        Sliver thresholds.
    """

    kel: gpd.GeoDataFrame
    kgeom: np.ndarray
    crs: CRS
    partition: Partition
    codes: np.ndarray
    names: np.ndarray
    sliver_width_m: float
    sliver_area_m2: float

    @property
    def n(self) -> int:
        """Number of kelurahan."""
        return len(self.kgeom)

    def to_display(self, geoms: np.ndarray) -> gpd.GeoSeries:
        """Geometries in metres back to display CRS.

        Parameters
        ----------
        geoms : ndarray of Geometry
            Geometries in the city's ``crs``.

        Returns
        -------
        GeoSeries
            In EPSG:4326, same order.
        """
        return gpd.GeoSeries(reproject(geoms, self.crs, DISPLAY_CRS), crs=DISPLAY_CRS)

    def per_kel(self, kidx: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Sum ``values`` per kelurahan ``kidx``: one figure per kelurahan.

        Parameters
        ----------
        kidx : ndarray of int
            The kelurahan of each value.
        values : ndarray of float
            The values to sum.

        Returns
        -------
        ndarray of float
            Length :attr:`n` (zeros where none).
        """
        return sum_per(kidx, values, self.n)

    def frame(
        self,
        kidx: np.ndarray,
        geoms: np.ndarray,
        columns: dict[str, Any],
        ha: np.ndarray | None = None,
    ) -> gpd.GeoDataFrame:
        """Rows of pieces in kelurahan ``kidx``, in display CRS.

        Columns: ``columns``, then ``kode``, ``kelurahan`` and ``luas_ha`` (if ``ha``).

        Parameters
        ----------
        kidx : ndarray of int
            The kelurahan of each piece.
        geoms : ndarray of Geometry
            The pieces, in the city's ``crs``.
        columns : dict of str to object
            The first columns: a scalar or one value per piece each.
        ha : ndarray of float, optional
            Hectares of each piece, the ``luas_ha`` column (none if not given).

        Returns
        -------
        GeoDataFrame
            One row per piece, in EPSG:4326.
        """
        cols = {**columns, s.KODE: self.codes[kidx], s.KELURAHAN: self.names[kidx]}
        if ha is not None:
            cols[s.LUAS_HA] = ha
        # the geometry as a column that carries its CRS: half the time of ``geometry=, crs=``
        cols["geometry"] = self.to_display(geoms).values
        return gpd.GeoDataFrame(cols, geometry="geometry")

    def explode(self, per_k: np.ndarray) -> Pieces:
        """Single polygons of a per-kelurahan array, with hectares and sliver test.

        Parameters
        ----------
        per_k : ndarray of Geometry
            One geometry per kelurahan, in metres.

        Returns
        -------
        Pieces
            Every non-empty polygon, with the kelurahan it lies in.
        """
        single, kidx = shapely.get_parts(per_k, return_index=True)
        m2 = shapely.area(single)
        keep = m2 > 0
        single, kidx, m2 = single[keep], kidx[keep], m2[keep]
        reason = sliver_reasons(
            single,
            width_m=self.sliver_width_m,
            area_m2=self.sliver_area_m2,
            seam_share=self.partition.seam_share(single),
        )
        return Pieces(kidx, single, m2 / M2_PER_HA, reason, np.full(len(kidx), "", dtype=object))


def project_city(
    kelurahan: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    slum: gpd.GeoDataFrame,
    *,
    sliver_width_m: float,
    sliver_area_m2: float,
) -> tuple[ProjectedCity, dict[str, np.ndarray], np.ndarray]:
    """The city in its local equal-area CRS, with the programs' and the slum polygons.

    Parameters
    ----------
    kelurahan : GeoDataFrame
        The city's kelurahan (any CRS).
    layers : mapping of name to GeoDataFrame
        Each program's work-area polygons.
    slum : GeoDataFrame
        Slum polygons, or slum table rows (with ``luas_tabel_ha``: the listed kelurahan's
        own polygon is then the slum's piece).
    sliver_width_m, sliver_area_m2 : float
        Sliver thresholds.

    Returns
    -------
    tuple
        The :class:`ProjectedCity`, each program's polygons in metres, the slum polygons
        in metres (none for a table).

    Raises
    ------
    InputError
        If no kelurahan of the city has a geometry.
    """
    kel = kelurahan.to_crs(DISPLAY_CRS).sort_values(s.KODE, kind="stable", na_position="last")
    kel = kel.reset_index(drop=True)
    crs = local_metric_crs(kel)
    if crs is None:
        name = kel[s.KABKOTA].iloc[0] if len(kel) else "?"
        raise InputError(f"kelurahan of {name}: no geometry (every polygon is empty)")
    kgeom = _project(kel, crs)
    geoms = {
        name: _project(layer, crs) if len(layer) else np.array([], dtype=object)
        for name, layer in layers.items()
    }
    table = s.LUAS_TABEL_HA in slum
    sgeom = _project(slum, crs) if len(slum) and not table else np.array([], dtype=object)
    every_piece = [*geoms.values(), sgeom]
    if table:  # slum as a table: the listed kelurahan's own ground is its piece
        every_piece.append(kgeom[np.isin(kel[s.KODE].to_numpy(), slum[s.KODE].to_numpy())])
    city = ProjectedCity(
        kel=kel,
        kgeom=kgeom,
        crs=crs,
        partition=Partition(kgeom, every_piece),
        codes=kel[s.KODE].to_numpy(),
        names=kel[s.KELURAHAN].to_numpy(),
        sliver_width_m=sliver_width_m,
        sliver_area_m2=sliver_area_m2,
    )
    return city, geoms, sgeom


def _project(gdf: gpd.GeoDataFrame, crs: CRS) -> np.ndarray:
    """The polygons of ``gdf`` in ``crs``, valid and polygonal."""
    if gdf.crs is None:
        gdf.to_crs(crs)  # geopandas says why it cannot
    geoms = reproject(np.asarray(gdf.geometry.values, dtype=object), gdf.crs, crs)
    # every overlay snap-rounds its inputs to GRID; only a polygon the projection
    # made invalid needs repair first
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad])
    return polygonal(geoms)
