"""Integration at lingkungan level: every slum delineation (kawasan, RT/RW) and its coverage.

A *lingkungan* is one source row of ``[slum]``: a kawasan of the SK Kumuh, an RT polygon of
SIM KOTAKU. :func:`lingkungan_figures` gives each

* its identifiers: ``[slum] lingkungan`` id and name columns (the source row number where
  none is named);
* its kelurahan: the one holding the largest share of its ground; ``atribusi`` says how
  it was chosen and names the other kelurahan it crosses;
* its slum split as the kelurahan table's is, ``kumuh_ha = tercakup_ha + celah_ha +
  sliver_ha``, exactly as written: each kelurahan's published figures are split among the
  delineation pieces in it (:func:`kotaku_map.rounding.split_units`, by the ground each
  piece has covered, in a gap, in a sliver), so the pieces of a kelurahan add up to its
  figures and a delineation's figures are the sums of its pieces (where two delineations
  overlap, the shared ground is shared in proportion);
* the slum each program covers and the slum in overlaps (measured, rounded once each);
* a status (:data:`kotaku_map.schema.LINGKUNGAN_STATUSES`): ``tercakup penuh`` (no gap),
  ``tercakup sebagian``, ``tidak tercakup`` (no covered slum), ``di luar batas kelurahan``
  (no ground in any kelurahan); a slum *table* row has no ground of its own: its slum is
  its share of the kelurahan's (by stated hectares), its ``program`` the list programs of
  its kelurahan, and ``tidak dapat dihitung`` what needs geometry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import schema as s
from .coverage import Slum
from .crs import DISPLAY_CRS, M2_PER_HA
from .overlaps import WorkAreas
from .overlay import grouped_union, intersection
from .problems import ProblemLog
from .projected_city import Pieces, ProjectedCity
from .rounding import round_ha, split_units, to_ha

__all__ = [
    "Lingkungan",
    "lingkungan_counts",
    "lingkungan_figures",
    "lingkungan_ids",
    "report_repeated_ids",
]

#: the slum figures split exactly among the pieces (units of 0.0001 ha)
SPLIT = (s.TERCAKUP_HA, s.CELAH_HA, s.SLIVER_HA)


class Lingkungan(NamedTuple):
    """The lingkungan of a city.

    Parameters
    ----------
    table : GeoDataFrame
        One row per delineation (the ``lingkungan`` layer and table).
    pieces : DataFrame
        One row per delineation piece in a kelurahan, in the order of the
        ``kawasan_kumuh`` layer's rows: ``id_lingkungan``, ``kumuh_ha``, ``tercakup_ha``,
        ``celah_ha``, ``sliver_ha`` and the delineation's ``status_lingkungan``.
    """

    table: gpd.GeoDataFrame
    pieces: pd.DataFrame


def lingkungan_figures(
    city: ProjectedCity,
    rows: pd.DataFrame,
    sgeom: np.ndarray,
    slum: Slum,
    work: WorkAreas,
    found: tuple[np.ndarray, Pieces, Pieces],
    units: Mapping[str, np.ndarray],
) -> Lingkungan:
    """Each slum delineation of a city: kelurahan, coverage, status.

    Parameters
    ----------
    city : ProjectedCity
        The city.
    rows : DataFrame
        The city's slum rows (``baris_sumber``, ``tingkat``, ``id_lingkungan`` and
        ``nama_lingkungan`` where named; ``luas_tabel_ha`` for a table).
    sgeom : ndarray of Geometry
        Their polygons in metres (unused for a table).
    slum : Slum
        The slum per kelurahan, with its pieces.
    work : WorkAreas
        The work areas per kelurahan.
    found : tuple
        ``(covered, overlaps, gaps)``: the union of the work areas per kelurahan, the
        overlap pieces and the gap pieces.
    units : mapping of str to ndarray of int
        The kelurahan's published figures (units of 0.0001 ha): ``kumuh_ha`` and each
        of :data:`SPLIT`.

    Returns
    -------
    Lingkungan
    """
    row, kidx, geoms = slum.pieces
    table = s.LUAS_TABEL_HA in rows
    if table:
        stated = rows[s.LUAS_TABEL_HA].to_numpy(float)[row]
        part = {s.KUMUH_HA: split_units(units[s.KUMUH_HA], kidx, stated)}
        measured = _unmeasured(len(row), work)
        area = stated
    else:
        part, measured = _split(city, kidx, geoms, work, found, units)
        area = shapely.area(geoms) / M2_PER_HA
    n = len(rows)
    frame = _identity(city, rows, row, kidx, area, slum.outside_m2, table)
    for column, values in part.items():
        frame[column] = to_ha(np.bincount(row, weights=values, minlength=n).astype(np.int64))
    for column, values in measured.items():
        frame[column] = np.nan if table else round_ha(np.bincount(row, weights=values, minlength=n))
    for column in SPLIT if table else ():
        frame[column] = np.nan
    frame[s.PROGRAM] = _programs(city, work, row, kidx, measured, n, table)
    frame[s.STATUS] = _status(frame, table, has_piece=np.bincount(row, minlength=n) > 0)
    geometry = (
        city.to_display(sgeom).values
        if not table
        else city.to_display(city.kgeom[frame.pop("_kidx").to_numpy()]).values
    )
    frame = frame.drop(columns="_kidx", errors="ignore")
    first = [s.SUMBER_BARIS, s.ID_LINGKUNGAN, s.NAMA_LINGKUNGAN, s.KODE, s.KELURAHAN]
    first += [s.ATRIBUSI, s.TINGKAT, s.LUAS_HA, s.KUMUH_HA, s.TERCAKUP_HA]
    last = [s.TUMPANG_TINDIH_HA, s.CELAH_HA, s.SLIVER_HA, s.LUAR_BATAS_HA, s.PROGRAM, s.STATUS]
    middle = [c for c in frame.columns if c not in first and c not in last]
    out = gpd.GeoDataFrame(frame[first + middle + last], geometry=geometry, crs=DISPLAY_CRS)
    pieces = pd.DataFrame({s.ID_LINGKUNGAN: out[s.ID_LINGKUNGAN].to_numpy()[row]})
    pieces[s.KUMUH_HA] = to_ha(part[s.KUMUH_HA])
    for column in SPLIT:
        pieces[column] = to_ha(part[column]) if column in part else np.nan
    pieces[s.STATUS_LINGKUNGAN] = out[s.STATUS].to_numpy()[row]
    return Lingkungan(out, pieces)


def _split(
    city: ProjectedCity,
    kidx: np.ndarray,
    geoms: np.ndarray,
    work: WorkAreas,
    found: tuple[np.ndarray, Pieces, Pieces],
    units: Mapping[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The kelurahan's published figures split among the pieces; what is only measured."""
    covered, overlaps, gaps = found

    def inside(p: Pieces, sel: np.ndarray) -> np.ndarray:
        ground = grouped_union(p.kidx[sel], p.geoms[sel], city.n)
        return shapely.area(intersection(geoms, ground[kidx]))

    m2 = shapely.area(geoms)
    gap, gap_sliver = inside(gaps, ~gaps.sliver), inside(gaps, gaps.sliver)
    overlap_sliver = inside(overlaps, overlaps.sliver)
    cover = np.clip(shapely.area(intersection(geoms, covered[kidx])) - overlap_sliver, 0, None)
    weights = {
        s.TERCAKUP_HA: cover,
        s.CELAH_HA: gap,
        s.SLIVER_HA: gap_sliver + overlap_sliver,
    }
    part = {c: split_units(units[c], kidx, w, fallback=m2) for c, w in weights.items()}
    part[s.KUMUH_HA] = part[s.TERCAKUP_HA] + part[s.CELAH_HA] + part[s.SLIVER_HA]
    measured = {
        s.covered_column(name): shapely.area(intersection(geoms, per_kel[kidx])) / M2_PER_HA
        for name, per_kel in work.per_kel.items()
    }
    measured[s.TUMPANG_TINDIH_HA] = inside(overlaps, ~overlaps.sliver) / M2_PER_HA
    return part, measured


