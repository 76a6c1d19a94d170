"""Published hectares: rounded once, so the accounting holds exactly as the files state it.

The tables write hectares with four decimals (0.0001 ha = 1 m²). Rounding each figure on
its own would break the documented identities by a unit here and there (``kumuh_ha =
tercakup_ha + celah_ha + sliver_ha``, the slum per program combination adding up to
``tercakup_ha``), and float noise of the overlays (a few m² on a whole city) would show
as a covered area above the slum it covers, or as ``-0.0015`` ha outside the boundaries.

So the analysis publishes figures in whole units of 0.0001 ha:

* :func:`round_ha` (:func:`ha_units`): a figure that is a measurement of its own: never
  negative, rounded;
* :func:`apportion`: a total rounded, and its parts rounded so that they add up to it
  exactly (split in proportion to the measured parts, largest remainders first, the
  method of apportioning seats); a sum of published figures is again exact;
* :func:`split_units`: published totals (whole units) split among the parts of each, by
  weights, the same way: the parts of a kelurahan's published figure (its lingkungan, say)
  add up to it exactly.
"""

from __future__ import annotations

import numpy as np

__all__ = ["HA_DECIMALS", "HA_UNIT", "apportion", "ha_units", "round_ha", "split_units", "to_ha"]

#: decimals of every published hectare figure (the CSV writes ``%.4f``)
HA_DECIMALS = 4
#: units of 0.0001 ha per hectare
HA_UNIT = 10**HA_DECIMALS


def round_ha(values: np.ndarray | float) -> np.ndarray:
    """Hectares as published: float noise below zero made zero, rounded to 0.0001 ha.

    Parameters
    ----------
    values : ndarray of float or float
        Measured hectares.

    Returns
    -------
    ndarray of float
        The same shape, each a multiple of 0.0001 (as near as a float gets).

    Examples
    --------
    >>> round_ha(np.array([-0.0015, 13.80158121, 2.00005])).tolist()
    [0.0, 13.8016, 2.0]
    """
    return to_ha(ha_units(values))


def ha_units(values: np.ndarray | float) -> np.ndarray:
    """Hectares in whole units of 0.0001 ha, float noise below zero made zero.

    Parameters
    ----------
    values : ndarray of float or float
        Measured hectares.

    Returns
    -------
    ndarray of int64

    Examples
    --------
    >>> ha_units(np.array([13.80158, -1e-9])).tolist()
    [138016, 0]
    """
    return np.rint(np.clip(np.asarray(values, dtype=float), 0.0, None) * HA_UNIT).astype(np.int64)


def to_ha(units: np.ndarray) -> np.ndarray:
    """Units of 0.0001 ha as hectares (each the float nearest to its decimal).

    Parameters
    ----------
    units : ndarray of int
        Whole units of 0.0001 ha.

    Returns
    -------
    ndarray of float

    Examples
    --------
    >>> to_ha(np.array([138016, 5])).tolist()
    [13.8016, 0.0005]
    """
    return np.asarray(units, dtype=np.int64) / HA_UNIT


