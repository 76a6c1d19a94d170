"""Join a user table (a list of kelurahan, slum areas, program locations) to the boundaries.

Tables name kelurahan by Kemendagri code, by name, or both, and both are often damaged:
codes from another scheme (BPS), another edition or mangled by Excel; names with prefixes,
spacing variants, numerals, typos, and the same name in two kecamatan or in a Kota and a
Kabupaten of the same name. :func:`match_table` tries, per row and in this order:

1. ``overrides`` (``metode = 'manual'``);
2. the Kemendagri code, when it parses, exists in the boundaries and agrees with the row's
   name and parent (``'kode'``);
3. the exact name, case-insensitive (``'nama'``);
4. the normalised name (:func:`~kotaku_map.names.normalise_name`; ``'nama_normal'``);
5. the closest normalised name by :func:`rapidfuzz.fuzz.ratio` (``'fuzzy'``); a misspelt
   prefix word (``Keluraha Karangwaru``, ``BKeluranan Suryatmajan``) is dropped before
   scoring, and ``catatan`` says so.

Names are only compared within the row's parent: its kab/kota (Kota and Kabupaten of the
same name never cross) and its kecamatan, each matched first exactly, then normalised,
then fuzzily. A name that fits two or more kelurahan of the candidate set, or a fuzzy
best match with a runner-up within :data:`NEAR_TIE` points, is ``'ambigu'`` and never
picked. Everything else is ``'tidak cocok'``, with the reason in ``catatan`` and the
closest candidates in ``kandidat``.

Why :func:`~rapidfuzz.fuzz.ratio` and not ``WRatio``: names are compared as spaceless keys
(``tanjungbalai``), where ``WRatio``'s partial matching scores ``Kauman`` against
``Kaumanbaru`` at 90; ``ratio`` (normalised Indel similarity) gives 75 and is symmetric.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from kotaku_map import schema
from kotaku_map.candidates import (
    NEAR_TIE,
    SCORE_DECIMALS,
    BoundaryIndex,
    Scope,
    parent_scope,
    score,
    score_text,
)
from kotaku_map.codes import classify_code, code_text, is_bps_village, parse_kemendagri_code
from kotaku_map.errors import ConfigError, InputError, where
from kotaku_map.names import exact_key, is_missing, lenient_key, normalise_name

__all__ = ["MATCH_COLUMNS", "METHODS", "NEAR_TIE", "match_table"]

#: Values of the ``metode`` column, from strongest to weakest.
METHODS = ("manual", "kode", "nama", "nama_normal", "fuzzy", "ambigu", "tidak cocok")
#: Columns returned by :func:`match_table`.
MATCH_COLUMNS = (schema.KODE, "kelurahan_cocok", "metode", "skor", "kandidat", "catatan")
#: A row's name scoring below this against the kelurahan of its code contradicts the code.
CODE_NAME_CONFLICT = 60.0

_N_CANDIDATES = 3
_FUZZY_CHUNK = 256


def _require_column(table: pd.DataFrame, column: str, source: str, layer: str | None) -> None:
    if column in table.columns:
        return
    names = [str(c) for c in table.columns]
    lower = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(column.casefold(), list(lower), n=1, cutoff=0.6)
    hint = f"; did you mean {lower[close[0]]!r}?" if close else ""
    raise InputError(
        f"{where(source, layer, column)}: column not found; the table has {names}{hint}"
    )


class _Row:
    """The outcome for one distinct (code, name, kecamatan, kabkota) combination."""

    __slots__ = ("pos", "metode", "skor", "kandidat", "notes")

    def __init__(self) -> None:
        self.pos: int | None = None
        self.metode = "tidak cocok"
        self.skor = 0.0
        self.kandidat: str | None = None
        self.notes: list[str] = []


def _name_score(bnd: BoundaryIndex, name: str, p: int) -> float:
    key, lenient = normalise_name(name), lenient_key(name, "kelurahan")[0]
    return max(fuzz.ratio(key, bnd.norm_key[p]), fuzz.ratio(lenient, bnd.norm_key[p]))


def _try_code(
    bnd: BoundaryIndex,
    row: _Row,
    code_raw: object,
    name_raw: object,
    scope: Scope,
    bps_column: bool,
) -> None:
    scheme = classify_code(code_raw)
    text = code_text(code_raw) or ""
    if bps_column and scheme == "kemendagri" and len(text) == 10 and text.isdigit():
        scheme = "bps"
    if scheme == "bps":
        row.notes.append(f"kode {text} adalah kode BPS, bukan Kemendagri")
        return
    if scheme == "unknown":
        row.notes.append(f"kode {code_raw!r} bukan kode Kemendagri (juga bukan BPS)")
        return
    parsed = parse_kemendagri_code(code_raw)
    assert parsed is not None
    if "." in text and text != parsed:
        row.notes.append(f"kode {text!r} dibaca sebagai {parsed}")
    if len(parsed) != 13:
        level = {2: "provinsi", 5: "kab/kota", 8: "kecamatan"}[len(parsed)]
        row.notes.append(f"kode {parsed} adalah kode {level}, bukan kelurahan")
        return
    if not bnd.has_codes:
        row.notes.append("batas wilayah tanpa kode: dicocokkan lewat nama")
        return
    p = bnd.code_pos.get(parsed)
    if p is None:
        row.notes.append(f"kode {parsed} tidak ada di batas wilayah (edisi lain?)")
        return
    if name_raw is not None and _name_score(bnd, str(name_raw), p) < CODE_NAME_CONFLICT:
        row.notes.append(
            f"kode {parsed} milik {bnd.kel[p]!r}, bukan {str(name_raw)!r}: kode diabaikan"
        )
        return
    if scope is not None and p not in scope:
        row.notes.append(
            f"kode {parsed} ({bnd.kel[p]}, {bnd.kec[p]}) di luar kecamatan/kab-kota baris ini: "
            "kode diabaikan"
        )
        return
    row.pos, row.metode, row.skor = p, "kode", 100.0


def _try_names(bnd: BoundaryIndex, row: _Row, name: str, scope: Scope, parent_given: bool) -> bool:
    """Exact and normalised name; True when decided (matched or ambiguous)."""

    def within(positions: list[int]) -> list[int]:
        return bnd.distinct(p for p in positions if scope is None or p in scope)

    key = normalise_name(name)
    same = within(bnd.norm.get(key, [])) if key else []
    if len(same) >= 2:
        row.metode, row.skor = "ambigu", 100.0
        row.kandidat = "; ".join(bnd.describe(p, 100.0) for p in same[:_N_CANDIDATES])
        hint = "" if parent_given else " (beri kecamatan/kab-kota)"
        row.notes.append(f"nama {name!r} ada di {len(same)} kelurahan{hint}")
        return True
    exact = within(bnd.exact.get(exact_key(name), []))
    if len(exact) == 1:
        row.pos, row.metode, row.skor = exact[0], "nama", 100.0
        return True
    if len(same) == 1:
        row.pos, row.metode, row.skor = same[0], "nama_normal", 100.0
        return True
    return False


def _fuzzy(
    bnd: BoundaryIndex,
    rows: list[tuple[_Row, str]],
    scope: Scope,
    threshold: float,
) -> None:
    """Fuzzy-match rows sharing one scope, in chunks, with rapidfuzz.process.cdist."""
    keys, index = bnd.choices(scope)
    if not keys:
        for row, _ in rows:
            row.notes.append("tidak ada kelurahan di kecamatan/kab-kota ini")
        return
    for start in range(0, len(rows), _FUZZY_CHUNK):
        chunk = rows[start : start + _FUZZY_CHUNK]
        plain = [normalise_name(name) for _, name in chunk]
        lenient = [lenient_key(name, "kelurahan") for _, name in chunk]
        s_plain = process.cdist(plain, keys, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
        s_len = process.cdist(
            [k for k, _ in lenient], keys, scorer=fuzz.ratio, dtype=np.float32, workers=-1
        )
        # compared, stored and shown at one precision (candidates.SCORE_DECIMALS)
        scores = np.round(np.maximum(s_plain, s_len).astype(float), SCORE_DECIMALS)
        top_n = min(len(keys), _N_CANDIDATES + 2)
        for i, (row, name) in enumerate(chunk):
            top = np.argpartition(-scores[i], top_n - 1)[:top_n]
            top = top[np.argsort(-scores[i][top], kind="stable")]
            ranked = [(p, float(scores[i][k])) for k in top for p in bnd.distinct(index[keys[k]])]
            row.kandidat = "; ".join(bnd.describe(p, s) for p, s in ranked[:_N_CANDIDATES]) or None
            best_p, best = ranked[0]
            row.skor = score(best)
            if row.skor < threshold:
                row.notes.append(
                    f"tidak ada nama mirip (skor terbaik {score_text(best)} < {threshold:g})"
                )
                continue
            runner = next(
                (s for p, s in ranked[1:] if bnd.identity[p] != bnd.identity[best_p]), None
            )
            if runner is not None and runner >= threshold and score(best - runner) <= NEAR_TIE:
                row.metode = "ambigu"
                row.notes.append(
                    f"nama {name!r} sama mirip dengan dua kelurahan "
                    f"({score_text(best)} dan {score_text(runner)})"
                )
                continue
            row.pos, row.metode = best_p, "fuzzy"
            k = int(top[0])
            if lenient[i][1] is not None and s_len[i][k] > s_plain[i][k]:
                row.notes.append(f"awalan {lenient[i][1]!r} dianggap salah ketik 'Kelurahan'")


def _check_arguments(
    table: pd.DataFrame,
    columns: tuple[str | None, ...],
    source: str,
    layer: str | None,
    *,
    threshold: float,
    overrides: Mapping[str, str] | None,
) -> None:
    """Raise on arguments :func:`match_table` cannot use; `columns` is (code, name, kec, kab)."""
    where_table = where(source, layer)
    code, name = columns[0], columns[1]
    if code is None and name is None:
        raise ConfigError(
            f"{where_table}: match_table needs a code column or a name column "
            "(code=None and name=None)"
        )
    if overrides and name is None:
        raise ConfigError(f"{where_table}: overrides map names to codes, so they need name=")
    if not 0 <= threshold <= 100:
        raise ConfigError(f"{where_table}: threshold was {threshold!r} but is expected in 0-100")
    for column in columns:
        if column is not None:
            _require_column(table, column, source, layer)


def _manual_positions(
    bnd: BoundaryIndex, overrides: Mapping[str, str], where_table: str
) -> dict[str, int]:
    """Normalised name -> boundary position, from the overrides (name -> Kemendagri code)."""
    manual: dict[str, int] = {}
    for raw, target in overrides.items():
        parsed = parse_kemendagri_code(target)
        if parsed is None or parsed not in bnd.code_pos:
            raise InputError(
                f"{where_table}: override {raw!r} -> {target!r}: the code is not a kelurahan "
                "code of the boundaries"
            )
        manual[normalise_name(raw)] = bnd.code_pos[parsed]
    return manual


_Key = tuple[object, object, object, object]  # (code, name, kecamatan, kabkota) of a row


def _distinct_rows(
    table: pd.DataFrame, columns: tuple[str | None, ...]
) -> tuple[list[_Key], np.ndarray]:
    """The distinct (code, name, kecamatan, kabkota) of the rows, and each row's one."""

    def values(column: str | None) -> list[object]:
        if column is None:
            return [None] * len(table)
        out: list[object] = []
        for v in table[column].tolist():
            if is_missing(v):
                out.append(None)
            else:
                out.append(v if isinstance(v, Hashable) else str(v))
        return out

    code, name, kecamatan, kabkota = columns
    combos = list(zip(values(code), values(name), values(kecamatan), values(kabkota), strict=True))
    unique: dict[_Key, int] = {}
    inverse = np.fromiter(
        (unique.setdefault(c, len(unique)) for c in combos), np.int64, len(combos)
    )
    return list(unique), inverse


