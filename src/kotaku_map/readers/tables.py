"""Reading tables, in the formats GIS teams really hand over.

CSV (any common encoding and separator) and XLSX (header found below title rows), read
by :func:`read_table` as text; workbooks made by an application, read by
:func:`read_sheet` with typed cells; and :func:`require_columns`, the check that the
configured columns are there.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, where
from ..schema import SUMBER_BARIS
from .files import require_file, short_error
from .xlsx_cells import sheet_cells

__all__ = ["read_sheet", "read_table", "require_columns"]


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    expect: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a CSV or XLSX table; find the header row; add ``baris_sumber``.

    CSV: UTF-8 (with or without BOM), then cp1252; separator sniffed (``,`` ``;`` tab).
    XLSX: the header is the first row that holds every ``expect`` column (title rows
    above it are skipped); without ``expect``, the first row with mostly text cells.
    All cells are read as text: codes keep their leading zeros; numbers are parsed
    later with :func:`kotaku_map.number_text.parse_number`.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv`` or ``.xlsx`` file.
    sheet : str, optional
        The XLSX sheet; the first by default.
    expect : sequence of str
        Columns the header row must hold (finds the header below title rows).

    Returns
    -------
    pandas.DataFrame
        The data rows, as text, with ``baris_sumber`` (the file's line or Excel row).

    Raises
    ------
    InputError
        Missing file or sheet, unreadable file, empty table, header not found.
    """
    path = Path(path)
    require_file(path, "table")
    raw, w = _read_grid(path, sheet)
    if raw.empty:
        raise InputError(f"{w}: the table is empty")
    header_at = _find_header(raw, expect)
    if header_at is None:
        raise InputError(
            f"{w}: no header row with columns {list(expect)} in the first 20 rows"
            + _header_hint(raw, expect)
        )
    body = _rows_below_header(raw, header_at, expect)
    body = body.loc[~_no_data(body, expect)]
    if body.empty:
        raise InputError(f"{w}: the table has a header but no data rows")
    # source row as people count it in the file: header line = its own number
    body.insert(len(body.columns), SUMBER_BARIS, body.index.to_numpy() + header_at + 2)
    return body.reset_index(drop=True)


