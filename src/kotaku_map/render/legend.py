"""The legend and totals panel of a map sheet: blocks of entries flowed into columns.

A :class:`Block` is a titled section: legend entries (:class:`Item`: a swatch drawn from
the style's :class:`~kotaku_map.render.symbols.Symbol`, as a box, a stretch of line or a
circle, and its label) or label-value rows (the totals). :func:`draw_panel` flows the blocks
top to bottom into the panel's columns and shrinks the text until they fit, so the legend
never runs onto the map or off the paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import shapely

from .draw import MM_PER_PT, draw_symbol, rgba, text_height, text_width, wrap
from .print_style import PRINT_COLORS, PRINT_TEXT, print_width
from .sheet import Box, put_text
from .symbols import Symbol

__all__ = ["Block", "Item", "draw_panel"]


@dataclass(frozen=True)
class Item:
    """One legend entry: a swatch and its label.

    Parameters
    ----------
    label : str
        The entry's text.
    symbol : Symbol
        How the swatch is drawn (the layer's or the category's symbol).
    kind : {"box", "line", "circle"}
        A rectangle of the symbol, a stretch of its outline, or a circle.
    radius : float
        Radius of a circle, pt.
    """

    label: str
    symbol: Symbol
    kind: Literal["box", "line", "circle"] = "box"
    radius: float = 4.0


@dataclass(frozen=True)
class Block:
    """A section of the panel: a title, then legend entries or label-value rows.

    Parameters
    ----------
    title : str or None
        The section's title (``None``: none).
    items : sequence of Item
        Legend entries.
    rows : sequence of tuple of str
        Label-value rows (the totals): the value right-aligned.
    notes : sequence of str
        Notes after the entries and rows (the map's scale and projection), in smaller
        text, wrapped to the column.
    """

    title: str | None
    items: Sequence[Item] = ()
    rows: Sequence[tuple[str, str]] = ()
    notes: Sequence[str] = field(default_factory=tuple)


_SWATCH_W, _SWATCH_H, _SWATCH_GAP = 6.5, 3.6, 2.0


def _block_lines(block: Block, width: float, k: float) -> list[tuple[str, Any]]:
    """The lines a block takes at scale ``k``: (kind, content), kind title/item/row/note."""
    st_leg, st_title = PRINT_TEXT["legend"], PRINT_TEXT["legend_title"]
    out: list[tuple[str, Any]] = []
    if block.title:
        for line in wrap(block.title, width / MM_PER_PT, st_title.size * k, bold=True):
            out.append(("title", line))
    label_w = (width - _SWATCH_W - _SWATCH_GAP) / MM_PER_PT
    for item in block.items:
        lines = wrap(item.label, label_w, st_leg.size * k)
        out.append(("item", (item, lines[0])))
        out += [("more", line) for line in lines[1:]]
    for label, value in block.rows:
        value_w = text_width(value, st_leg.size * k) * MM_PER_PT + 2.0
        lines = wrap(label, (width - value_w) / MM_PER_PT, st_leg.size * k)
        out.append(("row", (lines[0], value)))
        out += [("more", line) for line in lines[1:]]
    for note in block.notes:
        out += [("note", line) for line in wrap(note, width / MM_PER_PT, st_leg.size * k * 0.9)]
    return out


def _swatch_size(item: Item, k: float) -> tuple[float, float]:
    """Width and height of an entry's swatch, mm (a circle as large as it is)."""
    if item.kind == "circle":
        d = 2 * item.radius * MM_PER_PT
        return max(_SWATCH_W * k, d), max(_SWATCH_H * k, d)
    return _SWATCH_W * k, _SWATCH_H * k


def _line_height(kind: str, content: Any, k: float) -> float:
    st = PRINT_TEXT["legend_title" if kind == "title" else "legend"]
    base = text_height(st.size * k) * MM_PER_PT * 1.12
    if kind != "item":
        return base
    return max(base, _swatch_size(content[0], k)[1] + 0.9 * k)


def _flow(blocks: Sequence[Block], box: Box, columns: int, k: float) -> list | None:
    """Place blocks top to bottom in columns at scale ``k``; None if they do not fit."""
    col_w = (box.w - (columns - 1) * 5.0) / columns
    placed, col, y = [], 0, box.top
    for block in blocks:
        lines = _block_lines(block, col_w, k)
        height = sum(_line_height(kind, c, k) for kind, c in lines) + 2.5 * k
        if y - height < box.y and y < box.top:
            col, y = col + 1, box.top
        if col >= columns or y - height < box.y:
            return None
        placed.append((box.x + col * (col_w + 5.0), y, col_w, lines))
        y -= height
    return placed


def draw_panel(ax: Any, box: Box, blocks: Sequence[Block], *, columns: int = 1) -> float:
    """Legend and totals: blocks flowed into columns, shrunk until they fit.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The paper.
    box : Box
    blocks : sequence of Block
    columns : int

    Returns
    -------
    float
        The scale the text was set at (1: the style's sizes).
    """
    k, placed = 1.0, None
    while placed is None and k > 0.55:
        placed = _flow(blocks, box, columns, k)
        if placed is None:
            k *= 0.93
    if placed is None:  # even small it does not fit: set what fits, at the smallest size
        placed = _flow(blocks[:1], box, columns, k) or []
    for x, y, width, lines in placed:
        for kind, content in lines:
            h = _line_height(kind, content, k)
            _draw_line(ax, x, y - h, width, kind, content, h, k)
            y -= h
    return k


def _draw_line(
    ax: Any, x: float, y: float, width: float, kind: str, content: Any, h: float, k: float
) -> None:
    """One line of the panel, its bottom at ``y``."""
    st = PRINT_TEXT["legend"]
    size = st.size * k
    base = y + h * 0.28
    if kind == "title":
        put_text(ax, x, base, content, "legend_title", size=PRINT_TEXT["legend_title"].size * k)
    elif kind == "item":
        item, label = content
        mid = y + h / 2
        _swatch(ax, item, x, mid, k)
        left = x + _swatch_size(item, k)[0] + _SWATCH_GAP * k
        put_text(ax, left, mid, label, st, size=size, va="center")
    elif kind == "row":
        label, value = content
        put_text(ax, x, base, label, st, size=size)
        put_text(ax, x + width, base, value, st, size=size, ha="right")
    elif kind == "more":
        put_text(ax, x + (_SWATCH_W + _SWATCH_GAP) * k, base, content, st, size=size)
    else:  # note
        put_text(ax, x, base, content, st, size=size * 0.9, color=PRINT_COLORS["note"])


def _swatch(ax: Any, item: Item, x: float, mid: float, k: float) -> None:
    """The swatch of a legend entry, its left edge at x, centred on ``mid`` (mm)."""
    w, h = _swatch_size(item, k)
    sym = item.symbol
    if item.kind == "line":
        ax.plot(
            [x, x + w],
            [mid, mid],
            color=rgba(sym.stroke, sym.stroke_opacity),
            lw=print_width(sym.stroke_width),
            solid_capstyle="butt",
            zorder=5,
        )
        return
    if item.kind == "circle":
        r = item.radius * MM_PER_PT
        geom = shapely.Point(x + w / 2, mid).buffer(r, quad_segs=16)
    else:
        geom = shapely.box(x, mid - h / 2, x + w, mid + h / 2)
    draw_symbol(ax, [geom], sym, unit_per_pt=MM_PER_PT, zorder=5)
