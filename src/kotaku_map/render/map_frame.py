"""The map on a printed sheet: its frame at a round scale, north arrow, scale bar, labels.

:func:`map_axes` makes an Axes for the map in its metric CRS at the round scale that fits
it into the sheet's map frame (:class:`MapFrame`); :func:`map_furniture` sets a scale bar
and a north arrow turned to true north (the grid convergence, :func:`north_angle`) on a
transparent overlay in paper millimetres, on which :func:`place_label` sets the map's
labels where they collide with nothing; :func:`map_notes` states the scale and projection.
The sheet around it (paper, layout, header and footer) is :mod:`kotaku_map.render.sheet`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .draw import FONT, MM_PER_PT, Occupied, text_height, text_width
from .labels import format_number, text
from .print_style import PRINT_COLORS, PRINT_TEXT
from .sheet import Box, put_text

__all__ = [
    "MapFrame",
    "draw_north_arrow",
    "draw_scale_bar",
    "map_axes",
    "map_furniture",
    "map_notes",
    "map_overlay",
    "nice_scale",
    "north_angle",
    "place_label",
]


@dataclass(frozen=True)
class MapFrame:
    """A map Axes and its scale.

    Parameters
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
        """Map coordinates (m) to paper coordinates (mm) inside the frame ``box``.

        Parameters
        ----------
        box : Box
            The map frame on the paper (the box the Axes fills).
        x, y : float or array-like
            Map coordinates, metres.

        Returns
        -------
        tuple
            ``(x, y)`` on the paper, mm (arrays for arrays).
        """
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
