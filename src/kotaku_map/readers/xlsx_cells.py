"""The cells of one sheet of an XLSX workbook, without loading the workbook's other sheets.

An SK Kumuh workbook holds a sheet of every slum RT (``kumuhRT``, 4 MB of XML in
Pekalongan's) next to the five small sheets the build reads. openpyxl's normal mode parses
every sheet into cell objects on each open (2.3 s for that workbook, six opens per build);
its read-only mode streams only the sheet asked for. Read-only mode does not report merged
ranges, so they are taken from the sheet's own ``mergeCells`` element, found through the
workbook's relationships as the OOXML standard (ECMA-376 part 1, 18.2.20 and 18.3.1.55)
lays them out.

* :func:`sheet_cells`: a sheet's values by row, merged ranges filled in.
"""

from __future__ import annotations

import difflib
import io
import posixpath
import zipfile
from pathlib import Path
from xml.etree.ElementTree import iterparse

from openpyxl.utils.cell import range_boundaries

from ..errors import InputError
from .files import short_error

__all__ = ["sheet_cells"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_cells(path: Path, sheet: str | None) -> list[list[object]]:
    """The cells of one sheet as Excel stores them (merged ranges filled in), by row.

    Row ``i`` of the result is the sheet's row ``i + 1`` (rows the file leaves out are
    empty lists); a row ends at its last stored cell. Every cell of a merged range holds the
    range's top-left value, as if the range had been unmerged and filled.

    Parameters
    ----------
    path : Path
        An ``.xlsx`` or ``.xlsm`` workbook.
    sheet : str or None
        The sheet's name; ``None``: the first sheet that holds cells (not a chart).

    Returns
    -------
    list of list
        Cell values (numbers, text, dates, booleans; ``None`` where blank), formulas as
        their cached results.

    Raises
    ------
    InputError
        The file is not a readable workbook, it has no sheet ``sheet``, or that sheet is a
        chart.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
        raise _unreadable(path, exc) from None
    try:
        names = wb.sheetnames
        if sheet is not None and sheet not in names:
            close = difflib.get_close_matches(sheet, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InputError(f"{path}: has no sheet {sheet!r}{hint}; sheets are {names}")
        tables = [ws.title for ws in wb.worksheets]  # chart sheets hold no cells
        if sheet is not None and sheet not in tables:
            raise InputError(f"{path}: sheet {sheet!r} is a chart, not a table; tables: {tables}")
        if not tables:
            raise InputError(f"{path}: has no sheet with cells, only charts: {names}")
        name = tables[0] if sheet is None else sheet
        ws = wb[name]
        ws.reset_dimensions()  # trust the cells, not the size the file states
        try:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            merged = _merged_ranges(path, name)
        except Exception as exc:  # a damaged sheet part: XML, zip or value errors
            raise _unreadable(path, exc) from None
    finally:
        wb.close()
    for min_col, min_row, max_col, max_row in merged:
        top_left = _value(rows, min_row, min_col)
        for r in range(min_row, max_row + 1):
            while len(rows) < r:
                rows.append([])
            row = rows[r - 1]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            row[min_col - 1 : max_col] = [top_left] * (max_col - min_col + 1)
    return rows


def _unreadable(path: Path, exc: Exception) -> InputError:
    return InputError(
        f"{path}: cannot be read as XLSX (truncated or not a workbook?): {short_error(exc)}"
    )


def _value(rows: list[list[object]], row: int, col: int) -> object:
    """The value at 1-based ``(row, col)``, ``None`` outside the stored cells."""
    if row <= len(rows) and col <= len(rows[row - 1]):
        return rows[row - 1][col - 1]
    return None


def _merged_ranges(path: Path, sheet: str) -> list[tuple[int, int, int, int]]:
    """``(min_col, min_row, max_col, max_row)`` of each merged range of sheet ``sheet``.

    Most sheets have none: the part's bytes are searched first, and parsed as XML only
    where a ``mergeCell`` element may be (an 85,000-row list: 0.1 s instead of 1.4 s).
    """
    with zipfile.ZipFile(path) as z:
        data = z.read(_sheet_part(z, sheet))
    if b"mergeCell" not in data:
        return []
    out = []
    for _, el in iterparse(io.BytesIO(data)):
        if el.tag == f"{_MAIN}mergeCell" and el.get("ref"):
            out.append(range_boundaries(el.get("ref")))
        el.clear()
    return out


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    """The zip member of the sheet named ``sheet``.

    The workbook part is found through ``_rels/.rels``, the sheet's ``r:id`` in it, and its
    part through the workbook's own relationships.
    """
    book = next(
        t for _, kind, t in _relationships(z, "_rels/.rels") if kind.endswith("/officeDocument")
    )
    with z.open(book) as f:
        rid = next(
            el.get(f"{_REL}id")
            for _, el in iterparse(f)
            if el.tag == f"{_MAIN}sheet" and el.get("name") == sheet
        )
    folder, name = posixpath.split(book)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    return next(t for i, _, t in _relationships(z, rels, folder) if i == rid)


def _relationships(z: zipfile.ZipFile, rels: str, base: str = "") -> list[tuple[str, str, str]]:
    """``(Id, Type, target part)`` of every relationship in the part ``rels``.

    A relative target is resolved against ``base``, the folder of the part they belong to.
    """
    out = []
    with z.open(rels) as f:
        for _, el in iterparse(f):
            if el.tag == f"{_PKG_REL}Relationship":
                target = el.get("Target", "")
                if target.startswith("/"):
                    target = target.lstrip("/")
                else:
                    target = posixpath.normpath(posixpath.join(base, target))
                out.append((el.get("Id", ""), el.get("Type", ""), target))
    return out