def _unmeasured(m: int, work: WorkAreas) -> dict[str, np.ndarray]:
    """A table's rows: no figure that needs geometry."""
    names = [s.covered_column(n) for n in work.per_kel] + [s.TUMPANG_TINDIH_HA]
    return {c: np.full(m, np.nan) for c in names}


def _identity(
    city: ProjectedCity,
    rows: pd.DataFrame,
    row: np.ndarray,
    kidx: np.ndarray,
    area: np.ndarray,
    outside_m2: np.ndarray,
    table: bool,
) -> pd.DataFrame:
    """Identifiers, kelurahan (the largest share) and how it was attributed, level, area."""
    n = len(rows)
    source = rows[s.SUMBER_BARIS].to_numpy() if s.SUMBER_BARIS in rows else np.arange(n) + 1
    ids = (
        rows[s.ID_LINGKUNGAN].astype(object).to_numpy()
        if s.ID_LINGKUNGAN in rows
        else np.full(n, None, dtype=object)
    )
    ids = lingkungan_ids(ids, source)[1]
    outside = np.zeros(n) if table or len(outside_m2) != n else outside_m2 / M2_PER_HA
    # the largest piece of each row first
    order = np.lexsort((-area, row))
    first = np.full(n, -1)
    lead = order[np.r_[True, row[order][1:] != row[order][:-1]]] if len(order) else order
    first[row[lead]] = kidx[lead]
    total = np.bincount(row, weights=area, minlength=n) + outside
    of_row = pd.Series(np.arange(len(row))).groupby(row).indices
    none = np.array([], dtype=int)
    atribusi = [
        _attribution(city, kidx[sel], area[sel], total[r], outside[r], table)
        for r in range(n)
        for sel in [of_row.get(r, none)]
    ]
    has = first >= 0
    frame = pd.DataFrame(
        {
            s.SUMBER_BARIS: source,
            s.ID_LINGKUNGAN: ids,
            s.NAMA_LINGKUNGAN: (
                rows[s.NAMA_LINGKUNGAN].to_numpy() if s.NAMA_LINGKUNGAN in rows else None
            ),
            s.KODE: np.where(has, city.codes[np.maximum(first, 0)], None),
            s.KELURAHAN: np.where(has, city.names[np.maximum(first, 0)], None),
            s.ATRIBUSI: atribusi,
            s.TINGKAT: rows[s.TINGKAT].to_numpy() if s.TINGKAT in rows else "tidak diketahui",
            s.LUAS_HA: round_ha(total),
            s.LUAR_BATAS_HA: round_ha(outside),
            "_kidx": np.maximum(first, 0),
        }
    )
    return frame


