"""A printed sheet: paper, layout, header and footer, legend, totals, north arrow, tables.

Every sheet is a matplotlib Figure the size of the paper, with one Axes over the whole page
in millimetres from the bottom-left corner (the *paper*), on which everything but the map
is set, and, on map sheets, an Axes for the map in its metric CRS at a round scale
(:func:`map_axes`). The layout (:func:`layout`) puts the map left of a panel on landscape
paper and above it on portrait paper; nothing is drawn outside the margins.

Sizes of text come from :data:`kotaku_map.render.print_style.PRINT_TEXT`; symbols are drawn by
:mod:`kotaku_map.render.draw`. Header and footer are drawn on a
:class:`~kotaku_map.render.canvas.Canvas`, so that pages of text (tables, see
:mod:`kotaku_map.render.table`) carry the same ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .canvas import Canvas
from .draw import FONT, MM_PER_PT, Occupied, printable, text_height, text_width, wrap
from .labels import format_number, text
from .print_style import PRINT_COLORS, PRINT_TEXT, PrintText

__all__ = [
    "ORIENTATIONS",
    "PAPERS",
    "Box",
    "Layout",
    "MapFrame",
    "draw_footer",
    "draw_header",
    "draw_north_arrow",
    "draw_scale_bar",
    "draw_stamp",
    "fit_size",
    "layout",
    "map_axes",
    "map_furniture",
    "map_notes",
    "map_overlay",
    "new_sheet",
    "nice_scale",
    "north_angle",
    "place_label",
    "put_text",
]

Paper = Literal["A4", "A3"]
Orientation = Literal["landscape", "portrait"]
PAPERS: tuple[Paper, ...] = ("A4", "A3")
ORIENTATIONS: tuple[Orientation, ...] = ("landscape", "portrait")
#: portrait width x height of the papers, mm (ISO 216)
PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}


@dataclass(frozen=True)
class Box:
    """A rectangle on the sheet, mm from the bottom-left corner of the paper."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """The x of the right edge."""
        return self.x + self.w

    @property
    def top(self) -> float:
        """The y of the top edge."""
        return self.y + self.h


@dataclass(frozen=True)
class Layout:
    """Where things go on one paper size and orientation (mm).

    Attributes
    ----------
    paper, orientation : str
    width, height : float
        The paper.
    margin : float
        Nothing is drawn closer to the paper's edge.
    header, footer : Box
        Title band at the top, sources and page number at the bottom.
    map : Box
        The map frame of a map sheet.
    panel : Box
        Legend and totals of a map sheet.
    body : Box
        Between header and footer: a table page's table.
    columns : int
        Columns the panel flows into.
    """

    paper: str
    orientation: str
    width: float
    height: float
    margin: float
    header: Box
    footer: Box
    map: Box
    panel: Box
    body: Box
    columns: int


def layout(paper: str = "A4", orientation: str = "landscape") -> Layout:
    """The layout of a sheet of ``paper`` in ``orientation``.

    Parameters
    ----------
    paper : {"A4", "A3"}
    orientation : {"landscape", "portrait"}

    Returns
    -------
    Layout

    Examples
    --------
    >>> lay = layout("A4", "landscape")
    >>> lay.width, lay.height, lay.map.right < lay.panel.x
    (297.0, 210.0, True)
    >>> layout("A5")
    Traceback (most recent call last):
    ...
    ValueError: `paper` was 'A5' but is expected to be in ['A4', 'A3']
    """
    if paper not in PAPER_MM:
        raise ValueError(f"`paper` was {paper!r} but is expected to be in {list(PAPERS)}")
    if orientation not in ORIENTATIONS:
        raise ValueError(
            f"`orientation` was {orientation!r} but is expected to be in {list(ORIENTATIONS)}"
        )
    short, long_ = PAPER_MM[paper]
    w, h = (long_, short) if orientation == "landscape" else (short, long_)
    big = paper == "A3"
    m = 12.0 if big else 10.0
    header = Box(m, h - m - 17.0, w - 2 * m, 17.0)
    footer = Box(m, m, w - 2 * m, 8.0)
    gap = 4.0
    inner_top, inner_bottom = header.y - 2.0, footer.top + 2.0
    body = Box(m, inner_bottom, w - 2 * m, inner_top - inner_bottom)
    if orientation == "landscape":
        pw = 92.0 if big else 80.0
        panel = Box(w - m - pw, inner_bottom, pw, body.h)
        frame = Box(m, inner_bottom, w - 2 * m - pw - gap, body.h)
        columns = 1
    else:
        ph = 88.0 if big else 74.0
        panel = Box(m, inner_bottom, w - 2 * m, ph)
        frame = Box(m, panel.top + gap, w - 2 * m, inner_top - panel.top - gap)
        columns = 3
    return Layout(paper, orientation, w, h, m, header, footer, frame, panel, body, columns)


def new_sheet(lay: Layout) -> tuple[Any, Any]:
    """A blank sheet: the Figure, and its paper Axes (mm, from the bottom-left corner).

    Parameters
    ----------
    lay : Layout

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> fig, paper = new_sheet(layout("A4", "portrait"))
    >>> [round(float(v), 2) for v in fig.get_size_inches()], paper.get_xlim() == (0, 210)
    ([8.27, 11.69], True)
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(lay.width / 25.4, lay.height / 25.4), dpi=72)
    fig.patch.set_facecolor(PRINT_COLORS["paper"])
    paper = fig.add_axes((0.0, 0.0, 1.0, 1.0), zorder=0)
    paper.set_xlim(0.0, lay.width)
    paper.set_ylim(0.0, lay.height)
    paper.set_axis_off()
    return fig, paper