def _is_bps_column(codes: list[object]) -> bool:
    """Tell whether 30 % or more of a column's 10-digit codes can only be BPS codes."""
    texts = [t for t in (code_text(c) for c in codes) if t and t.isdigit() and len(t) == 10]
    clear = sum(t[6] not in "123" and is_bps_village(t) for t in texts)
    return bool(texts) and clear / len(texts) >= 0.3


def _match_row(
    bnd: BoundaryIndex,
    row: _Row,
    key: _Key,
    scope: Scope,
    failed: bool,
    *,
    manual: dict[str, int],
    bps_column: bool,
    code_given: bool,
    name_given: bool,
) -> str | None:
    """Match one distinct row by override, code, exact or normalised name.

    `scope` and `failed` are what :func:`~kotaku_map.candidates.parent_scope` made of the
    row's parent. Returns the name to match fuzzily, or None when the row is decided or
    cannot be matched by name.
    """
    code_raw, name_raw, kec_raw, kab_raw = key
    if name_raw is not None and normalise_name(name_raw) in manual:
        row.pos, row.metode, row.skor = manual[normalise_name(name_raw)], "manual", 100.0
        row.notes = ["ditetapkan manual (overrides)"]
        return None
    if code_raw is not None:
        _try_code(bnd, row, code_raw, name_raw, scope, bps_column)
        if row.pos is not None:
            row.notes = [n for n in row.notes if n.startswith("kode")]
            return None
    elif code_given:
        row.notes.append("kode kosong")
    if not name_given:
        return None
    if name_raw is None:
        row.notes.append("nama kosong")
        return None
    if failed:
        return None
    text = str(name_raw)
    if _try_names(bnd, row, text, scope, kec_raw is not None or kab_raw is not None):
        return None
    return text


