"""The style's symbols drawn with matplotlib, in points: the printed atlas's brush.

Everything here reads :mod:`kotaku_map.render.style`. A :class:`~.symbols.Symbol` becomes a
fill (colour and opacity), a hatch (parallel lines clipped to the polygons, as far apart,
as wide and at the angle its :class:`~.symbols.Hatch` says, over the hatch's background) and
an outline (width and dashes); every px is converted with :func:`~.print_style.print_width`.
Polygons are drawn as one matplotlib Path per symbol (:func:`polygon_path`) in whatever
unit the Axes has (metres on a map, millimetres on the sheet): ``unit_per_pt`` says how many
of those make a point.

Text is measured from the font's advance widths (no renderer, no layout engine): that is
what the sheet's layout and the label declutter need, and it is fast. Labels are placed
greedily, most important first, where they collide with nothing placed before
(:class:`Occupied`).
"""

from __future__ import annotations

import functools
import io
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import shapely

from .print_style import PRINT_TEXT, PrintText, print_width
from .symbols import Hatch, Symbol

__all__ = [
    "FONT",
    "MM_PER_PT",
    "RC",
    "Occupied",
    "dash_pattern",
    "draw_symbol",
    "font_file",
    "hatch_lines",
    "line_path",
    "polygon_path",
    "printable",
    "rgba",
    "text_height",
    "text_width",
    "wrap",
]

#: bundled with matplotlib: the same letters, widths and PDF bytes on every machine
FONT = "DejaVu Sans"
#: millimetres per typographic point
MM_PER_PT = 25.4 / 72.0
#: matplotlib settings every printed sheet is drawn with: real, embedded TrueType text
#: (searchable, copyable), no mathtext (a "$" in a name stays a "$"), dashes in points
RC: Any = {  # a plain dict (matplotlib's stubs want its own key type)
    "pdf.fonttype": 42,
    "font.family": FONT,
    "text.parse_math": False,
    "lines.scale_dashes": False,
    "path.simplify": False,
    "svg.hashsalt": "kotaku_map",
}


def rgba(color: str | None, opacity: float = 1.0) -> tuple[float, float, float, float]:
    """A colour and an opacity as an RGBA tuple (``None``: fully transparent).

    Parameters
    ----------
    color : str or None
    opacity : float

    Returns
    -------
    tuple of float

    Examples
    --------
    >>> rgba("#FF0000", 0.5)
    (1.0, 0.0, 0.0, 0.5)
    """
    from matplotlib.colors import to_rgba

    if color is None:
        return (0.0, 0.0, 0.0, 0.0)
    return to_rgba(color, float(opacity))


def dash_pattern(dash: Sequence[float]) -> Any:
    """A :class:`~.symbols.Symbol`'s dashes (px) as a matplotlib line style, in points.

    Parameters
    ----------
    dash : sequence of float
        On, off, ... in px; empty: a solid line.

    Returns
    -------
    str or tuple
        ``"solid"`` or ``(0, (on, off, ...))`` in points (with ``lines.scale_dashes``
        off, as :data:`RC` sets it).

    Examples
    --------
    >>> dash_pattern(()), dash_pattern((10, 5))
    ('solid', (0, (4.5, 2.25)))
    """
    if not dash:
        return "solid"
    return (0, tuple(print_width(d) for d in dash))


def _polygons(geoms: Any) -> np.ndarray:
    """The non-empty polygons among (or inside) geometries, as an array of Polygons."""
    arr = np.asarray(getattr(geoms, "values", geoms), dtype=object).ravel()
    arr = arr[~(shapely.is_missing(arr) | shapely.is_empty(arr))]
    parts = shapely.get_parts(arr)
    while True:
        nested = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
        if not nested.any():
            break
        parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
    return parts[keep]


def polygon_path(geoms: Any) -> Any:
    """Polygons as one matplotlib Path: every ring, exteriors counter-clockwise, holes not.

    One path per symbol keeps the PDF small and fast to write and to render (each
    polygon a patch of its own costs a graphics state each); filled by the non-zero rule,
    the holes stay empty.

    Parameters
    ----------
    geoms : array-like of shapely geometries
        Polygons and MultiPolygons (anything else is left out).

    Returns
    -------
    matplotlib.path.Path or None
        ``None`` when there is no polygon.

    Examples
    --------
    >>> ring = shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2))
    >>> path = polygon_path([ring])
    >>> len(path.vertices), int((path.codes == 79).sum())  # 2 rings of 5 points, 2 closed
    (10, 2)
    """
    from matplotlib.path import Path

    polys = shapely.orient_polygons(_polygons(geoms))
    if len(polys) == 0:
        return None
    rings = shapely.get_rings(polys)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    first = np.r_[True, ring_of[1:] != ring_of[:-1]]
    last = np.r_[ring_of[1:] != ring_of[:-1], True]
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    codes[first] = Path.MOVETO
    codes[last] = Path.CLOSEPOLY
    return Path(coords, codes)