def put_text(
    ax: Any,
    x: float,
    y: float,
    text: str,
    style: PrintText | str,
    *,
    size: float | None = None,
    ha: str = "left",
    va: str = "baseline",
    zorder: float = 5.0,
    **kwargs: Any,
) -> Any:
    """Set a text as its style says (size, weight, colour, halo, capitals).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : float
        In the Axes' data units.
    text : str
    style : PrintText or str
        A style, or the role of one in :data:`~.print_style.PRINT_TEXT`.
    size : float, optional
        Overrides the style's size (a label shrunk to fit).
    ha, va : str
        Alignment.
    zorder : float
    **kwargs
        More :class:`matplotlib.text.Text` properties.

    Returns
    -------
    matplotlib.text.Text
    """
    st = PRINT_TEXT[style] if isinstance(style, str) else style
    props: dict[str, Any] = {
        "fontsize": size if size is not None else st.size,
        "fontweight": "bold" if st.bold else "normal",
        "family": FONT,
        "color": st.color,
        "ha": ha,
        "va": va,
        "zorder": zorder,
    }
    props.update(kwargs)
    shown = printable(text.upper() if st.upper else text, bold=st.bold)
    if st.halo is not None and st.halo_width > 0:
        # the halo is a copy outlined as a path under the text; the text itself stays real
        # text (a path effect would turn it into a path too: not searchable)
        from matplotlib import patheffects

        halo = patheffects.Stroke(linewidth=st.halo_width, foreground=st.halo)
        ax.text(
            x, y, shown, **{**props, "color": st.halo, "zorder": zorder - 0.01}, path_effects=[halo]
        )
    return ax.text(x, y, shown, **props)


def fit_size(text: str, style: PrintText, width_mm: float, *, smallest: float = 0.6) -> float:
    """The style's size, or smaller (down to ``smallest`` of it) so that ``text`` fits.

    Parameters
    ----------
    text : str
    style : PrintText
    width_mm : float
        The room there is, mm.
    smallest : float
        The least share of the style's size.

    Returns
    -------
    float
        Points.

    Examples
    --------
    >>> from kotaku_map.render.print_style import PrintText
    >>> st = PrintText(10)
    >>> fit_size("Kota", st, 100.0), round(fit_size("Kota" * 40, st, 100.0), 1)
    (10, 6.0)
    """
    width = text_width(text, style.size, bold=style.bold) * MM_PER_PT
    if width <= width_mm or width == 0:
        return style.size
    return max(style.size * smallest, style.size * width_mm / width)


