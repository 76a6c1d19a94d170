"""Tables: CSV (the machine format) and XLSX (for people to read and print), and JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kotaku_map.files import FIXED_DATETIME
from kotaku_map.schema import ADDITIVE_KINDS, column_kind

__all__ = [
    "FORMULA_START",
    "NUMBER_FORMATS",
    "SheetText",
    "csv_safe",
    "write_json",
    "write_table",
    "write_xlsx",
]


@dataclass(frozen=True)
class SheetText:
    """The words of a workbook for people: readable headers, a totals row, a page header.

    The writer takes them as given (they come from :mod:`kotaku_map.render.labels`, in the
    build's language); without them a sheet keeps the machine names of its CSV.

    Parameters
    ----------
    title : str
        Printed at the top of every page.
    headers : mapping of str to str
        Column name -> header as people read it (missing: the column's name).
    notes : mapping of str to str
        Column name -> what it holds, for the sheet that documents the columns.
    units : mapping of str to str
        Kind of a column (:func:`kotaku_map.schema.column_kind`) -> its unit, e.g.
        ``{"ha": "ha", "rupiah": "Rp"}``.
    total : str or None
        Label of the totals row under the table (``None``: no totals row).
    columns_sheet : str or None
        Name of the second sheet, the columns documented (``None``: none).
    columns_headers : tuple of str
        Its four headers: header, column name, content, unit.
    note : str
        A line under the documented columns (what the CSV is for).
    footer : str
        Printed at the foot of every page (``&P``/``&N``: page and number of pages).
    """

    title: str
    headers: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    total: str | None = None
    columns_sheet: str | None = None
    columns_headers: tuple[str, str, str, str] = ("", "", "", "")
    note: str = ""
    footer: str = ""


#: number format of each kind of column (:func:`kotaku_map.schema.column_kind`); a
#: spreadsheet shows the separators of its locale (1.574,45 in Indonesian)
NUMBER_FORMATS = {
    "ha": "#,##0.00",
    "rupiah": "#,##0",
    "pct": '0.0"%"',  # the value is already in percent (0-100), as in the CSV
    "count": "#,##0",
    "score": "0.0",
    "year": "0",
    "row": "0",
    "m": "#,##0.0",
}


def write_table(
    df: pd.DataFrame,
    path: Path,
    *,
    xlsx: bool = True,
    sheet: str = "data",
    text: SheetText | None = None,
) -> list[Path]:
    """Write a table as CSV (UTF-8 with BOM, for Excel) and optionally XLSX.

    The CSV is the machine format: the column names of ``docs/keluaran.md``, a point as
    decimal separator, four decimals for every float; a text cell that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` in front, so that a
    spreadsheet opening the CSV shows the text and never runs it as a formula. The XLSX is
    for people (see :func:`write_xlsx`); it stores every text cell as text, as it is.

    Parameters
    ----------
    df : DataFrame
        The table.
    path : Path
        The file's path without suffix (``.csv`` and ``.xlsx`` are added).
    xlsx : bool
        Also write the XLSX.
    sheet : str
        The XLSX sheet's name.
    text : SheetText, optional
        The XLSX's readable headers, totals row and page header.

    Returns
    -------
    list of Path
        The files written: the CSV, then the XLSX.
    """
    paths = [path.with_suffix(".csv")]
    csv_safe(df).to_csv(paths[0], index=False, encoding="utf-8-sig", float_format="%.4f")
    if xlsx:
        paths.append(path.with_suffix(".xlsx"))
        write_xlsx({sheet: df}, paths[1], texts={sheet: text} if text is not None else None)
    return paths


#: how a text cell that a spreadsheet would run as a formula begins (OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """The table with a ``'`` in front of every text cell that looks like a formula.

    Parameters
    ----------
    df : DataFrame
        A table; not modified.

    Returns
    -------
    DataFrame
        A copy in which text cells starting with one of :data:`FORMULA_START` begin with
        ``'``; numbers and every other cell are as they were.

    Examples
    --------
    >>> t = pd.DataFrame({"nama": ["=SUM(A1)", "-", "@x", "Medono"], "ha": [-1.5, 2, 3, 4]})
    >>> csv_safe(t).to_dict("list")
    {'nama': ["'=SUM(A1)", "'-", "'@x", 'Medono'], 'ha': [-1.5, 2.0, 3.0, 4.0]}
    """
    out = df.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        risky = pd.Series(
            [isinstance(v, str) and v.startswith(FORMULA_START) for v in values.tolist()],
            index=values.index,
            dtype=bool,
        )
        if risky.any():
            out[col] = values.astype(object).where(~risky, "'" + values[risky].astype(str))
    return out


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame],
    path: Path,
    *,
    texts: Mapping[str, SheetText] | None = None,
) -> None:
    """Write sheets to one workbook, for people to read and print.

    Written cell by cell with XlsxWriter's typed calls (several times faster than
    ``DataFrame.to_excel``): numbers as numbers with the format of their kind (hectares
    ``#,##0.00``, Rupiah ``#,##0``, percent, counts, years; :data:`NUMBER_FORMATS`),
    booleans as booleans, dates as dates, everything else as literal text (never a formula
    or a link); missing values and empty text are empty cells. The header row is bold,
    frozen, filtered and repeated on every printed page; pages are A4 landscape, one page
    wide. With a :class:`SheetText` the headers are readable, a ``SUBTOTAL`` row sums the
    hectares, Rupiah and counts, and a second sheet documents the columns. Timestamps are
    fixed, so the same tables give a byte-identical workbook.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name (cut to 31 characters) -> table, in sheet order.
    path : Path
        The workbook.
    texts : mapping of str to SheetText, optional
        The words of each sheet, by sheet name.
    """
    import xlsxwriter

    from kotaku_map.writers.xlsx_sheet import ColumnSheet

    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": True,
        },
    )
    try:
        book.set_properties({"author": "kotaku_map", "created": FIXED_DATETIME})
        formats = _Formats(book)
        for name, df in sheets.items():
            text = (texts or {}).get(name)
            ws = book.add_worksheet(name[:31], worksheet_class=ColumnSheet)
            _write_sheet(ws, df, text, formats)
            if text is not None and text.columns_sheet:
                _write_columns_sheet(book.add_worksheet(text.columns_sheet[:31]), df, text, formats)
    finally:
        book.close()  # XlsxWriter dates the zip entries 1980-01-01 and the document "created"


class _Formats:
    """The cell formats of a workbook, made once."""

    def __init__(self, book: Any) -> None:
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#E8EEF4"}
        )
        self.day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.number = {
            k: book.add_format({"num_format": f, "valign": "top"})
            for k, f in NUMBER_FORMATS.items()
        }
        self.plain = book.add_format({"valign": "top"})
        self.total = book.add_format({"bold": True, "top": 1})
        self.total_number = {
            k: book.add_format({"bold": True, "top": 1, "num_format": f})
            for k, f in NUMBER_FORMATS.items()
        }
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _write_sheet(ws: Any, df: pd.DataFrame, text: SheetText | None, formats: _Formats) -> None:
    """One table: header, typed cells, totals row, widths and print setup."""
    kinds = [column_kind(str(c)) for c in df.columns]
    headers = [(text.headers.get(str(c)) if text else None) or str(c) for c in df.columns]
    widths = []
    for i, col in enumerate(df.columns):
        _write_column(ws, i, df[col], formats, kinds[i])
        ws.write_string(0, i, headers[i], formats.header)
        widths.append(_width(headers[i], df[col], kinds[i]))
        ws.set_column(i, i, widths[i])
    lines = max([_lines(h, w) for h, w in zip(headers, widths, strict=True)] + [1])
    ws.set_row(0, 15 * lines)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(df), 1), max(len(df.columns) - 1, 0))
    if text is not None and text.total and len(df):
        _write_totals(ws, df, kinds, text.total, formats)
    _print_setup(ws, text)


def _write_totals(
    ws: Any, df: pd.DataFrame, kinds: list[str], label: str, formats: _Formats
) -> None:
    """A row under the table summing the columns where a sum means something.

    ``SUBTOTAL(109, ...)`` sums the rows the filter shows; the sum of every row is stored
    as the cell's value for programs that do not calculate.
    """
    from xlsxwriter.utility import xl_rowcol_to_cell

    row = len(df) + 1
    for i, col in enumerate(df.columns):
        if kinds[i] in ADDITIVE_KINDS and pd.api.types.is_numeric_dtype(df[col]):
            first, last = xl_rowcol_to_cell(1, i), xl_rowcol_to_cell(len(df), i)
            value = float(pd.to_numeric(df[col], errors="coerce").sum())
            ws.write_formula(
                row, i, f"=SUBTOTAL(109,{first}:{last})", formats.total_number[kinds[i]], value
            )
        elif i == 0:
            ws.write_string(row, i, label, formats.total)
        else:
            ws.write_blank(row, i, None, formats.total)


def _print_setup(ws: Any, text: SheetText | None) -> None:
    """A4 landscape, one page wide, the header row on every page, title and page numbers."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.3, right=0.3, top=0.75, bottom=0.6)
    ws.hide_gridlines(0)  # gridlines on screen and on paper
    if text is not None:
        ws.set_header(f"&L&B{_escape(text.title)}", {"margin": 0.3})
        ws.set_footer(f"&R{text.footer}" if text.footer else "", {"margin": 0.3})


def _escape(value: str) -> str:
    """Text for a page header: ``&`` starts a control code there."""
    return value.replace("&", "&&")


def _write_columns_sheet(ws: Any, df: pd.DataFrame, text: SheetText, formats: _Formats) -> None:
    """The second sheet: each column's header, CSV name, content and unit."""
    for i, h in enumerate(text.columns_headers):
        ws.write_string(0, i, h, formats.header)
    for r, col in enumerate(df.columns, start=1):
        name = str(col)
        unit = text.units.get(column_kind(name), "")
        for i, value in enumerate((text.headers.get(name, name), name, text.notes.get(name), unit)):
            if value:
                ws.write_string(r, i, _excel_safe(value), formats.wrap)
    if text.note:
        ws.write_string(len(df.columns) + 2, 0, _excel_safe(text.note))
    for i, width in enumerate((32, 28, 70, 12)):
        ws.set_column(i, i, width)
    ws.freeze_panes(1, 0)
    _print_setup(ws, text)


#: the widest a column of text gets, in characters: longer text wraps (so that a table of
#: 16 columns prints one A4 page wide at a legible size)
TEXT_WIDTH = 24


def _width(header: str, values: pd.Series, kind: str) -> float:
    """A column's width in characters, at least its header's longest word (headers wrap).

    Numbers: the widest as formatted (the total too); text: the longest, up to
    :data:`TEXT_WIDTH` (longer text wraps).
    """
    if kind in NUMBER_FORMATS and pd.api.types.is_numeric_dtype(values):
        nums = np.abs(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)[:200])
        nums = nums[~np.isnan(nums)]
        digits = 2 if kind == "ha" else 1 if kind in ("pct", "score", "m") else 0
        # the longest formatted number is that of the largest (its length grows with it)
        largest = [f"{nums.max():,.{digits}f}"] if len(nums) else []
        cells = largest + [f"{values.sum():,.{digits}f}"]
        longest = max(len(c) for c in cells)
    else:
        head = values.to_numpy(dtype=object)[:200].tolist()
        longest = min(TEXT_WIDTH, max([len(str(v)) for v in head if not pd.isna(v)] + [0]))
    word = max(len(w) for w in header.split() or [""])
    return float(min(50, max(6, longest, word)) + 2)


def _lines(header: str, width: float) -> int:
    """Lines a wrapped header takes in a column ``width`` characters wide."""
    lines, used = 1, 0
    for word in header.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _write_column(ws: Any, col: int, values: pd.Series, formats: _Formats, kind: str) -> None:
    """One column below the header, with the cell type its dtype calls for."""
    day, text = formats.day, formats.wrap
    number = formats.number.get(kind, formats.plain)
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        for row, v in enumerate(values.tolist(), start=1):
            ws.write_boolean(row, col, v, formats.plain)
        return
    if pd.api.types.is_numeric_dtype(values):
        nums = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
        finite = np.isfinite(nums)
        ws.write_cells(col, (np.flatnonzero(finite) + 1).tolist(), nums[finite].tolist(), number)
        return
    if pd.api.types.is_datetime64_any_dtype(values):
        for row, v in enumerate(values.tolist(), start=1):
            if not pd.isna(v):
                ws.write_datetime(row, col, v.tz_localize(None).to_pydatetime(), day)
        return
    items = values.tolist()
    if pd.api.types.is_string_dtype(values.dtype) and not isinstance(values.dtype, np.dtype):
        # a text column (no other type inside): missing and empty values are empty cells
        clean = _ILLEGAL_XLSX.search("\n".join(v for v in items if isinstance(v, str))) is None
        cells = [(row, v) for row, v in enumerate(items, start=1) if isinstance(v, str) and v]
        strings = [v if clean else _excel_safe(v) for _, v in cells]
        ws.write_cells(col, [row for row, _ in cells], strings, text)
        return
    for row, v in enumerate(items, start=1):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            continue
        if isinstance(v, bool | np.bool_):
            ws.write_boolean(row, col, bool(v), formats.plain)
        elif isinstance(v, int | float | np.integer | np.floating):
            if np.isfinite(v):
                ws.write_number(row, col, float(v), number)
        elif isinstance(v, dt.datetime | dt.date):
            ws.write_datetime(row, col, v, day)
        elif str(v) != "":  # empty text is an empty cell, not a cell holding ""
            ws.write_string(row, col, _excel_safe(str(v)), text)


_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _excel_safe(v: Any) -> Any:
    """Strip control characters XLSX cannot hold.

    Text that looks like a formula (``=HYPERLINK(...)``) stays literal text: the workbook
    is written with ``strings_to_formulas`` off, so such a cell is a string, never run.
    """
    if not isinstance(v, str):
        return v
    return _ILLEGAL_XLSX.sub("", v)


def write_json(data: Any, path: Path) -> None:
    """Write JSON, UTF-8, sorted keys, indented (stable for diffs).

    Parameters
    ----------
    data : object
        JSON-serialisable data (anything else is written as its ``str``).
    path : Path
        The file.
    """
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n",
        encoding="utf-8",
    )