def line_path(lines: Any) -> Any:
    """LineStrings as one matplotlib Path (``None`` when there is none).

    Parameters
    ----------
    lines : array-like of shapely LineStrings

    Returns
    -------
    matplotlib.path.Path or None

    Examples
    --------
    >>> a, b = shapely.LineString([(0, 0), (1, 1)]), shapely.LineString([(2, 2), (3, 3)])
    >>> line_path([a, b]).codes
    array([1, 2, 1, 2], dtype=uint8)
    """
    from matplotlib.path import Path

    arr = np.asarray(lines, dtype=object)
    if len(arr) == 0:
        return None
    coords, line_of = shapely.get_coordinates(arr, return_index=True)
    if len(coords) == 0:
        return None
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    codes[np.r_[True, line_of[1:] != line_of[:-1]]] = Path.MOVETO
    return Path(coords, codes)


def draw_symbol(
    ax: Any,
    geoms: Any,
    symbol: Symbol,
    *,
    unit_per_pt: float,
    zorder: float,
    stroke: bool = True,
) -> None:
    """Draw polygons as ``symbol`` says: fill or hatch, then the outline.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Drawn in its data units (metres on a map, millimetres on the sheet).
    geoms : GeoSeries or array-like of shapely geometries
        Polygons in the Axes' units; empty and missing geometries are skipped.
    symbol : Symbol
    unit_per_pt : float
        Data units per point (the hatch spacing is set in points).
    zorder : float
        Fill at ``zorder``, hatch lines and outline a thousandth and two above (the style's
        layers are hundredths apart: ``LayerStyle.order / 100``).
    stroke : bool
        Draw the outline (``False``: fill and hatch only).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from kotaku_map.render.style import GAP, STATUS_NONE_SYMBOL
    >>> ax = Figure().add_subplot()
    >>> draw_symbol(ax, [shapely.box(0, 0, 10, 10)], GAP.symbol, unit_per_pt=1.0, zorder=1)
    >>> len(ax.patches)  # background, hatch lines, outline
    3
    >>> draw_symbol(ax, [shapely.box(0, 0, 10, 10)], STATUS_NONE_SYMBOL, unit_per_pt=1.0,
    ...             zorder=1)
    >>> len(ax.patches)  # fill and outline: one path
    4
    """
    from matplotlib.patches import PathPatch

    polys = _polygons(geoms)
    path = polygon_path(polys)
    if path is None:
        return
    hatch = symbol.hatch
    face = None
    if hatch is not None and hatch.background is not None:
        face = rgba(hatch.background, hatch.background_opacity)
    elif hatch is None and symbol.fill is not None and symbol.fill_opacity > 0:
        face = rgba(symbol.fill, symbol.fill_opacity)
    outline = {}
    if stroke and symbol.stroke is not None and symbol.stroke_width > 0:
        outline = {
            "edgecolor": rgba(symbol.stroke, symbol.stroke_opacity),
            "lw": print_width(symbol.stroke_width),
            "linestyle": dash_pattern(symbol.dash),
            "joinstyle": "round",
        }
    if hatch is None:  # fill and outline in one path: half the bytes
        if face is not None or outline:
            style = outline or {"edgecolor": "none", "lw": 0}
            ax.add_artist(
                PathPatch(
                    path, facecolor=face or "none", fill=face is not None, zorder=zorder, **style
                )
            )
        return
    if face is not None:
        ax.add_artist(PathPatch(path, facecolor=face, edgecolor="none", lw=0, zorder=zorder))
    lines = line_path(hatch_lines(polys, hatch, unit_per_pt=unit_per_pt))
    if lines is not None:
        ax.add_artist(
            PathPatch(
                lines,
                fill=False,
                edgecolor=rgba(hatch.color),
                lw=print_width(hatch.width),
                capstyle="butt",
                zorder=zorder + 0.001,
            )
        )
    if outline:
        ax.add_artist(PathPatch(path, fill=False, zorder=zorder + 0.002, **outline))


