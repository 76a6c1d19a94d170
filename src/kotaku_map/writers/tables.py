"""Tables: CSV (the machine format) and XLSX (for people), and the JSON manifest."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kotaku_map.files import FIXED_DATETIME

__all__ = ["FORMULA_START", "csv_safe", "write_json", "write_table", "write_xlsx"]


def write_table(
    df: pd.DataFrame, path: Path, *, xlsx: bool = True, sheet: str = "data"
) -> list[Path]:
    """Write a table as CSV (UTF-8 with BOM, for Excel) and optionally XLSX.

    In the CSV, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a ``'`` in front, so that a spreadsheet opening the CSV shows
    the text and never runs it as a formula (numbers are written as they are). The XLSX
    stores every text cell as text, as it is.

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

    Returns
    -------
    list of Path
        The files written: the CSV, then the XLSX.
    """
    paths = [path.with_suffix(".csv")]
    csv_safe(df).to_csv(paths[0], index=False, encoding="utf-8-sig", float_format="%.4f")
    if xlsx:
        paths.append(path.with_suffix(".xlsx"))
        write_xlsx({sheet: df}, paths[1])
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
        risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
        if risky.any():
            out[col] = values.astype(object).where(~risky, "'" + values[risky].astype(str))
    return out


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Write sheets to one workbook: bold frozen header, autofilter, fitted column widths.

    Written cell by cell with XlsxWriter's typed calls (several times faster than
    ``DataFrame.to_excel``): numbers as numbers, booleans as booleans, dates as dates,
    everything else as literal text (never a formula or a link); missing values stay
    empty. Timestamps are fixed, so the same tables give a byte-identical workbook.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name (cut to 31 characters) -> table, in sheet order.
    path : Path
        The workbook.
    """
    import xlsxwriter

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
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for name, df in sheets.items():
            ws = book.add_worksheet(name[:31])
            for i, col in enumerate(df.columns):
                _write_column(ws, i, df[col], day)
                width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
                ws.set_column(i, i, min(50, width + 2))
                ws.write_string(0, i, str(col), bold)
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(len(df), 1), max(len(df.columns) - 1, 0))
    finally:
        book.close()  # XlsxWriter dates the zip entries 1980-01-01 and the document "created"


def _write_column(ws: Any, col: int, values: pd.Series, day: Any) -> None:
    """One column below the header, with the cell type its dtype calls for."""
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        for row, v in enumerate(values.tolist(), start=1):
            ws.write_boolean(row, col, v)
        return
    if pd.api.types.is_numeric_dtype(values):
        nums = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
        for i in np.flatnonzero(np.isfinite(nums)).tolist():
            ws.write_number(i + 1, col, float(nums[i]))
        return
    if pd.api.types.is_datetime64_any_dtype(values):
        for row, v in enumerate(values.tolist(), start=1):
            if not pd.isna(v):
                ws.write_datetime(row, col, v.tz_localize(None).to_pydatetime(), day)
        return
    for row, v in enumerate(values.tolist(), start=1):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            continue
        if isinstance(v, bool | np.bool_):
            ws.write_boolean(row, col, bool(v))
        elif isinstance(v, int | float | np.integer | np.floating):
            if np.isfinite(v):
                ws.write_number(row, col, float(v))
        elif isinstance(v, dt.datetime | dt.date):
            ws.write_datetime(row, col, v, day)
        else:
            ws.write_string(row, col, _excel_safe(str(v)))


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
