"""An XlsxWriter worksheet that takes a table a column at a time, and writes it faster.

XlsxWriter spends about 13 µs of Python on each cell: a checked call to store it
(``write_number``), then, when the workbook closes, a general routine that writes it out
(3.5 CPU s for the 265,000 cells of a province's workbooks). :class:`ColumnSheet`, about
10 µs a cell, is a worksheet (``add_worksheet(worksheet_class=...)``) that

* stores a whole column of numbers or strings at once (:meth:`ColumnSheet.write_cells`), as
  ``write_number`` and ``write_string`` store each cell, strings entering the shared-string
  table in the same order;
* writes its rows of plain numbers and shared strings with one formatted string per row,
  the same XML, byte for byte, as XlsxWriter's own routine, which still writes every other
  kind of cell (formulas, booleans, dates, blanks).

It reads XlsxWriter's cell table, a private structure of that library: where the sheet
holds anything this module does not know (comments, the constant-memory mode) it leaves
the whole sheet to XlsxWriter, and ``tests/test_xlsx_sheet.py`` compares its XML with
XlsxWriter's for every kind of cell, so that a new XlsxWriter that stores cells otherwise
fails a test rather than a workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import xlsxwriter.worksheet
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["ColumnSheet"]

#: XlsxWriter's cell records (3.x): a later version that stores cells otherwise leaves the
#: column worksheet its own per-cell routines, slower but right
CellNumberTuple: Any = getattr(xlsxwriter.worksheet, "CellNumberTuple", None)
CellStringTuple: Any = getattr(xlsxwriter.worksheet, "CellStringTuple", None)
_KNOWN = (
    CellNumberTuple is not None
    and CellStringTuple is not None
    and all(
        hasattr(Worksheet, name)
        for name in ("_check_dimensions", "_write_row", "_write_empty_row", "_write_cell")
    )
)


class ColumnSheet(Worksheet):  # type: ignore[misc]
    """A worksheet with column writers and a fast writer of its rows (see the module)."""

    def write_cells(
        self,
        col: int,
        rows: Sequence[int],
        values: Sequence[float] | Sequence[str],
        cell_format: Any,
    ) -> None:
        """Store a column's numbers or strings, as ``write_number``/``write_string`` would.

        Strings enter the shared-string table in the order of ``rows``, as they would one
        by one; a string long enough to need cutting to Excel's limit goes through
        ``write_string``.

        Parameters
        ----------
        col : int
            The column (zero-based).
        rows : sequence of int
            The rows (zero-based, ascending).
        values : sequence of float or sequence of str
            Finite numbers, or non-empty strings: one per row, all of one type.
        cell_format : xlsxwriter.format.Format
            Their format.
        """
        strings = bool(len(values)) and isinstance(values[0], str)
        one_by_one = self.write_string if strings else self.write_number
        if not self._stores_at_once(col, rows):
            for row, value in zip(rows, values, strict=True):
                one_by_one(row, col, value, cell_format)
            return
        table, index_of = self.table, self.str_table._get_shared_string_index
        half = self.xls_strmax // 2
        for row, value in zip(rows, values, strict=True):
            if not strings:
                table[row][col] = CellNumberTuple(value, cell_format)
            elif len(str(value)) > half:  # may need cutting to Excel's limit: XlsxWriter's way
                one_by_one(row, col, value, cell_format)
            else:
                table[row][col] = CellStringTuple(index_of(value), cell_format)

    def _stores_at_once(self, col: int, rows: Sequence[int]) -> bool:
        """Whether the cells can go straight into the table (then the dimensions are set)."""
        if not _KNOWN or self.constant_memory or not len(rows):
            return False
        if rows[0] < 0 or rows[-1] >= self.xls_rowmax or col < 0 or col >= self.xls_colmax:
            return False
        self._check_dimensions(rows[0], col)
        self._check_dimensions(rows[-1], col)
        return True

    def _write_rows(self) -> None:
        """XlsxWriter's ``_write_rows``, with numbers and shared strings written per row."""
        if not _KNOWN or self.constant_memory or self.comments:
            super()._write_rows()
            return
        self.row_spans = self._spans()
        letters: dict[int, str] = {}
        styles: dict[int, str] = {}
        write, table, row_info = self.fh.write, self.table, self.row_info
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row)
            span = self.row_spans.get(row // 16)
            if not cells:
                if row in row_info:  # a blank row with attributes only
                    self._write_empty_row(row, span, row_info[row])
                continue
            self._write_row(row, span, row_info.get(row))
            line: list[str] = []
            for col in sorted(cells):
                cell = cells[col]
                kind = cell.__class__
                fmt = cell.format
                if fmt is None or (kind is not CellNumberTuple and kind is not CellStringTuple):
                    write("".join(line))
                    line = []
                    self._write_cell(row, col, cell)
                    continue
                ref = letters.get(col) or letters.setdefault(col, xl_col_to_name(col))
                style = styles.get(id(fmt)) or styles.setdefault(id(fmt), str(fmt._get_xf_index()))
                if kind is CellNumberTuple:
                    line.append(f'<c r="{ref}{row + 1}" s="{style}"><v>{cell.number:.16G}</v></c>')
                else:
                    line.append(f'<c r="{ref}{row + 1}" s="{style}" t="s"><v>{cell.string}</v></c>')
            line.append("</row>")
            write("".join(line))

    def _spans(self) -> dict[int, str]:
        """The ``spans`` of each block of 16 rows: its first and last column with a cell.

        What XlsxWriter's ``_calculate_spans`` finds by testing every column of every row.
        """
        low: dict[int, int] = {}
        high: dict[int, int] = {}
        for row, cells in self.table.items():
            if cells and self.dim_rowmin <= row <= self.dim_rowmax:
                block = row // 16
                first, last = min(cells), max(cells)
                low[block] = min(first, low.get(block, first))
                high[block] = max(last, high.get(block, last))
        return {block: f"{low[block] + 1}:{high[block] + 1}" for block in low}