def hatch_lines(geoms: Any, hatch: Hatch, *, unit_per_pt: float) -> np.ndarray:
    """The lines of a hatch inside polygons, in the polygons' units.

    The lines of one hatch lie on one grid anchored at the origin, so that the hatch runs on
    unbroken across neighbouring polygons, like the web map's SVG pattern. ``hatch.angle``
    turns them clockwise from vertical; ``hatch.cross`` adds the lines at right angles.

    Parameters
    ----------
    geoms : array-like of shapely geometries
        Polygons.
    hatch : Hatch
        Its ``spacing`` (px) is the distance between lines, printed in points.
    unit_per_pt : float
        Units of ``geoms`` per point.

    Returns
    -------
    numpy.ndarray
        The LineStrings of the hatch.

    Examples
    --------
    >>> from kotaku_map.render.symbols import Hatch
    >>> h = Hatch("h", "#000000", 1, 10 / 0.45, 0)   # vertical lines 10 pt apart on paper
    >>> lines = hatch_lines([shapely.box(0, 0, 100, 50)], h, unit_per_pt=1.0)
    >>> round(float(shapely.length(lines).sum()))  # 9 inner lines of 50, and the edges
    550
    """
    polys = _polygons(geoms)
    spacing = print_width(hatch.spacing) * unit_per_pt
    if spacing <= 0 or len(polys) == 0:
        return np.array([], dtype=object)
    angles = [hatch.angle, hatch.angle + 90.0] if hatch.cross else [hatch.angle]
    out = []
    for geom in polys:
        for angle in angles:  # one direction at a time: crossing lines are not cut up
            grid = shapely.multilinestrings(_line_grid(geom.bounds, angle, spacing))
            parts = shapely.get_parts(shapely.intersection(grid, geom))
            out.append(parts[shapely.get_type_id(parts) == 1])  # lines, not corners touched
    return np.concatenate(out)


def _line_grid(bounds: tuple[float, ...], angle: float, spacing: float) -> list[Any]:
    """Lines ``spacing`` apart, ``angle`` clockwise from vertical, across the box ``bounds``.

    The lines lie on a grid through the origin.
    """
    x0, y0, x1, y1 = bounds
    a = math.radians(angle)
    direction = np.array([math.sin(a), math.cos(a)])  # y up: clockwise from north
    normal = np.array([direction[1], -direction[0]])
    corners = np.array([[x0, y0], [x0, y1], [x1, y0], [x1, y1]])
    offsets = corners @ normal
    first, last = math.floor(offsets.min() / spacing), math.ceil(offsets.max() / spacing)
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    half = math.hypot(x1 - x0, y1 - y0)
    lines = []
    for k in range(first, last + 1):
        # the point of line k nearest the box's centre, and the line through it
        foot = centre + (k * spacing - centre @ normal) * normal
        lines.append(shapely.LineString([foot - half * direction, foot + half * direction]))
    return lines


# --- text ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def font_file(bold: bool) -> bytes:
    """The bytes of the regular or bold :data:`FONT` that matplotlib ships.

    Parameters
    ----------
    bold : bool

    Returns
    -------
    bytes
    """
    from matplotlib import font_manager

    prop = font_manager.FontProperties(family=FONT, weight="bold" if bold else "normal")
    with open(font_manager.findfont(prop, fallback_to_default=True), "rb") as fh:
        return fh.read()


@functools.lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance widths at 1 pt by code point, and that of a missing glyph.

    Read from the font's own tables, not from matplotlib's FreeType objects: those are
    shared with its renderers, which set them to other sizes.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_file(bold)), lazy=True)
    upm = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    widths = {code: hmtx[name][0] / upm for code, name in font.getBestCmap().items()}
    return widths, hmtx[".notdef"][0] / upm


def _advance(char: str, bold: bool) -> float:
    """The advance width of one character at 1 pt, in points."""
    widths, missing = _advances(bold)
    return widths.get(ord(char), missing)