def lingkungan_ids(
    ids: Sequence[object] | np.ndarray, source: Sequence[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A city's lingkungan ids as given, and as ``lingkungan.csv`` writes them.

    A row without an id is ``#<row>``; an id the city's rows repeat gets its row number
    (``<id>#<row>``): every delineation keeps its own row.

    Parameters
    ----------
    ids : sequence
        The rows' ``[slum] lingkungan`` ids (``None`` or NaN: none).
    source : sequence of int
        Their source row numbers.

    Returns
    -------
    given, written : ndarray of str
        The ids as given and as written; they differ where the source repeats an id.

    Examples
    --------
    >>> lingkungan_ids(["RT 1", "RT 2", "RT 1", None], [2, 3, 5, 7])[1].tolist()
    ['RT 1#2', 'RT 2', 'RT 1#5', '#7']
    """
    pairs = zip(ids, source, strict=True)
    given = pd.Series([str(i) if pd.notna(i) else f"#{b}" for i, b in pairs], dtype=object)
    twice = given.duplicated(keep=False).to_numpy()
    written = np.where(twice, given + [f"#{b}" for b in source], given).astype(object)
    return given.to_numpy(), written


def report_repeated_ids(
    slum: pd.DataFrame,
    tables: Iterable[pd.DataFrame],
    where: tuple[object, str | None, Sequence[str]],
    problems: ProblemLog,
) -> None:
    """Report each slum row whose lingkungan id another row of its city repeats.

    The row is used (``dipakai``), its id written ``<id>#<row>`` in ``lingkungan.csv``
    (:func:`lingkungan_ids`); a row in two cities' tables is reported once.

    Parameters
    ----------
    slum : DataFrame
        The slum rows as loaded (``baris_sumber`` and ``id_lingkungan``).
    tables : iterable of DataFrame
        Each city's lingkungan table (``baris_sumber``).
    where : tuple
        ``(file, layer, id columns)`` of ``[slum]``.
    problems : ProblemLog
        The rows are added here (role ``kumuh``), in row order.
    """
    if s.ID_LINGKUNGAN not in slum:
        return
    berkas, layer, columns = where
    original = dict(zip(slum[s.SUMBER_BARIS].to_numpy(), slum[s.ID_LINGKUNGAN], strict=True))
    found: dict[int, str] = {}
    for table in tables:
        rows = table[s.SUMBER_BARIS].to_numpy(dtype=int) if len(table) else np.zeros(0, int)
        given, written = lingkungan_ids([original.get(r) for r in rows], rows)
        for i in np.flatnonzero(given != written):
            others = ", ".join(str(r) for r in rows[given == given[i]] if r != rows[i])
            found.setdefault(
                int(rows[i]),
                f"id {given[i]!r} juga di baris {others}; di lingkungan.csv menjadi {written[i]!r}",
            )
    for r in sorted(found):
        problems.add(
            berkas,
            layer,
            r,
            ", ".join(columns),
            "id lingkungan ganda",
            found[r],
            dipakai=True,
            peran="kumuh",
        )


def _attribution(
    city: ProjectedCity,
    kidx: np.ndarray,
    area: np.ndarray,
    total: float,
    outside: float,
    table: bool,
) -> str:
    """How a delineation's kelurahan was chosen, in words (Indonesian)."""
    if table:
        return "baris tabel: kelurahan yang dicocokkan"
    if len(kidx) == 0:
        return "di luar batas kelurahan"
    kel, at = np.unique(kidx, return_inverse=True)
    if len(kel) == 1 and outside <= 0:
        return "satu kelurahan"
    if len(kel) == len(kidx):  # one piece per kelurahan (the rule): no sum to make
        by_kel = np.zeros(len(kel))
        by_kel[at] = area
    else:  # pandas' own (compensated) sum, as the figures were always made
        by_kel = pd.Series(area).groupby(kidx).sum().to_numpy()
    order = np.argsort(-by_kel, kind="stable")  # largest first, ties in kelurahan order
    pct = by_kel[order] / total * 100 if total > 0 else by_kel[order] * 0
    text = f"bagian terbesar ({_pct(pct[0])})"
    others = [f"{city.names[k]} ({_pct(p)})" for k, p in zip(kel[order][1:], pct[1:], strict=True)]
    if others:
        text += "; juga di " + ", ".join(others)
    if outside > 0:
        text += f"; {_pct(outside / total * 100)} di luar batas kelurahan"
    return text


def _pct(value: float) -> str:
    """A share in whole percent, ``< 1 %`` and ``> 99 %`` where rounding would hide it."""
    if 0 < value < 0.5:
        return "< 1 %"
    if 99.5 <= value < 100:
        return "> 99 %"
    return f"{value:.0f} %"


def _programs(
    city: ProjectedCity,
    work: WorkAreas,
    row: np.ndarray,
    kidx: np.ndarray,
    measured: Mapping[str, np.ndarray],
    n: int,
    table: bool,
) -> list[str]:
    """The programs covering some of a delineation (a table row: its kelurahan's lists)."""
    names = list(work.per_kel)
    has = np.zeros((n, len(names)), dtype=bool)
    for j, name in enumerate(names):
        if table:
            ok = (work.present[name][kidx] > 0) & (name in work.lists)
        else:
            ok = measured[s.covered_column(name)] > 0
        has[row[ok], j] = True
    return [s.PROGRAM_JOIN.join(p for p, h in zip(names, hs, strict=True) if h) for hs in has]


def _status(frame: pd.DataFrame, table: bool, has_piece: np.ndarray) -> np.ndarray:
    """Each delineation's status (:data:`kotaku_map.schema.LINGKUNGAN_STATUSES`)."""
    if table:
        return np.where(has_piece, s.LINGKUNGAN_UNKNOWN, s.LINGKUNGAN_OUTSIDE)
    gap = frame[s.CELAH_HA].to_numpy() > 0
    covered = frame[s.TERCAKUP_HA].to_numpy() > 0
    status = np.where(
        gap, np.where(covered, s.LINGKUNGAN_PART, s.LINGKUNGAN_NONE), s.LINGKUNGAN_FULL
    )
    return np.where(has_piece, status, s.LINGKUNGAN_OUTSIDE)


def lingkungan_counts(table: pd.DataFrame, codes: Sequence[str] | np.ndarray) -> pd.DataFrame:
    """How many lingkungan of each status each kelurahan holds (by attribution).

    Parameters
    ----------
    table : DataFrame
        The lingkungan (``kode``, ``status``).
    codes : sequence or ndarray of str
        The kelurahan codes, in the kelurahan table's order.

    Returns
    -------
    DataFrame
        One row per code, one ``jumlah_lingkungan_<status>`` column per counted status
        (:data:`kotaku_map.schema.LINGKUNGAN_COUNTED`).

    Examples
    --------
    >>> t = pd.DataFrame({"kode": ["a", "a", "b"], "status": ["tercakup penuh",
    ...                   "tidak tercakup", "tercakup penuh"]})
    >>> lingkungan_counts(t, ["a", "b", "c"])["jumlah_lingkungan_tercakup_penuh"].tolist()
    [1, 1, 0]
    """
    codes = list(codes)
    at = {c: i for i, c in reversed(list(enumerate(codes)))}  # a repeated code: its first row
    kel = np.array(
        [-1 if k is None or k != k else at.get(k, -1) for k in table[s.KODE].tolist()], dtype=int
    )
    status_of = table[s.STATUS].to_numpy(dtype=object)
    out = {}
    for status in s.LINGKUNGAN_COUNTED:
        of = kel[(status_of == status) & (kel >= 0)]
        counts = np.bincount(of, minlength=len(codes))
        # every row of a repeated code gets its count, as a reindex gives it
        out[s.lingkungan_count_column(status)] = counts[[at[c] for c in codes]]
    return pd.DataFrame(out, index=pd.RangeIndex(len(codes)))
