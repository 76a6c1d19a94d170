"""The kelurahan a table row may match: the boundaries indexed, narrowed to a row's parent.

:class:`BoundaryIndex` indexes the boundary kelurahan once per table by code, exact name,
normalised name, kecamatan and kab/kota; :func:`parent_scope` narrows the candidates to the
kab/kota and kecamatan a row names. :mod:`kotaku_map.matching` decides among them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import pandas as pd
from rapidfuzz import fuzz, process

from kotaku_map import schema
from kotaku_map.codes import KabKind, kabkota_kind_from_code, parse_kemendagri_code
from kotaku_map.errors import InputError
from kotaku_map.names import (
    exact_key,
    is_missing,
    lenient_key,
    normalise_kabkota,
    normalise_name,
)

__all__ = [
    "NEAR_TIE",
    "SCORE_DECIMALS",
    "BoundaryIndex",
    "Scope",
    "parent_scope",
    "score",
    "score_text",
]

#: Two fuzzy candidates at least this close (in points) are a tie: the row is 'ambigu'.
NEAR_TIE = 3.0
#: A score is rounded to this many decimals before it is compared, stored or shown, so
#: that a note never reads "skor terbaik 88 < 88" for a score of 87.5
SCORE_DECIMALS = 1


def score(value: float) -> float:
    """A rapidfuzz score at the precision it is compared, stored and shown at.

    Parameters
    ----------
    value : float
        A score, 0-100.

    Returns
    -------
    float
        Rounded to :data:`SCORE_DECIMALS`.

    Examples
    --------
    >>> score(87.49999)
    87.5
    """
    return round(float(value), SCORE_DECIMALS)


def score_text(value: float) -> str:
    """A score as the notes show it: :data:`SCORE_DECIMALS` decimals, none for a whole one.

    Parameters
    ----------
    value : float
        A score, 0-100.

    Returns
    -------
    str

    Examples
    --------
    >>> score_text(87.5), score_text(100.0), score_text(96.5517)
    ('87.5', '100', '96.6')
    """
    text = f"{score(value):.{SCORE_DECIMALS}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


Scope = frozenset[int] | None
"""Candidate positions of a row in a :class:`BoundaryIndex`; None for all of them."""


class BoundaryIndex:
    """The boundary kelurahan indexed by code, exact name, normalised name and parent.

    Rows are referred to by position (0 for the first row of `boundaries`). A kelurahan
    may span several rows; :attr:`identity` tells them apart (its code, or its kab/kota,
    kecamatan and name where it has no code).

    Parameters
    ----------
    boundaries : pandas.DataFrame
        Kelurahan with the standard column ``kelurahan`` and, as far as available,
        ``kode``, ``kecamatan``, ``kabkota`` and ``kode_kabkota``.
    need : iterable of str
        Standard columns that must be there besides ``kelurahan``.

    Attributes
    ----------
    kel, kec, kab : list of str or None
        Kelurahan, kecamatan and kab/kota name per position, stripped.
    code : list of str or None
        Dotted Kemendagri code per position (:func:`~kotaku_map.codes.parse_kemendagri_code`).
    has_codes : bool
        Whether any position has a code.
    code_pos : dict of str to int
        Code -> its first position.
    exact, norm : dict of str to list of int
        :func:`~kotaku_map.names.exact_key` / :func:`~kotaku_map.names.normalise_name` of
        the kelurahan name -> positions.
    norm_key, kec_norm : list of str
        Normalised kelurahan and kecamatan name per position.
    identity : list
        What makes a position's kelurahan distinct.
    kab_index : dict
        Normalised kab/kota name -> {kab/kota label: (kind, positions)}: Kota and
        Kabupaten of the same name share a key and keep apart by label and kind.
    kab_code, kec_index : dict of str to list of int
        Kab/kota code and normalised kecamatan name -> positions.

    Raises
    ------
    kotaku_map.errors.InputError
        If `boundaries` lacks ``kelurahan`` or a column of `need`.

    Examples
    --------
    >>> bnd = BoundaryIndex(pd.DataFrame({
    ...     "kode": ["33.75.01.1002", "33.75.03.1009", "33.26.13.2001"],
    ...     "kelurahan": ["Medono", "Bandengan", "Bandengan"],
    ...     "kecamatan": ["Pekalongan Barat", "Pekalongan Utara", "Kandangserang"],
    ...     "kabkota": ["Kota Pekalongan", "Kota Pekalongan", "Kabupaten Pekalongan"],
    ... }), need=[])
    >>> bnd.norm["bandengan"], bnd.describe(1, 100.0)
    ([1, 2], 'Bandengan (Pekalongan Utara, 33.75.03.1009) 100')
    """

    def __init__(self, boundaries: pd.DataFrame, *, need: Iterable[str]) -> None:
        missing = [c for c in (schema.KELURAHAN, *need) if c not in boundaries.columns]
        if missing:
            raise InputError(
                f"boundaries: column(s) {missing} not found; expected the standard columns "
                f"{[schema.KODE, schema.KELURAHAN, schema.KECAMATAN, schema.KABKOTA]}, "
                f"found {[str(c) for c in boundaries.columns]}"
            )
        n = len(boundaries)

        def column(name: str) -> list[object]:
            if name not in boundaries.columns:
                return [None] * n
            return [None if is_missing(v) else v for v in boundaries[name].tolist()]

        self.kel = [None if v is None else str(v).strip() for v in column(schema.KELURAHAN)]
        self.kec = [None if v is None else str(v).strip() for v in column(schema.KECAMATAN)]
        self.kab = [None if v is None else str(v).strip() for v in column(schema.KABKOTA)]
        self.code = [parse_kemendagri_code(v) for v in column(schema.KODE)]
        kab_codes = column(schema.KODE_KABKOTA)
        self.has_codes = any(c is not None for c in self.code)
        self.code_pos: dict[str, int] = {}
        self.exact: dict[str, list[int]] = {}
        self.norm: dict[str, list[int]] = {}
        self.norm_key: list[str] = []
        self.identity: list[Hashable] = []
        for p in range(n):
            code = self.code[p]
            if code is not None:
                self.code_pos.setdefault(code, p)
            self.identity.append(
                code if code is not None else (self.kab[p], self.kec[p], self.kel[p])
            )
            key = normalise_name(self.kel[p])
            self.norm_key.append(key)
            if self.kel[p] is None:
                continue
            self.exact.setdefault(exact_key(self.kel[p]), []).append(p)
            self.norm.setdefault(key, []).append(p)
        # kab/kota: key -> {label: (kind, positions)}
        self.kab_index: dict[str, dict[str, tuple[KabKind | None, list[int]]]] = {}
        self.kab_code: dict[str, list[int]] = {}
        for p in range(n):
            kind, key = normalise_kabkota(self.kab[p])
            kind = kind or kabkota_kind_from_code(kab_codes[p])
            label = self.kab[p] or ""
            entry = self.kab_index.setdefault(key, {}).setdefault(label, (kind, []))
            entry[1].append(p)
            own = self.code[p]
            kab_code = parse_kemendagri_code(kab_codes[p]) or (own[:5] if own else None)
            if kab_code:
                self.kab_code.setdefault(kab_code, []).append(p)
        self.kec_norm = [normalise_name(k, level="kecamatan") for k in self.kec]
        self.kec_index: dict[str, list[int]] = {}
        for p, key in enumerate(self.kec_norm):
            self.kec_index.setdefault(key, []).append(p)
        self._choices: dict[Scope, tuple[list[str], dict[str, list[int]]]] = {}

    def distinct(self, positions: Iterable[int]) -> list[int]:
        """Keep the first position of each distinct kelurahan.

        Parameters
        ----------
        positions : iterable of int
            Positions, in order of preference.

        Returns
        -------
        list of int
            The positions, one per distinct kelurahan (a kelurahan may span several rows).
        """
        seen: set[Hashable] = set()
        out = []
        for p in positions:
            if self.identity[p] not in seen:
                seen.add(self.identity[p])
                out.append(p)
        return out

    def choices(self, scope: Scope) -> tuple[list[str], dict[str, list[int]]]:
        """List the distinct normalised kelurahan names within a scope (cached per scope).

        Parameters
        ----------
        scope : frozenset of int or None
            Positions to look in; None for all.

        Returns
        -------
        tuple
            ``(keys, index)``: the normalised names, and name -> positions.
        """
        if scope not in self._choices:
            if scope is None:
                index = self.norm
            else:
                index = {}
                for p in sorted(scope):
                    if self.kel[p] is not None:
                        index.setdefault(self.norm_key[p], []).append(p)
            self._choices[scope] = (list(index), index)
        return self._choices[scope]

    def describe(self, p: int, score: float) -> str:
        """Describe a candidate for the ``kandidat`` column.

        Parameters
        ----------
        p : int
            Its position.
        score : float
            Its score, 0-100.

        Returns
        -------
        str
            ``'Name (kecamatan, kode) score'``; without the code where there is none.
        """
        code = f", {self.code[p]}" if self.code[p] else ""
        return f"{self.kel[p]} ({self.kec[p] or '?'}{code}) {score_text(score)}"


def _best_fuzzy(
    query: str, keys: list[str], threshold: float
) -> tuple[str | None, float, str | None]:
    """Best key scoring >= threshold with no different key within NEAR_TIE, else None.

    Scores are compared at :data:`SCORE_DECIMALS`, the precision the notes show.
    """
    found = [
        (key, score(s)) for key, s, _ in process.extract(query, keys, scorer=fuzz.ratio, limit=2)
    ]
    if not found or found[0][1] < threshold:
        return None, found[0][1] if found else 0.0, None
    close = score(found[0][1] - found[1][1]) <= NEAR_TIE if len(found) > 1 else False
    if close and found[1][1] >= threshold:
        return None, found[0][1], found[1][0]
    return found[0][0], found[0][1], None


def parent_scope(
    bnd: BoundaryIndex, kab_raw: object, kec_raw: object, threshold: float
) -> tuple[Scope, list[str], bool]:
    """Find the candidate positions of a row from its kab/kota and kecamatan.

    The kab/kota is read as a code (``'33.75'``) or a name: exact, normalised, then
    fuzzy; a Kota never matches a Kabupaten of the same name (a name without the word
    matches both, with a note). The kecamatan is then looked for within it: normalised,
    then fuzzy (a misspelt ``Kecamatan`` dropped); one not found is noted and ignored.

    Parameters
    ----------
    bnd : BoundaryIndex
        The boundaries.
    kab_raw, kec_raw : object
        The row's kab/kota and kecamatan as written, or None.
    threshold : float
        Lowest :func:`rapidfuzz.fuzz.ratio` of a fuzzy kab/kota or kecamatan name.

    Returns
    -------
    tuple
        ``(scope, notes, failed)``: the candidate positions (None for all), notes for
        ``catatan``, and True when the kab/kota is not in the boundaries (the row cannot
        be matched by name).

    Examples
    --------
    >>> bnd = BoundaryIndex(pd.DataFrame({
    ...     "kelurahan": ["Medono", "Bandengan", "Bandengan"],
    ...     "kecamatan": ["Pekalongan Barat", "Pekalongan Utara", "Kandangserang"],
    ...     "kabkota": ["Kota Pekalongan", "Kota Pekalongan", "Kabupaten Pekalongan"],
    ... }), need=[])
    >>> sorted(parent_scope(bnd, "KOTA PEKALONGAN", None, 88.0)[0])
    [0, 1]
    >>> parent_scope(bnd, "Kota Pekalongan", "Pekalongan Utra", 88.0)[1]
    ["kecamatan 'Pekalongan Utra' dibaca sebagai 'Pekalongan Utara' (96.6)"]
    >>> parent_scope(bnd, "Kota Batang", None, 88.0)[1:]
    (["kab/kota 'Kota Batang' tidak ada di batas wilayah"], True)
    """
    notes: list[str] = []
    positions: list[int] | None = None
    if kab_raw is not None:
        kab_parsed = parse_kemendagri_code(kab_raw)
        if kab_parsed is not None and len(kab_parsed) == 5 and kab_parsed in bnd.kab_code:
            positions = bnd.kab_code[kab_parsed]
        else:
            kind, key = normalise_kabkota(kab_raw)
            labels = bnd.kab_index.get(key, {})
            if not labels:
                best, found, _ = _best_fuzzy(key, list(bnd.kab_index), threshold)
                if best is None:
                    return None, [f"kab/kota {kab_raw!r} tidak ada di batas wilayah"], True
                labels = bnd.kab_index[best]
                notes.append(
                    f"kab/kota {kab_raw!r} dibaca sebagai {sorted(labels)} ({score_text(found)})"
                )
            fitting = {
                lab: pos
                for lab, (k, pos) in labels.items()
                if kind is None or k is None or k == kind
            }
            if not fitting:
                return (
                    None,
                    [f"kab/kota {kab_raw!r} tidak ada di batas wilayah (ada: {sorted(labels)})"],
                    True,
                )
            if len(fitting) > 1:
                notes.append(
                    f"kab/kota {kab_raw!r} tanpa 'Kota'/'Kabupaten' cocok dengan {sorted(fitting)}"
                )
            positions = [p for pos in fitting.values() for p in pos]
    if kec_raw is not None:
        key = normalise_name(kec_raw, level="kecamatan")
        if positions is None:
            by_kec = bnd.kec_index
        else:
            by_kec = {}
            for p in positions:
                by_kec.setdefault(bnd.kec_norm[p], []).append(p)
        if key in by_kec:
            positions = by_kec[key]
        else:
            lenient, _ = lenient_key(str(kec_raw), "kecamatan")
            best, found, tie = _best_fuzzy(lenient, list(by_kec), threshold)
            if best is not None:
                positions = by_kec[best]
                name = bnd.kec[positions[0]]
                notes.append(f"kecamatan {kec_raw!r} dibaca sebagai {name!r} ({score_text(found)})")
            else:
                why = "mirip dua kecamatan" if tie else "tidak ada di batas wilayah"
                notes.append(f"kecamatan {kec_raw!r} {why}: dicocokkan tanpa kecamatan")
    return (None if positions is None else frozenset(positions)), notes, False