def printable(text: str, *, bold: bool = False) -> str:
    r"""Text as a sheet sets it: control characters as spaces, letters the font lacks as "?".

    Names come from input files (an emoji, a line break in a cell); a sheet shows what
    :data:`FONT` can, on one line, instead of failing or warning.

    Parameters
    ----------
    text : str
    bold : bool

    Returns
    -------
    str

    Examples
    --------
    >>> printable("Baris\nbaru"), printable("Kampung 🏚 Émoji")
    ('Baris baru', 'Kampung ? Émoji')
    """
    widths, _ = _advances(bold)
    out = []
    for char in text:
        if unicodedata.category(char).startswith("C"):
            out.append(" ")
        elif ord(char) in widths:
            out.append(char)
        else:
            out.append("?")
    return "".join(out)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of a line of text in :data:`FONT`, in points (kerning left out).

    Parameters
    ----------
    text : str
    size : float
        Font size, points.
    bold : bool

    Returns
    -------
    float

    Examples
    --------
    >>> text_width("Kelurahan", 10) > text_width("Kel.", 10) > 0
    True
    """
    return size * sum(_advance(c, bold) for c in text)


def text_height(size: float) -> float:
    """The height a line of text takes (ascender to descender), in points.

    Parameters
    ----------
    size : float

    Returns
    -------
    float

    Examples
    --------
    >>> round(text_height(10), 1)
    11.6
    """
    return 1.164 * size  # DejaVu Sans: ascender 0.928 + descender 0.236 em


def wrap(text: str, width_pt: float, size: float, *, bold: bool = False) -> list[str]:
    """Break text at spaces into lines no wider than ``width_pt`` (a longer word stays whole).

    Parameters
    ----------
    text : str
    width_pt : float
    size : float
    bold : bool

    Returns
    -------
    list of str

    Examples
    --------
    >>> wrap("Kumuh di luar wilayah kerja", 60, 7)
    ['Kumuh di luar', 'wilayah kerja']
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold=bold) > width_pt:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line or not lines:
        lines.append(line)
    return lines


def style_of(role: str) -> PrintText:
    """The :data:`~.print_style.PRINT_TEXT` style of a role of text.

    Parameters
    ----------
    role : str

    Returns
    -------
    PrintText
    """
    return PRINT_TEXT[role]


# --- declutter -------------------------------------------------------------------------


class Occupied:
    """Boxes already taken on a sheet: a label goes only where it overlaps none of them.

    Parameters
    ----------
    frame : tuple of float
        ``(x0, y0, x1, y1)``: a box must lie inside it.
    cell : float
        Size of the grid cells that index the boxes (about a label's size).

    Examples
    --------
    >>> taken = Occupied((0, 0, 100, 100), cell=10)
    >>> taken.take((10, 10, 30, 15)), taken.take((20, 12, 40, 18)), taken.take((95, 0, 105, 5))
    (True, False, False)
    """

    def __init__(self, frame: tuple[float, float, float, float], cell: float) -> None:
        self.frame = frame
        self.cell = max(float(cell), 1e-9)
        self._grid: dict[tuple[int, int], list[tuple[float, ...]]] = defaultdict(list)

    def _cells(self, box: Sequence[float]) -> Iterator[tuple[int, int]]:
        c = self.cell
        for i in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1):
            for j in range(math.floor(box[1] / c), math.floor(box[3] / c) + 1):
                yield i, j

    def free(self, box: Sequence[float]) -> bool:
        """Whether ``box`` lies inside the frame and overlaps no box taken.

        Parameters
        ----------
        box : sequence of float
            ``(x0, y0, x1, y1)``, in the frame's units.

        Returns
        -------
        bool
        """
        f = self.frame
        if box[0] < f[0] or box[1] < f[1] or box[2] > f[2] or box[3] > f[3]:
            return False
        for key in self._cells(box):
            for b in self._grid.get(key, ()):
                if box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]:
                    return False
        return True

    def add(self, box: Sequence[float]) -> None:
        """Mark ``box`` as taken (inside the frame or not).

        Parameters
        ----------
        box : sequence of float
            ``(x0, y0, x1, y1)``, in the frame's units.
        """
        for key in self._cells(box):
            self._grid[key].append(tuple(box))

    def take(self, box: Sequence[float]) -> bool:
        """Take ``box`` if it is free; return whether it was.

        Parameters
        ----------
        box : sequence of float
            ``(x0, y0, x1, y1)``, in the frame's units.

        Returns
        -------
        bool
            Whether it was free (and is now taken).
        """
        if self.free(box):
            self.add(box)
            return True
        return False
