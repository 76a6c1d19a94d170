"""The kelurahan of a city made disjoint, and pieces split among them.

Upstream kelurahan polygons overlap their neighbours along the borders; each such
*seam* (a digitising sliver of the boundary data itself) is given to the kelurahan
whose code sorts first, so every piece of ground lies in exactly one kelurahan and
per-kelurahan figures add up to the city's.

* :class:`Partition`: the seams of a city's kelurahan (those that matter for a set of
  pieces), the disjoint parts made on demand, and pieces of work area or slum split
  among the kelurahan (:meth:`Partition.attribute`);
* :func:`disjoint_parts`: every kelurahan polygon minus those whose code sorts before
  it (the reconciliation of :mod:`kotaku_map.sync` uses it).

Geometries are in metres (the city's local equal-area CRS); every cut is an overlay of
:mod:`kotaku_map.overlay`, on its 1 mm grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely import STRtree

from .geometry import SEAM_SHARE, polygonal
from .overlay import EMPTY, GRID, difference, intersection, pairs_in, sum_per

__all__ = ["Partition", "disjoint_parts"]

#: a piece lies in the seams by this share at most (slack for the 1 mm snapping)
_SNAP_SLACK = 0.99


def disjoint_parts(geoms: Sequence[Any] | np.ndarray, codes: Sequence[Any]) -> np.ndarray:
    """Each kelurahan polygon minus those whose code sorts before it.

    Parameters
    ----------
    geoms : array of Geometry
        Kelurahan polygons in metres.
    codes : sequence
        Their codes, compared as strings (ties keep the given order).

    Returns
    -------
    ndarray of Geometry
        The disjoint parts, in the order of ``geoms``.

    Examples
    --------
    >>> kel = [shapely.box(0, 0, 102, 100), shapely.box(100, 0, 200, 100)]
    >>> shapely.area(disjoint_parts(kel, ["33.75.01.1002", "33.75.01.1001"])).tolist()
    [10000.0, 10000.0]
    """
    geoms = np.asarray(geoms, dtype=object)
    keys = np.array([str(c) for c in codes], dtype=object)
    order = np.argsort(keys, kind="stable")
    ordered = geoms[order]
    whole = Partition(ordered, [ordered])  # every seam
    out = np.empty(len(geoms), dtype=object)
    out[order] = whole.parts(np.arange(len(ordered)))
    return out


class Partition:
    """The kelurahan of a city made disjoint: each one minus the ones that sort before it.

    Only the seams are computed up front, and only between two kelurahan that one piece
    of work area or slum (of ``pieces``) intersects both of: a seam lies in both, so only
    such a piece can meet it; a seam no piece meets changes nothing. A kelurahan's
    disjoint part (its polygon minus the seams it lies later in) is made only when a piece
    covers it whole (a program given as a list of kelurahan) or meets those seams; every
    other piece is cut by the kelurahan polygon alone.

    Parameters
    ----------
    kgeom : ndarray of Geometry
        Kelurahan polygons in metres, in the order that decides the seams (code order):
        a seam goes to the earlier kelurahan.
    pieces : sequence of ndarray of Geometry
        Every piece that will be split among the kelurahan (work areas, slum).

    Attributes
    ----------
    seams : ndarray of Geometry
        The seams that some piece may meet.
    later, earlier : ndarray of int
        The kelurahan each seam is taken from (later) and given to (earlier).
    seam_tree : STRtree
        Spatial index of ``seams``.

    Examples
    --------
    >>> kel = np.array([shapely.box(0, 0, 102, 100), shapely.box(100, 0, 200, 100)])
    >>> part = Partition(kel, [np.array([shapely.box(50, 0, 150, 100)])])
    >>> shapely.area(part.seams).tolist()
    [200.0]
    >>> shapely.area(part.parts(np.array([1]))).tolist()
    [9800.0]
    """

    def __init__(self, kgeom: np.ndarray, pieces: Sequence[np.ndarray]) -> None:
        self.kgeom = kgeom
        self.tree = tree = STRtree(kgeom)
        i, j = tree.query(kgeom, predicate="intersects")
        pair = j < i
        i, j = i[pair], j[pair]
        shared = _pairs_sharing_a_piece(tree, pieces, len(kgeom))
        keep = np.isin(i.astype(np.int64) * len(kgeom) + j, shared)
        i, j = i[keep], j[keep]
        # in floating precision (a third faster than snap-rounding them); every overlay
        # that uses them snap-rounds to GRID
        seams = (
            polygonal(shapely.intersection(kgeom[i], kgeom[j]))
            if len(i)
            else np.array([], dtype=object)
        )
        real = shapely.area(seams) > GRID * GRID if len(i) else np.array([], dtype=bool)
        self.seams, self.later, self.earlier = seams[real], i[real], j[real]
        self.seam_tree = STRtree(self.seams)
        self._seam_m2 = shapely.area(self.seams) if len(self.seams) else np.array([], dtype=float)
        self._seam_of = {
            (int(a), int(b)): k
            for k, (a, b) in enumerate(zip(self.later, self.earlier, strict=True))
        }
        self._parts: dict[int, Any] = {}

    def parts(self, idx: np.ndarray) -> np.ndarray:
        """The disjoint parts of kelurahan ``idx`` (made once each).

        Each polygon minus the seams it lies later in, in rounds: the r-th seam of every
        kelurahan in round r (uniting a kelurahan's seams first is slower: seams are long
        thin strips).

        Parameters
        ----------
        idx : ndarray of int
            Kelurahan indices (repeats allowed).

        Returns
        -------
        ndarray of Geometry
            One part per entry of ``idx``.
        """
        todo = np.array(sorted({int(k) for k in idx} - self._parts.keys()), dtype=int)
        if len(todo):
            made = self.kgeom[todo].copy()
            own = np.isin(self.later, todo)
            pos, cut = np.searchsorted(todo, self.later[own]), self.seams[own]
            if len(pos):
                order = np.argsort(pos, kind="stable")
                pos, cut = pos[order], cut[order]
                rank = np.arange(len(pos)) - np.searchsorted(pos, pos)  # position per kelurahan
                for r in range(int(rank.max()) + 1):
                    sel = rank == r
                    made[pos[sel]] = difference(made[pos[sel]], cut[sel])
            self._parts.update(zip(todo.tolist(), made, strict=True))
        return np.array([self._parts[int(k)] for k in idx], dtype=object)

    def with_parts(self, idx: np.ndarray) -> np.ndarray:
        """All kelurahan polygons, with the disjoint part in place for ``idx``.

        Parameters
        ----------
        idx : ndarray of int
            The kelurahan whose disjoint part is wanted.

        Returns
        -------
        ndarray of Geometry
            One geometry per kelurahan.
        """
        out = self.kgeom.copy()
        idx = np.unique(np.asarray(idx, dtype=int))
        out[idx] = self.parts(idx)
        return out

    def seam_share(self, geoms: np.ndarray) -> np.ndarray:
        """The share of each geometry's area that lies in the seams, where it may matter.

        Measured only for a piece that could be a seam sliver (the seams it meets are
        large enough for :data:`kotaku_map.geometry.SEAM_SHARE` of it); 0 for the others.

        Parameters
        ----------
        geoms : ndarray of Geometry
            Pieces in metres.

        Returns
        -------
        ndarray of float
            One share (0 to 1) per piece.
        """
        share = np.zeros(len(geoms))
        if len(self.seams) and len(geoms):
            a, b = self.seam_tree.query(geoms, predicate="intersects")
            # a piece can lie 90 % in seams only if the seams it meets are that large:
            # only those few pieces need the overlay
            m2 = shapely.area(geoms)
            reach = sum_per(a, self._seam_m2[b], len(geoms))
            maybe = reach[a] >= _SNAP_SLACK * SEAM_SHARE * m2[a]
            a, b = a[maybe], b[maybe]
            if len(a):
                m2_in = shapely.area(intersection(geoms[a], self.seams[b]))
                in_seam = sum_per(a, m2_in, len(geoms))
                share = in_seam / np.maximum(m2, 1e-12)
        return share

    def _meets_own_seam(self, geoms: np.ndarray, kidx: np.ndarray) -> np.ndarray:
        """Whether each geometry meets a seam that its kelurahan ``kidx`` lies later in."""
        out = np.zeros(len(geoms), dtype=bool)
        if len(self.seams) and len(geoms):
            g, k = self.seam_tree.query(geoms, predicate="intersects")
            out[g[self.later[k] == kidx[g]]] = True
        return out

    def attribute(
        self, pieces: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Split pieces among the kelurahan.

        A piece meeting seams its kelurahan lies later in is cut by the kelurahan's
        disjoint part. Every other pair is cut by the kelurahan polygon, and most need no
        overlay at all: a piece inside it (a slum RT polygon) is itself; a piece covering it
        is its part; a piece that *is* another kelurahan's polygon (a program given as a
        list) meets it only in their seam.

        Parameters
        ----------
        pieces : ndarray of Geometry
            Pieces in metres (work-area or slum polygons).

        Returns
        -------
        tuple of ndarray
            ``(piece index, kelurahan index, geometry, m²)`` of every non-empty cut.
        """
        if len(pieces) == 0:
            e = np.array([], dtype=int)
            return e, e, np.array([], dtype=object), np.array([], dtype=float)
        tree, kgeom = self.tree, self.kgeom
        a, b = tree.query(pieces, predicate="intersects")  # tests predicate(piece, kelurahan)
        inter = np.empty(len(a), dtype=object)
        within = pairs_in(a, b, *tree.query(pieces, predicate="within"))
        covers = pairs_in(a, b, *tree.query(pieces, predicate="covers"))
        # pieces that are a kelurahan polygon, vertex for vertex (within and covering it)
        same = np.full(len(pieces), -1)
        c = np.flatnonzero(within & covers)
        ident = shapely.equals_identical(pieces[a[c]], kgeom[b[c]])
        same[a[c[ident]]] = b[c[ident]]
        within &= ~covers
        inter[within] = pieces[a[within]]
        inter[covers] = self.parts(b[covers])
        via_seam = ~(within | covers) & (same[a] >= 0)
        for m in np.flatnonzero(via_seam).tolist():
            k, other = int(same[a[m]]), int(b[m])
            seam = self._seam_of.get((max(k, other), min(k, other)))
            # the seam is the neighbour's only if the neighbour sorts first
            inter[m] = self.seams[seam] if seam is not None and other < k else EMPTY
        rest = ~(within | covers | via_seam)
        # where a piece meets a seam its kelurahan lies later in, the part cuts it
        check = within | via_seam | rest
        geoms = np.where(rest, pieces[a], inter)
        by_part = np.zeros(len(a), dtype=bool)
        by_part[check] = self._meets_own_seam(geoms[check], b[check])
        if by_part.any():
            inter[by_part] = intersection(pieces[a[by_part]], self.parts(b[by_part]))
        rest &= ~by_part
        inter[rest] = intersection(pieces[a[rest]], kgeom[b[rest]])
        area = shapely.area(inter)
        keep = area > 0
        return a[keep], b[keep], inter[keep], area[keep]


def _pairs_sharing_a_piece(tree: STRtree, pieces: Sequence[np.ndarray], n: int) -> np.ndarray:
    """Keys ``i * n + j`` (i > j) of the kelurahan pairs that some single piece intersects."""
    keys = []
    for g in pieces:
        if len(g) == 0:
            continue
        p, k = tree.query(g, predicate="intersects")
        order = np.lexsort((k, p))
        p, k = p[order], k[order]
        _, start, count = np.unique(p, return_index=True, return_counts=True)
        for c in np.unique(count[count > 1]).tolist():  # groups of c kelurahan: all pairs
            rows = start[count == c][:, None] + np.arange(c)[None, :]
            first, second = np.triu_indices(c, 1)  # first < second
            ks = k[rows]  # sorted within a group: the second of a pair is the later one
            keys.append((ks[:, second].astype(np.int64) * n + ks[:, first]).ravel())
    return np.unique(np.concatenate(keys)) if keys else np.array([], dtype=np.int64)