def draw_header(
    canvas: Canvas, lay: Layout, *, title: str, heading: str, date: str, stamp: str | None = None
) -> None:
    """The title band: title and heading (the city) left, date and stamp right.

    Parameters
    ----------
    canvas : Canvas
        The page (mm).
    lay : Layout
    title : str
        The map's title (the config's ``title``).
    heading : str
        The sheet's subject, large: the city, "Ringkasan ..." ...
    date : str
    stamp : str, optional
        A warning boxed in red (ILUSTRATIF).
    """
    box = lay.header
    right_w = 75.0
    left_w = box.w - right_w - 4.0
    st_title, st_city = PRINT_TEXT["title"], PRINT_TEXT["city"]
    canvas.text(box.x, box.top - 3.5, title, st_title, size=fit_size(title, st_title, left_w))
    canvas.text(box.x, box.y + 4.0, heading, st_city, size=fit_size(heading, st_city, left_w))
    canvas.text(box.right, box.top - 3.5, date, PRINT_TEXT["date"], ha="right")
    if stamp:
        draw_stamp(canvas, box.right - 1.5, box.y + 4.5, stamp, width=right_w - 4.0)
    canvas.line(box.x, box.y, box.right, box.y, color=PRINT_COLORS["title_rule"], width=0.8)


def draw_stamp(
    canvas: Canvas, x: float, y: float, stamp: str, *, width: float, ha: str = "right"
) -> None:
    """A warning boxed in the stamp's colour, its baseline at ``y``, ending (or starting) at x.

    Parameters
    ----------
    canvas : Canvas
    x, y : float
        mm.
    stamp : str
    width : float
        Room for it, mm: the text shrinks to fit.
    ha : {"right", "left"}
    """
    st = PRINT_TEXT["stamp"]
    size = fit_size(stamp, st, width)
    w = text_width(stamp, size, bold=st.bold) * MM_PER_PT
    pad = size * 0.45 * MM_PER_PT
    x0 = x - w if ha == "right" else x
    h = text_height(size) * MM_PER_PT
    canvas.rect(
        x0 - pad,
        y - h * 0.3 - pad,
        x0 + w + pad,
        y + h * 0.75 + pad,
        fill=PRINT_COLORS["paper"],
        stroke=st.color,
        width=1.0,
    )
    canvas.text(x0, y, stamp, st, size=size)


def draw_footer(canvas: Canvas, lay: Layout, *, left: str, right: str) -> None:
    """The footer: sources (up to two lines, shrunk to fit) left, page and maker right.

    Parameters
    ----------
    canvas : Canvas
        The page (mm).
    lay : Layout
    left : str
        Usually the data sources.
    right : str
        Usually the maker and the page number.
    """
    box = lay.footer
    st = PRINT_TEXT["footer"]
    right_w = text_width(right, st.size) * MM_PER_PT
    width_pt = (box.w - right_w - 6.0) / MM_PER_PT
    size = st.size
    lines = wrap(left, width_pt, size)
    while len(lines) > 2 and size > st.size * 0.7:
        size *= 0.92
        lines = wrap(left, width_pt, size)
    line_h = text_height(size) * MM_PER_PT
    top = box.top - 1.5 - line_h * 0.75
    for i, line in enumerate(lines[:2]):
        canvas.text(box.x, top - i * line_h, line, st, size=size)
    canvas.text(box.right, top, right, st, ha="right")
    canvas.line(box.x, box.top, box.right, box.top, color=PRINT_COLORS["footer_rule"], width=0.5)


# --- the map frame ------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFrame:
    """A map Axes and its scale.

    Attributes
    ----------
    ax : matplotlib.axes.Axes
        Data in the map's metric CRS (metres).
    scale : float
        The scale's denominator (1:``scale``), a round number.
    unit_per_pt : float
        Metres per point on paper at that scale.
    extent : tuple of float
        ``(x0, y0, x1, y1)`` of the frame, metres.
    """

    ax: Any
    scale: float
    unit_per_pt: float
    extent: tuple[float, float, float, float]

    def to_paper(self, box: Box, x: Any, y: Any) -> tuple[Any, Any]:
        """Map coordinates (m) to paper coordinates (mm) inside the frame ``box``."""
        x0, y0 = self.extent[0], self.extent[1]
        mm = 1000.0 / self.scale  # paper mm per ground metre
        return box.x + (np.asarray(x) - x0) * mm, box.y + (np.asarray(y) - y0) * mm


def nice_scale(needed: float) -> float:
    """The smallest scale denominator of two significant digits at least ``needed``.

    Parameters
    ----------
    needed : float

    Returns
    -------
    float

    Examples
    --------
    >>> nice_scale(47_832), nice_scale(50_000), nice_scale(131_001)
    (48000.0, 50000.0, 140000.0)
    """
    if not needed > 0:
        return 1000.0
    step = 10.0 ** (math.floor(math.log10(needed)) - 1)
    return float(math.ceil(needed / step * (1 - 1e-12)) * step)