def _match_distinct(
    bnd: BoundaryIndex,
    keys: list[_Key],
    *,
    threshold: float,
    manual: dict[str, int],
    bps_column: bool,
    code_given: bool,
    name_given: bool,
) -> list[_Row]:
    """Match every distinct row: parents first, then one fuzzy pass per parent."""
    scopes: dict[tuple[object, object], tuple[Scope, list[str], bool]] = {}
    results: list[_Row] = []
    fuzzy_rows: dict[Scope, list[tuple[_Row, str]]] = {}
    for key in keys:
        kec_raw, kab_raw = key[2], key[3]
        row = _Row()
        results.append(row)
        if (kab_raw, kec_raw) not in scopes:
            scopes[(kab_raw, kec_raw)] = parent_scope(bnd, kab_raw, kec_raw, threshold)
        scope, notes, failed = scopes[(kab_raw, kec_raw)]
        row.notes.extend(notes)
        text = _match_row(
            bnd,
            row,
            key,
            scope,
            failed,
            manual=manual,
            bps_column=bps_column,
            code_given=code_given,
            name_given=name_given,
        )
        if text is not None:
            fuzzy_rows.setdefault(scope, []).append((row, text))
    for scope, rows in fuzzy_rows.items():
        _fuzzy(bnd, rows, scope, threshold)
    return results


