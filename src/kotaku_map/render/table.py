"""Printed tables: as many pages as they need, the head repeated on each.

A :class:`Table` is text already formatted (numbers the way the reader writes them). Its
columns are as wide as their widest cell (the font shrinks to 70 % when the table is wider
than the page); heads break into two lines. :func:`table_pages` says which rows go on which
page, knowing only the paper, so an atlas can number its pages before drawing any;
:func:`draw_table` draws one page's rows on a :class:`~kotaku_map.render.canvas.Canvas`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .canvas import Canvas
from .draw import MM_PER_PT, text_height, text_width, wrap
from .print_style import PRINT_COLORS, PRINT_TEXT, PrintText
from .sheet import Box, Layout
from .symbols import Symbol

__all__ = ["Table", "TableFit", "draw_table", "fit_table", "rows_per_page", "table_pages"]

_ROW_SPACING = 1.5  # row height, in font sizes
_HEAD_LINES = 2
_PAD = 2.2  # mm between columns, at least
_SWATCH = 3.2  # mm: a row's swatch and the room after it


@dataclass(frozen=True)
class Table:
    """A table to print: heads, rows of text, which columns are numbers, an optional total.

    Parameters
    ----------
    heads : sequence of str
        The columns' heads (broken into lines where they are wider than the column).
    rows : sequence of sequence of str
        The rows, as they are printed.
    numeric : sequence of bool
        Right-aligned columns.
    total : sequence of str, optional
        A last row in bold (on the last page).
    swatches : sequence of Symbol or None, optional
        Per row, a small swatch drawn before the text of column ``swatch_column``.
    swatch_column : int
        The column the swatches go into.
    """

    heads: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[bool]
    total: Sequence[str] | None = None
    swatches: Sequence[Symbol | None] | None = None
    swatch_column: int = 0


@dataclass(frozen=True)
class TableFit:
    """How a table is set: font size, column widths (mm) and heads broken into lines.

    Parameters
    ----------
    size : float
        The rows' font size, pt (the heads' in proportion, :attr:`head_size`).
    widths : list of float
        Each column's width, mm.
    heads : list of list of str
        Each column's head, broken into lines.
    """

    size: float
    widths: list[float]
    heads: list[list[str]]

    @property
    def head_size(self) -> float:
        """The heads' font size."""
        return self.size * PRINT_TEXT["table_head"].size / PRINT_TEXT["table"].size

    @property
    def row_height(self) -> float:
        """Height of a row, mm."""
        return self.size * _ROW_SPACING * MM_PER_PT

    @property
    def head_height(self) -> float:
        """Height of the head, mm."""
        return (text_height(self.head_size) * _HEAD_LINES + self.size * 0.8) * MM_PER_PT


