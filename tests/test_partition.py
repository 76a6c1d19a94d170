"""The kelurahan partition: seams go to the code that sorts first, pieces split exactly."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from kotaku_map.overlay import difference, intersection
from kotaku_map.partition import Partition, disjoint_parts


def plain_parts(kel):
    """Every kelurahan minus every earlier one, the slow and obvious way."""
    plain = kel.copy()
    for i in range(len(kel)):
        for j in range(i):
            plain[i] = difference(plain[i], intersection(kel[i], kel[j]))
    return plain


def test_pieces_are_split_among_kelurahan_exactly_as_by_their_disjoint_parts():
    """The shortcuts (piece inside, covering, identical to a kelurahan) change nothing."""
    rng = np.random.default_rng(7)
    # a 4 x 3 grid of 1 km kelurahan, each drawn up to 6 m too wide: they overlap in seams
    kel = np.array(
        [
            shapely.box(x * 1000 - w, y * 1000 - w, x * 1000 + 1000 + w, y * 1000 + 1000 + w)
            for y in range(3)
            for x in range(4)
            for w in [rng.uniform(0, 6)]
        ],
        dtype=object,
    )
    pieces = np.array(
        [
            shapely.box(100, 100, 300, 300),  # inside one kelurahan
            shapely.box(900, 100, 1200, 400),  # across a border (and its seam)
            shapely.box(-50, -50, 2100, 1100),  # covering two kelurahan whole
            kel[5],  # a kelurahan itself (a listed one)
            kel[0],  # the first one (no earlier neighbour)
            shapely.Point(2500, 2500).buffer(700),  # across four
            shapely.box(3000.5, 0, 3001.5, 1000),  # a 1 m strip along a seam
        ],
        dtype=object,
    )
    part = Partition(kel, [pieces])
    a, b, geoms, m2 = part.attribute(pieces)

    # the plain way: every kelurahan minus every earlier one, every piece cut by each
    plain = kel.copy()
    for i in range(len(kel)):
        for j in range(i):
            plain[i] = difference(plain[i], intersection(kel[i], kel[j]))
    expected = {
        (p, k): float(shapely.area(intersection(pieces[p], plain[k])))
        for p in range(len(pieces))
        for k in range(len(kel))
    }
    got = dict.fromkeys(expected, 0.0)
    for p, k, area in zip(a, b, m2, strict=True):
        got[(int(p), int(k))] += float(area)
    # equal to the precision of the 1 mm grid (snapping a 1 km square moves ~1 m²: 1e-6)
    assert got == pytest.approx(expected, rel=1e-5, abs=1e-2)
    # and the pieces of one piece never overlap: they add up to the piece (inside the grid)
    inside = np.bincount(a, weights=m2, minlength=len(pieces))
    clipped = shapely.area(shapely.intersection(pieces, shapely.union_all(kel)))
    assert inside == pytest.approx(clipped, rel=1e-5, abs=1e-2)


def test_disjoint_parts_give_each_seam_to_the_code_that_sorts_first():
    # three 100 m squares drawn 2 m too wide, listed out of code order
    kel = np.array([shapely.box(x * 100, 0, x * 100 + 102, 100) for x in range(3)], dtype=object)
    codes = ["33.75.01.1003", "33.75.01.1001", "33.75.01.1002"]
    parts = disjoint_parts(kel, codes)
    order = np.argsort(codes)
    expected = np.empty(3, dtype=object)
    expected[order] = plain_parts(kel[order])
    assert shapely.area(parts).tolist() == pytest.approx(shapely.area(expected).tolist())
    # 1001 (the middle square) keeps both its seams; 1003 (the first) loses one
    assert shapely.area(parts).tolist() == pytest.approx([10_000.0, 10_200.0, 10_000.0])
    for i in range(3):
        for j in range(i):
            assert shapely.area(shapely.intersection(parts[i], parts[j])) == pytest.approx(0)


def test_the_seam_share_is_measured_only_where_a_piece_may_be_a_seam_sliver():
    kel = np.array([shapely.box(0, 0, 102, 100), shapely.box(100, 0, 200, 100)], dtype=object)
    pieces = np.array(
        [shapely.box(100, 0, 102, 50), shapely.box(50, 0, 150, 100), shapely.box(0, 0, 10, 10)],
        dtype=object,
    )
    share = Partition(kel, [pieces]).seam_share(pieces)
    assert share.tolist() == pytest.approx([1.0, 0.0, 0.0])
