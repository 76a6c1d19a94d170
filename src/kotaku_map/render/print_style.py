"""How the printed atlas sets text and its own lines: the print-only styles.

The layers look on paper as they do on screen (:mod:`kotaku_map.render.style`), their px
made points by :func:`print_width`: a px is :data:`PT_PER_PX` points, times
:data:`PRINT_SCALE`. Text is set as :data:`PRINT_TEXT` says, by role, in points
(:class:`PrintText`), and the sheet's own rules and grounds take :data:`PRINT_COLORS`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PRINT_COLORS", "PRINT_SCALE", "PRINT_TEXT", "PT_PER_PX", "PrintText", "print_width"]

#: CSS pixels to typographic points: 1 px = 1/96 in, 1 pt = 1/72 in
PT_PER_PX = 0.75
#: On paper, widths, dash lengths and hatch spacings are the screen's times this: a map on a
#: projector is seen from metres away, a printed sheet from arm's length (see print_width).
PRINT_SCALE = 0.6


def print_width(px: float) -> float:
    """A width, dash or spacing of the style (px) as it is printed, in points.

    Parameters
    ----------
    px : float
        CSS pixels, as :class:`Symbol` and :class:`Hatch` give them.

    Returns
    -------
    float
        Points: ``px * PT_PER_PX * PRINT_SCALE``.

    Examples
    --------
    >>> round(print_width(5), 2)  # the city outline: 5 px on screen, 2.25 pt on paper
    2.25
    """
    return float(px) * PT_PER_PX * PRINT_SCALE


@dataclass(frozen=True)
class PrintText:
    """How one kind of text is set on paper (the atlas): sizes in points.

    Parameters
    ----------
    size : float
        Font size, pt.
    bold : bool
        Set in the bold face.
    color : str
        Colour of the letters.
    halo : str or None
        Colour of an outline drawn under the letters so that they stay legible over the
        map (``None``: no halo).
    halo_width : float
        Width of that outline, pt.
    min_size : float or None
        A map label that does not fit may be set again this small before it is left out.
    upper : bool
        Set in capitals (kecamatan names, as on the web map).
    """

    size: float
    bold: bool = False
    color: str = "#000000"
    halo: str | None = None
    halo_width: float = 0.0
    min_size: float | None = None
    upper: bool = False


#: the texts of a printed sheet, by role
PRINT_TEXT: dict[str, PrintText] = {
    "cover_title": PrintText(22, bold=True, color="#0B2545"),
    "cover_subtitle": PrintText(13, color="#0B2545"),
    "cover": PrintText(9),
    "title": PrintText(8.5, color="#333333"),
    "city": PrintText(15, bold=True, color="#0B2545"),
    "date": PrintText(8, color="#333333"),
    "stamp": PrintText(8, bold=True, color="#B2182B"),
    "kecamatan": PrintText(
        7, bold=True, color="#111111", halo="#FFFFFF", halo_width=2.2, min_size=5.5, upper=True
    ),
    "kelurahan": PrintText(5.5, color="#1A1A1A", halo="#FFFFFF", halo_width=1.6, min_size=4.5),
    "city_label": PrintText(
        6.5, bold=True, color="#111111", halo="#FFFFFF", halo_width=2.0, min_size=5.0
    ),
    "map_note": PrintText(6.5, color="#111111"),
    "legend_title": PrintText(7.5, bold=True),
    "legend": PrintText(7),
    "table_title": PrintText(10, bold=True, color="#0B2545"),
    "table_head": PrintText(6.5, bold=True),
    "table": PrintText(6.5),
    "footer": PrintText(6, color="#444444"),
}

#: the colours of a printed sheet's own lines and grounds (not of any layer)
PRINT_COLORS: dict[str, str] = {
    "paper": "#FFFFFF",
    "ink": "#111111",  # north arrow, scale bar
    "frame": "#222222",  # the map's frame, table rules
    "title_rule": "#0B2545",  # under the title band
    "footer_rule": "#999999",  # over the footer
    "note": "#444444",  # notes under the legend
    "zebra": "#EFEFEF",  # every other table row
}