def map_axes(fig: Any, box: Box, bounds: Sequence[float], *, pad: float = 0.02) -> MapFrame:
    """A map Axes filling ``box``, centred on ``bounds`` at the round scale that fits them.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    box : Box
        The frame on the sheet, mm.
    bounds : sequence of float
        ``(x0, y0, x1, y1)`` of what must show, metres.
    pad : float
        Room left around ``bounds``, as a share of the frame.

    Returns
    -------
    MapFrame
    """
    x0, y0, x1, y1 = (float(v) for v in bounds)
    bw, bh = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    needed = max(bw / box.w, bh / box.h) * 1000.0 / (1 - 2 * pad)  # mm on paper per mm
    scale = nice_scale(needed)
    half_w, half_h = box.w * scale / 2000.0, box.h * scale / 2000.0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    extent = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    W, H = fig.get_size_inches() * 25.4
    ax = fig.add_axes((box.x / W, box.y / H, box.w / W, box.h / H), zorder=1)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(PRINT_COLORS["paper"])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_color(PRINT_COLORS["frame"])
    return MapFrame(ax, scale, scale / 1000.0 * MM_PER_PT, extent)


def draw_north_arrow(ax: Any, x: float, y: float, angle: float, label: str) -> tuple:
    """A north arrow centred at (x, y) mm on the paper, turned ``angle`` degrees clockwise.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The paper.
    x, y : float
        Centre, mm.
    angle : float
        Where true north lies, degrees clockwise from the map's up (grid convergence).
    label : str
        The letter for north ("U", "N").

    Returns
    -------
    tuple of float
        The box it takes, ``(x0, y0, x1, y1)`` mm.
    """
    from matplotlib.patches import Polygon

    a = math.radians(angle)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    left = np.array([[0.0, 5.0], [-2.6, -4.0], [0.0, -2.4]]) @ rot.T + (x, y)
    right = np.array([[0.0, 5.0], [2.6, -4.0], [0.0, -2.4]]) @ rot.T + (x, y)
    ink, paper = PRINT_COLORS["ink"], PRINT_COLORS["paper"]
    ax.add_patch(Polygon(left, closed=True, fc=ink, ec=ink, lw=0.6, zorder=6))
    ax.add_patch(Polygon(right, closed=True, fc=paper, ec=ink, lw=0.6, zorder=6))
    tip = np.array([0.0, 6.0]) @ rot.T + (x, y)
    put_text(ax, tip[0], tip[1], label, "legend_title", ha="center", va="bottom", zorder=6)
    return (x - 5.0, y - 6.0, x + 5.0, y + 11.0)


def draw_scale_bar(frame: MapFrame, lang: str) -> Any:
    """A scale bar (matplotlib-scalebar) in the map's lower left corner.

    Parameters
    ----------
    frame : MapFrame
    lang : {"id", "en"}
        Decimal comma in Indonesian.

    Returns
    -------
    matplotlib_scalebar.scalebar.ScaleBar
    """
    from matplotlib_scalebar.scalebar import ScaleBar

    def number(value: float, unit: str) -> str:
        text = f"{value:g}"
        return f"{text.replace('.', ',') if lang != 'en' else text} {unit}"

    st = PRINT_TEXT["map_note"]
    bar = ScaleBar(
        1.0,
        units="m",
        location="lower left",
        length_fraction=0.22,
        width_fraction=0.008,
        box_alpha=0.85,
        box_color=PRINT_COLORS["paper"],
        color=PRINT_COLORS["ink"],
        frameon=True,
        pad=0.4,
        border_pad=0.6,
        scale_loc="top",
        scale_formatter=number,
        font_properties={"family": FONT, "size": st.size},
    )
    frame.ax.add_artist(bar)
    return bar


# --- map furniture and labels -------------------------------------------------------------