def _read_grid(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str]:
    """Return every cell of the table as text, and where it is (for messages)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv_grid(path), where(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx_grid(path, sheet), where(path, sheet)
    raise InputError(f"{path}: expected a CSV or XLSX table, found {suffix or 'no extension'}")


def _rows_below_header(raw: pd.DataFrame, header_at: int, expect: Sequence[str]) -> pd.DataFrame:
    """Return the rows below the header, named by it; columns without a header go."""
    header = _unique_header([_cell_text(v) for v in raw.iloc[header_at]])
    # a configured column matches its header whatever the case and spacing ("KELURAHAN")
    wanted = {" ".join(e.split()).lower(): e for e in expect}
    header = [wanted.get(h.lower(), h) if h not in expect else h for h in header]
    body = raw.iloc[header_at + 1 :].reset_index(drop=True)
    body.columns = header
    return body.loc[:, [h for h in header if not h.startswith("_kolom_")] or header]


def _no_data(body: pd.DataFrame, expect: Sequence[str]) -> pd.Series:
    """Mark blank rows, and the rows right below the header that repeat its names.

    A header of two rows whose cells are merged vertically: after unmerging, the rows
    right below the header repeat the expected column names; they are no data.
    """
    blank = body.map(lambda v: _cell_text(v) == "").all(axis=1)

    def norm(v: object) -> str:
        return " ".join(_cell_text(v).split()).lower()

    repeat = [e for e in expect if e in body.columns]
    for i in range(len(body) if repeat else 0):
        if blank.iloc[i]:
            continue
        if all(norm(body[e].iloc[i]) == norm(e) for e in repeat):
            blank.iloc[i] = True
        else:
            break
    return blank


def _header_hint(raw: pd.DataFrame, expect: Sequence[str]) -> str:
    """For a misspelt column: the row that looks like the header, and the closest names."""
    guess = _find_header(raw, ())
    if guess is None:
        return ""
    found = [
        h
        for h in _unique_header([_cell_text(v) for v in raw.iloc[guess]])
        if not h.startswith("_kolom_")
    ]
    have = {h.lower() for h in found}
    hints = []
    for e in expect:
        if " ".join(e.split()).lower() in have:
            continue
        close = difflib.get_close_matches(e, found, n=1, cutoff=0.6)
        if close:
            hints.append(f"did you mean {close[0]!r} for {e!r}?")
    return f"; the header looks like row {guess + 1} with columns {found[:30]}" + (
        f" ({' '.join(hints)})" if hints else ""
    )


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _unique_header(header: list[str]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(header):
        name = " ".join(h.split()) or f"_kolom_{i + 1}"
        base, k = name, 2
        while name in out:
            name, k = f"{base}_{k}", k + 1
        out.append(name)
    return out


def _find_header(raw: pd.DataFrame, expect: Sequence[str]) -> int | None:
    head = raw.head(20)
    if expect:
        want = {" ".join(e.split()).lower() for e in expect}
        for i in range(len(head)):
            found = {" ".join(_cell_text(v).split()).lower() for v in head.iloc[i]}
            if want <= found:
                return i
        return None
    best = None
    # a title row ("DAFTAR LOKASI NUSP-2") fills one cell: a header fills at least two
    # (or the only column) and half of them
    need = max(min(2, raw.shape[1]), 0.5 * raw.shape[1])
    for i in range(len(head)):
        cells = [_cell_text(v) for v in head.iloc[i]]
        filled = [c for c in cells if c]
        texty = [c for c in filled if not _looks_numeric(c)]
        if filled and len(texty) >= need and len(texty) == len(filled):
            return i
        if best is None and filled:
            best = i
    return best


def _looks_numeric(s: str) -> bool:
    return s.replace(".", "").replace(",", "").replace("-", "").strip().isdigit()


_CSV_SEPARATORS = (";", "\t", ",", "|")  # ties go to the first: ';' is Excel's in id-ID


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


def _sniff_separator(lines: list[str]) -> str:
    """Pick the separator that splits the most lines into the same number (> 1) of fields.

    ``csv.Sniffer`` prefers ``,`` on a tie, which splits a ``;`` file whose every row
    holds one Indonesian decimal comma ("961,59") in the wrong place.
    """
    sample = [ln for ln in lines[:200] if ln.strip()]
    best, best_score = ",", (-1, 0)
    for sep in _CSV_SEPARATORS:
        counts = [len(r) for r in csv.reader(sample, delimiter=sep)]
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        if modal < 2:
            continue
        score = (counts.count(modal), modal)
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_csv_grid(path: Path) -> pd.DataFrame:
    """All cells as text, one grid row per line (blank lines kept: row numbers stay true)."""
    text = _decode(path.read_bytes())
    if "\x00" in text:
        raise InputError(
            f"{path}: cannot be read as CSV: the file holds binary data "
            "(a spreadsheet saved with a .csv name?)"
        )
    lines = text.splitlines()
    sep = _sniff_separator(lines)
    try:
        rows = list(csv.reader(lines, delimiter=sep))
    except csv.Error as exc:
        raise InputError(f"{path}: cannot be read as CSV: {short_error(exc)}") from None
    if not any(any(c.strip() for c in r) for r in rows):
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _read_xlsx_grid(path: Path, sheet: str | None) -> pd.DataFrame:
    rows = sheet_cells(path, sheet)
    if not any(_cell_text(v) for r in rows for v in r):
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    return grid.map(_cell_text).astype(str)


def read_sheet(path: str | Path, sheet: str) -> pd.DataFrame:
    """Read one sheet of a workbook whose first row is its header, with typed cells.

    For workbooks made by an application (the SK Kumuh workbook of SIM KOTAKU): numbers
    stay numbers, blank cells are missing, columns without a header are left out, and
    ``baris_sumber`` is the row number in the sheet (the header is row 1). Tables typed
    by people go through :func:`read_table` instead (all text, header found anywhere).

    Parameters
    ----------
    path : str or Path
        An ``.xlsx`` workbook.
    sheet : str
        The sheet's name.

    Returns
    -------
    pandas.DataFrame
        One column per named header cell, cells as the workbook types them (None where
        blank), trailing blank rows left out, and ``baris_sumber`` (2 for the first data row).

    Raises
    ------
    InputError
        Missing or unreadable file, no such sheet, an empty sheet.
    """
    path = Path(path)
    require_file(path, "table")
    rows = sheet_cells(path, sheet)
    if not rows or not any(v is not None for v in rows[0]):
        raise InputError(f"{where(path, sheet)}: the sheet is empty (expected a header row)")
    width = max(len(r) for r in rows)

    def blank(v: object) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    header: list[str | None] = []
    for v in list(rows[0]) + [None] * (width - len(rows[0])):
        name = None if blank(v) else str(v).strip()
        while name is not None and name in header:  # a repeated header: "x", "x.1", ...
            name = f"{name}.1"
        header.append(name)
    body = [[None if blank(v) else v for v in r] + [None] * (width - len(r)) for r in rows[1:]]
    while body and all(v is None for v in body[-1]):
        body.pop()
    frame = pd.DataFrame(
        {name: pd.Series([r[j] for r in body]) for j, name in enumerate(header) if name}
    )
    frame[SUMBER_BARIS] = np.arange(2, len(frame) + 2)
    return frame


def require_columns(
    frame: pd.DataFrame, columns: dict[str, str | None], *, source: object, layer: str | None
) -> None:
    """Raise :class:`InputError` for the first configured column not in ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table or layer as read.
    columns : dict of str to str or None
        Config key (``"columns.kelurahan"``) -> column name; None when not configured.
    source : object
        The file, for the message.
    layer : str or None
        The layer or sheet, for the message.

    Returns
    -------
    None
        Returns when every configured column is there.

    Raises
    ------
    kotaku_map.errors.InputError
        Naming the column, its config key, the closest column and the columns there are.

    Examples
    --------
    >>> df = pd.DataFrame({"kelurahan": ["A"], "kecamatan": ["B"]})
    >>> require_columns(df, {"columns.kelurahan": "kelurhan"}, source="a.csv", layer=None)
    Traceback (most recent call last):
    ...
    kotaku_map.errors.InputError: a.csv, column 'kelurhan': no such column (config key \
'columns.kelurahan'; did you mean 'kelurahan'?); columns are ['kelurahan', 'kecamatan']
    """
    have = [str(c) for c in frame.columns if c != SUMBER_BARIS and c != "geometry"]
    for key, col in columns.items():
        if col is None or col in frame.columns:
            continue
        close = difflib.get_close_matches(col, have, n=1, cutoff=0.6)
        if not close:
            lower = {h.lower(): h for h in have}
            close = [lower[col.lower()]] if col.lower() in lower else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(
            f"{where(source, layer, col)}: no such column (config key {key!r}{hint}); "
            f"columns are {have[:30]}"
        )