def apportion(
    totals: np.ndarray, parts: np.ndarray, *, rest: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Round totals, and split each among its parts in whole units that add up to it.

    Each total is rounded to 0.0001 ha; its parts are scaled to add up to it (the measured
    parts differ from the measured total by overlay noise only) and rounded down, and the
    units left go one each to the parts with the largest remainders (ties: the first part).
    Negative parts count as zero. A total whose parts are all zero goes to part ``rest``.

    Parameters
    ----------
    totals : ndarray of float, shape (n,)
        Measured totals, ha.
    parts : ndarray of float, shape (n, m)
        Measured parts of each total, ha.
    rest : int
        The part that takes a total with no measured part.

    Returns
    -------
    totals : ndarray of int, shape (n,)
        Units of 0.0001 ha.
    parts : ndarray of int, shape (n, m)
        Units of 0.0001 ha; each row adds up to its total exactly.

    Examples
    --------
    >>> t, p = apportion(np.array([13.80158]), np.array([[13.801586, 0.0, 0.0]]))
    >>> t.tolist(), p.tolist()
    ([138016], [[138016, 0, 0]])
    >>> t, p = apportion(np.array([1.0]), np.array([[1 / 3, 1 / 3, 1 / 3]]))
    >>> p.tolist()
    [[3334, 3333, 3333]]
    """
    total = ha_units(totals)
    share = np.clip(np.asarray(parts, dtype=float).reshape(len(total), -1), 0.0, None)
    if share.shape[1] == 0:
        return total, share.astype(np.int64)
    measured = share.sum(axis=1)
    none = measured <= 0
    share[none, rest] = 1.0
    measured[none] = 1.0
    exact = share / measured[:, None] * total[:, None]
    base = np.floor(exact).astype(np.int64)
    left = total - base.sum(axis=1)
    # rank of each part by remainder, largest first (stable: ties go to the first part)
    order = np.argsort(-(exact - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(share.shape[1])[None, :], axis=1)
    return total, base + (rank < left[:, None])


def split_units(
    totals: np.ndarray,
    group: np.ndarray,
    weights: np.ndarray,
    *,
    fallback: np.ndarray | None = None,
) -> np.ndarray:
    """Split whole-unit totals among the parts of each, in proportion to weights, exactly.

    Each part ``i`` belongs to total ``group[i]``; a total's parts get its units in
    proportion to their weights, rounded down, and the units left go one each to the parts
    with the largest remainders (ties: the first part). Negative weights count as zero. A
    total whose parts weigh nothing is split by ``fallback`` (e.g. the parts' areas), else
    evenly. A total without any part is not split (its units are nowhere).

    Parameters
    ----------
    totals : ndarray of int, shape (n,)
        Units (of 0.0001 ha) of each total.
    group : ndarray of int, shape (m,)
        The total each part belongs to, ``0 .. n-1``.
    weights : ndarray of float, shape (m,)
        The parts' measured shares.
    fallback : ndarray of float, shape (m,), optional
        Weights for the totals whose parts weigh nothing.

    Returns
    -------
    ndarray of int, shape (m,)
        Units of each part; the parts of a total add up to it exactly.

    Examples
    --------
    >>> split_units(np.array([10, 5]), np.array([0, 0, 0, 1]), np.array([1.0, 1.0, 1.0, 0.0]))
    array([4, 3, 3, 5])
    """
    totals = np.asarray(totals, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    m = len(group)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    w = np.clip(np.asarray(weights, dtype=float), 0.0, None)
    for other in (fallback, np.ones(m)):
        if other is None:
            continue
        weighed = np.bincount(group, weights=w, minlength=len(totals))
        none = weighed[group] <= 0
        w = np.where(none, np.clip(np.asarray(other, dtype=float), 0.0, None), w)
    weighed = np.bincount(group, weights=w, minlength=len(totals))
    exact = w / weighed[group] * totals[group]
    base = np.floor(exact).astype(np.int64)
    left = totals - np.bincount(group, weights=base, minlength=len(totals)).astype(np.int64)
    rest = exact - base
    # rank of each part within its total by remainder, largest first (ties: the first part)
    order = np.lexsort((np.arange(m), -rest, group))
    sorted_group = group[order]
    start = np.searchsorted(sorted_group, sorted_group)
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m) - start
    out = base + (rank < left[group])
    # float noise may floor a share one unit above its exact value: take it back
    over = np.bincount(group, weights=out, minlength=len(totals)).astype(np.int64) - totals
    for g in np.flatnonzero(over > 0):
        parts = np.flatnonzero((group == g) & (out > 0))
        take = parts[np.argsort(rest[parts], kind="stable")][: over[g]]
        out[take] -= 1
    return out