def north_angle(crs: Any, x: float, y: float) -> float:
    """Degrees clockwise from the map's up to true north at (x, y): the grid convergence.

    Parameters
    ----------
    crs : pyproj.CRS
        The map's projected CRS.
    x, y : float
        A point of the map, in its CRS.

    Returns
    -------
    float

    Examples
    --------
    >>> from pyproj import CRS
    >>> utm49s = CRS.from_epsg(32749)
    >>> round(north_angle(utm49s, 500000, 9250000), 3), north_angle(utm49s, 800000, 9250000) > 0.3
    (0.0, True)
    """
    from pyproj import Transformer

    to_geo = Transformer.from_crs(crs, 4326, always_xy=True)
    from_geo = Transformer.from_crs(4326, crs, always_xy=True)
    lon, lat = to_geo.transform(x, y)
    x2, y2 = from_geo.transform(lon, min(lat + 0.01, 89.9))
    return math.degrees(math.atan2(x2 - x, y2 - y))


def map_overlay(fig: Any, box: Box) -> Any:
    """A transparent Axes over the map frame ``box``, in paper mm: labels, north arrow.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    box : Box

    Returns
    -------
    matplotlib.axes.Axes
    """
    W, H = fig.get_size_inches() * 25.4
    ax = fig.add_axes((box.x / W, box.y / H, box.w / W, box.h / H), zorder=2)
    ax.set_xlim(box.x, box.right)
    ax.set_ylim(box.y, box.top)
    ax.set_axis_off()
    ax.patch.set_alpha(0.0)
    return ax


def map_furniture(fig: Any, frame: MapFrame, box: Box, crs: Any, lang: str) -> tuple[Any, list]:
    """Scale bar and north arrow on a map; the overlay, and the boxes (mm) they take.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    frame : MapFrame
    box : Box
        The map frame on the paper.
    crs : pyproj.CRS
        The map's CRS (for the north arrow's angle).
    lang : {"id", "en"}

    Returns
    -------
    (matplotlib.axes.Axes, list of tuple)
    """
    overlay = map_overlay(fig, box)
    draw_scale_bar(frame, lang)
    cx, cy = (frame.extent[0] + frame.extent[2]) / 2, (frame.extent[1] + frame.extent[3]) / 2
    arrow = draw_north_arrow(
        overlay, box.right - 8.0, box.top - 12.0, north_angle(crs, cx, cy), text("north", lang)
    )
    bar = (box.x, box.y, box.x + box.w * 0.22 + 14.0, box.y + 12.0)
    return overlay, [arrow, bar]


def map_notes(frame: MapFrame, crs: Any, paper: str, lang: str) -> list[str]:
    """The notes under a map's legend: its scale on the paper, its projection.

    Parameters
    ----------
    frame : MapFrame
    crs : pyproj.CRS
    paper : str
    lang : {"id", "en"}

    Returns
    -------
    list of str
    """
    scale = format_number(frame.scale, 0, lang)
    return [text("scale_note", lang, n=scale, x=paper), text("crs_note", lang, x=crs.name)]


def _label_box(x: float, y: float, label: str, size: float, bold: bool) -> tuple:
    w = text_width(label, size, bold=bold) * MM_PER_PT
    h = text_height(size) * MM_PER_PT
    return (x - w / 2 - 0.4, y - h / 2, x + w / 2 + 0.4, y + h / 2)


def place_label(
    overlay: Any,
    taken: Occupied,
    x: float,
    y: float,
    label: str,
    role: str,
    fits: Callable[[tuple], bool] | None = None,
) -> bool:
    """Set a map label centred at (x, y) mm where it collides with nothing.

    Tried at its style's size, then at its smallest (:class:`~.print_style.PrintText`).

    Parameters
    ----------
    overlay : matplotlib.axes.Axes
        The map's overlay (:func:`map_overlay`).
    taken : Occupied
        What is already placed; the label's box is added to it.
    x, y : float
        mm.
    label : str
    role : str
        Its style in :data:`~.print_style.PRINT_TEXT`.
    fits : callable, optional
        ``fits(box)`` may refuse a box (a label too big for its polygon).

    Returns
    -------
    bool
        Whether it was set.
    """
    st = PRINT_TEXT[role]
    shown = label.upper() if st.upper else label
    for size in dict.fromkeys([st.size, st.min_size or st.size]):
        box = _label_box(x, y, shown, size, st.bold)
        if (fits is None or fits(box)) and taken.take(box):
            put_text(
                overlay,
                x,
                y,
                label,
                st,
                size=size,
                ha="center",
                va="center_baseline",
                zorder=7,
                clip_on=True,
            )
            return True
    return False