def rows_per_page(lay: Layout, height: float | None = None) -> int:
    """How many rows fit on a page of ``lay`` (the head and a total row aside).

    Parameters
    ----------
    lay : Layout
    height : float, optional
        The table's height, mm (default: the layout's body, less a title line).

    Returns
    -------
    int

    Examples
    --------
    >>> from kotaku_map.render.sheet import layout
    >>> rows_per_page(layout("A4", "portrait")) > rows_per_page(layout("A4", "landscape")) > 30
    True
    """
    full = TableFit(PRINT_TEXT["table"].size, [], [])
    free = (height if height is not None else body_box(lay).h) - full.head_height - 1.0
    return max(1, int(free // full.row_height) - 1)


def body_box(lay: Layout) -> Box:
    """Where a table page's table goes: the body less a line for the table's title."""
    title = PRINT_TEXT["table_title"].size * MM_PER_PT * 1.8
    return Box(lay.body.x, lay.body.y, lay.body.w, lay.body.h - title)


def table_pages(n_rows: int, lay: Layout, *, height: float | None = None) -> list[range]:
    """The rows on each page of a table of ``n_rows`` (one empty page for no rows).

    Parameters
    ----------
    n_rows : int
    lay : Layout
    height : float, optional
        See :func:`rows_per_page`.

    Returns
    -------
    list of range

    Examples
    --------
    >>> from kotaku_map.render.sheet import layout
    >>> [len(r) for r in table_pages(100, layout("A4", "landscape"))]
    [41, 41, 18]
    """
    per = rows_per_page(lay, height)
    return [range(i, min(i + per, n_rows)) for i in range(0, max(n_rows, 1), per)]


def _widths(table: Table, size: float) -> tuple[list[float], list[list[str]]]:
    """Width of each column (mm) at font ``size``, and the heads broken into lines."""
    head_size = size * PRINT_TEXT["table_head"].size / PRINT_TEXT["table"].size
    widths, heads = [], []
    n = len(table.heads)
    cells = [list(col) for col in zip(*table.rows, strict=True)] if table.rows else [[]] * n
    for j, head in enumerate(table.heads):
        column = cells[j] + ([table.total[j]] if table.total else [])
        data = max((text_width(c, size) for c in set(column)), default=0.0)
        if table.swatches is not None and j == table.swatch_column:
            data += _SWATCH / MM_PER_PT
        word = max((text_width(w, head_size, bold=True) for w in head.split()), default=0.0)
        width = max(data, word)
        lines = wrap(head, width, head_size, bold=True)
        while len(lines) > _HEAD_LINES:
            width *= 1.1
            lines = wrap(head, width, head_size, bold=True)
        width = max([width] + [text_width(ln, head_size, bold=True) for ln in lines])
        widths.append(width * MM_PER_PT + _PAD)
        heads.append(lines)
    return widths, heads


def fit_table(table: Table, width: float) -> TableFit:
    """Set a table to ``width`` mm: shrink the font if it is wider, share out spare room.

    Parameters
    ----------
    table : Table
    width : float
        mm.

    Returns
    -------
    TableFit

    Examples
    --------
    >>> t = Table(["Kelurahan", "Luas (ha)"], [["Satu", "1,00"]], [False, True])
    >>> fit = fit_table(t, 100.0)
    >>> fit.size, fit.heads
    (6.5, [['Kelurahan'], ['Luas', '(ha)']])
    """
    size = PRINT_TEXT["table"].size
    widths, heads = _widths(table, size)
    if sum(widths) > width:
        size = max(size * 0.7, size * width / sum(widths))
        widths, heads = _widths(table, size)
    extra = min(6.0, max(0.0, (width - sum(widths)) / max(len(widths), 1)))
    return TableFit(size, [w + extra for w in widths], heads)


def draw_table(
    canvas: Canvas, box: Box, table: Table, rows: range, *, fit: TableFit, with_total: bool
) -> None:
    """One page of a table: the head, the rows ``rows``, and the total if asked.

    Parameters
    ----------
    canvas : Canvas
        The page (mm).
    box : Box
        Where the table goes (it starts at the box's top left corner).
    table : Table
    rows : range
        The rows on this page.
    fit : TableFit
        :func:`fit_table` of the table (the same on every page).
    with_total : bool
        Set the table's total row under them.
    """
    lefts = [box.x]
    for w in fit.widths[:-1]:
        lefts.append(lefts[-1] + w)
    right = lefts[-1] + fit.widths[-1]
    st_head = PRINT_TEXT["table_head"]
    for j, lines in enumerate(fit.heads):
        x, ha = _anchor(table, fit, lefts, j)
        for i, line in enumerate(lines):
            y = box.top - (i + 1) * text_height(fit.head_size) * MM_PER_PT
            canvas.text(x, y, line, st_head, size=fit.head_size, ha=ha)
    top = box.top - fit.head_height
    canvas.line(box.x, top, right, top, color=PRINT_COLORS["frame"], width=0.7)
    row_h = fit.row_height
    for r in range(1, len(rows), 2):
        canvas.rect(
            box.x, top - (r + 1) * row_h, right, top - r * row_h, fill=PRINT_COLORS["zebra"]
        )
    plain = PrintText(fit.size, color=PRINT_TEXT["table"].color)
    for r, i in enumerate(rows):
        base = top - (r + 1) * row_h + row_h * 0.3
        _row(canvas, table, fit, lefts, table.rows[i], base, plain)
        symbol = table.swatches[i] if table.swatches is not None else None
        if symbol is not None:
            x = lefts[table.swatch_column]
            y = top - (r + 1) * row_h
            canvas.swatch(x, y + row_h * 0.18, x + _SWATCH - 0.8, y + row_h * 0.82, symbol)
    if with_total and table.total is not None:
        base = top - (len(rows) + 1) * row_h + row_h * 0.3
        canvas.line(
            box.x,
            base + row_h * 0.7,
            right,
            base + row_h * 0.7,
            color=PRINT_COLORS["frame"],
            width=0.5,
        )
        bold = PrintText(fit.size, bold=True, color=PRINT_TEXT["table"].color)
        _row(canvas, table, fit, lefts, table.total, base, bold, swatch=False)


def _anchor(table: Table, fit: TableFit, lefts: list[float], j: int) -> tuple[float, str]:
    """Where column ``j``'s text goes: right edge for numbers, left edge otherwise."""
    if table.numeric[j]:
        return lefts[j] + fit.widths[j] - _PAD, "right"
    return lefts[j], "left"


def _row(
    canvas: Canvas,
    table: Table,
    fit: TableFit,
    lefts: list[float],
    cells: Sequence[str],
    base: float,
    style: PrintText,
    *,
    swatch: bool = True,
) -> None:
    for j, cell in enumerate(cells):
        if not cell:
            continue
        x, ha = _anchor(table, fit, lefts, j)
        if swatch and table.swatches is not None and j == table.swatch_column:
            x += _SWATCH
        canvas.text(x, base, cell, style, ha=ha)