def _result_frame(
    bnd: BoundaryIndex, results: list[_Row], inverse: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    """The :data:`MATCH_COLUMNS` of every table row, from the outcomes of the distinct rows."""
    pos = [r.pos for r in results]
    unique_out = pd.DataFrame(
        {
            schema.KODE: pd.array(
                [None if p is None else bnd.code[p] for p in pos], dtype="string"
            ),
            "kelurahan_cocok": pd.array(
                [None if p is None else bnd.kel[p] for p in pos], dtype="string"
            ),
            "metode": pd.array([r.metode for r in results], dtype="string"),
            "skor": np.array([r.skor for r in results], dtype="float64"),
            "kandidat": pd.array(
                [
                    None if r.pos is not None and r.metode != "fuzzy" else r.kandidat
                    for r in results
                ],
                dtype="string",
            ),
            "catatan": pd.array([("; ".join(r.notes) or None) for r in results], dtype="string"),
        }
    )
    out = unique_out.iloc[inverse].reset_index(drop=True)
    out.index = index
    return out


def match_table(
    table: pd.DataFrame,
    boundaries: pd.DataFrame,
    *,
    code: str | None = None,
    name: str | None = None,
    kecamatan: str | None = None,
    kabkota: str | None = None,
    source: str = "<table>",
    layer: str | None = None,
    threshold: float = 88.0,
    overrides: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Match each row of a table to one kelurahan of the boundaries, by code or by name.

    See the module docstring for the order of the methods. Identical rows are matched
    once; names are looked up in dicts of normalised keys, and only the rows left over
    go through :func:`rapidfuzz.process.cdist` against the kelurahan of their parent.

    Parameters
    ----------
    table : pandas.DataFrame
        Any table; it is not modified.
    boundaries : pandas.DataFrame
        Kelurahan with the standard columns ``kelurahan`` and, as far as available,
        ``kode`` (dotted Kemendagri code), ``kecamatan``, ``kabkota`` (``'Kota
        Pekalongan'``) and ``kode_kabkota`` (``'33.75'``).
    code, name, kecamatan, kabkota : str, optional
        Columns of `table` with the Kemendagri code, the kelurahan name, the kecamatan
        name and the kab/kota name (or its code ``'33.75'``). At least `code` or `name`.
    source, layer : str, optional
        File and layer/sheet of `table`, for messages.
    threshold : float, default 88.0
        Lowest :func:`rapidfuzz.fuzz.ratio` score (0-100, on normalised names) a fuzzy
        match may have; also used for fuzzy kab/kota and kecamatan names.
    overrides : mapping of str to str, optional
        Kelurahan name as written in the table -> Kemendagri code, for the rows no rule
        gets right. Names are compared normalised; the override applies to every row
        with that name, whatever its parent.

    Returns
    -------
    pandas.DataFrame
        Indexed like `table`, with columns ``kode`` (matched code, ``<NA>`` if none or
        if the boundaries have none), ``kelurahan_cocok``, ``metode`` (see
        :data:`METHODS`), ``skor`` (100 for code, exact, normalised and manual matches;
        the fuzzy score otherwise, for 'ambigu' and 'tidak cocok' the best candidate's,
        0 when nothing was compared), ``kandidat`` (up to 3 closest kelurahan
        ``'Name (kecamatan, kode) score'`` joined by ``'; '`` for fuzzy, ambiguous and
        unmatched rows) and ``catatan`` (why a code was not used, why a row is
        ambiguous or unmatched, how a parent name was read).

    Raises
    ------
    kotaku_map.errors.ConfigError
        If neither `code` nor `name` is given, or `overrides` without `name`.
    kotaku_map.errors.InputError
        If a named column is not in `table` (the closest one is suggested), the
        boundaries lack a needed column, or an override's code is not in the boundaries.

    Examples
    --------
    >>> bnd = pd.DataFrame({
    ...     "kode": ["33.75.01.1002", "33.75.03.1009", "33.26.13.2001"],
    ...     "kelurahan": ["Medono", "Bandengan", "Bandengan"],
    ...     "kecamatan": ["Pekalongan Barat", "Pekalongan Utara", "Kandangserang"],
    ...     "kabkota": ["Kota Pekalongan", "Kota Pekalongan", "Kabupaten Pekalongan"],
    ... })
    >>> t = pd.DataFrame({"kel": ["Kel. MEDONO", "Bandengan", "Bandengan", "Medno"],
    ...                   "kota": ["Kota Pekalongan", None, "Kota Pekalongan", None]})
    >>> m = match_table(t, bnd, name="kel", kabkota="kota")
    >>> m[["kode", "metode"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['33.75.01.1002', 'nama_normal'], [<NA>, 'ambigu'],
     ['33.75.03.1009', 'nama'], ['33.75.01.1002', 'fuzzy']]
    """
    where_table = where(source, layer)
    columns = (code, name, kecamatan, kabkota)
    _check_arguments(table, columns, source, layer, threshold=threshold, overrides=overrides)
    need = [c for c, given in ((schema.KECAMATAN, kecamatan), (schema.KABKOTA, kabkota)) if given]
    bnd = BoundaryIndex(boundaries, need=need)
    manual = _manual_positions(bnd, overrides or {}, where_table)
    keys, inverse = _distinct_rows(table, columns)
    bps_column = code is not None and _is_bps_column([k[0] for k in keys])
    results = _match_distinct(
        bnd,
        keys,
        threshold=threshold,
        manual=manual,
        bps_column=bps_column,
        code_given=code is not None,
        name_given=name is not None,
    )
    return _result_frame(bnd, results, inverse, table.index)
