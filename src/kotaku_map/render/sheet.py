"""A printed sheet: paper, layout, text, header and footer.

Every sheet is a matplotlib Figure the size of the paper, with one Axes over the whole page
in millimetres from the bottom-left corner (the *paper*, :func:`new_sheet`), on which
everything but the map is set, and, on map sheets, an Axes for the map in its metric CRS
at a round scale (:mod:`kotaku_map.render.map_frame`). The layout (:func:`layout`) puts the
map left of a panel on landscape paper and above it on portrait paper; nothing is drawn
outside the margins.

Sizes of text come from :data:`kotaku_map.render.print_style.PRINT_TEXT`
(:func:`put_text`, :func:`fit_size`); symbols are drawn by :mod:`kotaku_map.render.draw`.
Header and footer are drawn on a :class:`~kotaku_map.render.canvas.Canvas`, so that pages
of text (tables, see :mod:`kotaku_map.render.table`) carry the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .canvas import Canvas
from .draw import FONT, MM_PER_PT, printable, text_height, text_width, wrap
from .print_style import PRINT_COLORS, PRINT_TEXT, PrintText

__all__ = [
    "ORIENTATIONS",
    "PAPERS",
    "Box",
    "Layout",
    "draw_footer",
    "draw_header",
    "draw_stamp",
    "fit_size",
    "layout",
    "new_sheet",
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
    """A rectangle on the sheet, mm from the bottom-left corner of the paper.

    Parameters
    ----------
    x, y : float
        Its bottom-left corner, mm.
    w, h : float
        Its width and height, mm.
    """

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

    Parameters
    ----------
    paper, orientation : str
        As given to :func:`layout`.
    width, height : float
        The paper, mm.
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
    # 5 % under the measured room: a renderer's hinting and kerning widen a long line a little
    width_pt = 0.95 * (box.w - right_w - 6.0) / MM_PER_PT
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
