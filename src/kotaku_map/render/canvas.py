"""What a sheet's text, rules and swatches are drawn on: a matplotlib Axes, or a PDF page.

The parts of a sheet that are only text, rules, boxes and small swatches (header, footer,
tables) are drawn through :class:`Canvas`, in millimetres from the paper's bottom-left
corner, text on its baseline. :class:`MplCanvas` draws on a map sheet's paper Axes;
:class:`kotaku_map.render.textpdf.PdfPage` writes a page of text straight into a PDF,
fifty times faster than matplotlib sets text (the kelurahan tables of a province are
close to a million letters). Both read the same :class:`~.print_style.PrintText` and
:class:`~.symbols.Symbol`, and set the same font with the same widths, so a table looks the
same on either.
"""

from __future__ import annotations

from typing import Any, Protocol

import shapely

from .draw import FONT, MM_PER_PT, dash_pattern, draw_symbol, printable, rgba
from .print_style import PrintText, print_width
from .symbols import Symbol

__all__ = ["Canvas", "MplCanvas"]


class Canvas(Protocol):
    """Something to draw a sheet's text, rules and swatches on, in mm.

    A protocol: any object with these methods is a canvas (:class:`MplCanvas`,
    :class:`~kotaku_map.render.textpdf.PdfPage`); it is never made itself.

    Parameters
    ----------
    *args, **kwargs
        None (a protocol is not instantiated).
    """

    def text(
        self,
        x: float,
        y: float,
        text: str,
        style: PrintText,
        *,
        size: float | None = None,
        ha: str = "left",
    ) -> None:
        """Set ``text`` with its baseline at ``y``; ``ha`` "left", "right" or "center".

        Parameters
        ----------
        x, y : float
            Where the text starts (``ha``), mm; ``y`` is its baseline.
        text : str
            The text (set in capitals where ``style`` says).
        style : PrintText
            Its size, weight and colour.
        size : float, optional
            Overrides the style's size, pt (a text shrunk to fit).
        ha : {"left", "right", "center"}
            Which end of the text is at ``x``.
        """

    def line(self, x0: float, y0: float, x1: float, y1: float, *, color: str, width: float) -> None:
        """A straight line, ``width`` in points.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Its ends, mm.
        color : str
            Its colour.
        width : float
            Its width, pt.
        """

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        fill: str | None = None,
        stroke: str | None = None,
        width: float = 0.5,
    ) -> None:
        """A rectangle, filled and/or outlined (``width`` in points).

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Two opposite corners, mm.
        fill : str, optional
            The fill colour (``None``: not filled).
        stroke : str, optional
            The outline's colour (``None``: no outline).
        width : float
            The outline's width, pt.
        """

    def swatch(self, x0: float, y0: float, x1: float, y1: float, symbol: Symbol) -> None:
        """A rectangle drawn as ``symbol`` says (fill or hatch, outline).

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Two opposite corners, mm.
        symbol : Symbol
            Its fill or hatch and its outline, as the style gives them.
        """


class MplCanvas:
    """A :class:`Canvas` on a matplotlib Axes whose data units are mm on the paper.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The sheet's paper Axes (:func:`kotaku_map.render.sheet.new_sheet`).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from kotaku_map.render.print_style import PRINT_TEXT
    >>> ax = Figure().add_subplot()
    >>> MplCanvas(ax).text(10, 10, "Kota", PRINT_TEXT["legend"])
    >>> ax.texts[0].get_text()
    'Kota'
    """

    def __init__(self, ax: Any) -> None:
        self.ax = ax

    def text(
        self,
        x: float,
        y: float,
        text: str,
        style: PrintText,
        *,
        size: float | None = None,
        ha: str = "left",
    ) -> None:
        """Set ``text`` with its baseline at ``y``.

        Parameters
        ----------
        x, y : float
            Where the text starts (``ha``), mm; ``y`` is its baseline.
        text : str
            The text (set in capitals where ``style`` says).
        style : PrintText
            Its size, weight and colour.
        size : float, optional
            Overrides the style's size, pt (a text shrunk to fit).
        ha : {"left", "right", "center"}
            Which end of the text is at ``x``.
        """
        self.ax.text(
            x,
            y,
            printable(text.upper() if style.upper else text, bold=style.bold),
            fontsize=size if size is not None else style.size,
            fontweight="bold" if style.bold else "normal",
            family=FONT,
            color=style.color,
            ha=ha,
            va="baseline",
            zorder=5,
        )

    def line(self, x0: float, y0: float, x1: float, y1: float, *, color: str, width: float) -> None:
        """A straight line, ``width`` in points.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Its ends, mm.
        color : str
            Its colour.
        width : float
            Its width, pt.
        """
        self.ax.plot([x0, x1], [y0, y1], color=color, lw=width, solid_capstyle="butt", zorder=4)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        fill: str | None = None,
        stroke: str | None = None,
        width: float = 0.5,
    ) -> None:
        """A rectangle, filled and/or outlined.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Two opposite corners, mm.
        fill : str, optional
            The fill colour (``None``: not filled).
        stroke : str, optional
            The outline's colour (``None``: no outline).
        width : float
            The outline's width, pt.
        """
        from matplotlib.patches import Rectangle

        self.ax.add_artist(
            Rectangle(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                facecolor=fill or "none",
                edgecolor=stroke or "none",
                lw=width if stroke else 0,
                zorder=1 if fill and not stroke else 4,
            )
        )

    def swatch(self, x0: float, y0: float, x1: float, y1: float, symbol: Symbol) -> None:
        """A rectangle drawn as ``symbol`` says.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Two opposite corners, mm.
        symbol : Symbol
            Its fill or hatch and its outline, as the style gives them.
        """
        draw_symbol(self.ax, [shapely.box(x0, y0, x1, y1)], symbol, unit_per_pt=MM_PER_PT, zorder=3)


def stroke_style(symbol: Symbol) -> dict[str, Any]:
    """A symbol's outline as matplotlib line properties (for a legend's line swatch).

    Parameters
    ----------
    symbol : Symbol

    Returns
    -------
    dict
    """
    return {
        "color": rgba(symbol.stroke, symbol.stroke_opacity),
        "lw": print_width(symbol.stroke_width),
        "linestyle": dash_pattern(symbol.dash),
    }
