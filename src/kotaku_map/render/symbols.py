"""What a look is made of: the style's kinds of symbol, renderer-neutral.

A :class:`Symbol` (fill, hatch, outline), a :class:`Hatch` (parallel lines over a
background), a :class:`TextStyle` (names on the map), a :class:`Category` (one class of a
categorised layer) and a :class:`LayerStyle` (one layer as every renderer draws it).
Colours are hex, opacities 0-1, widths and dash lengths CSS pixels (1 px = 0.2646 mm at
96 dpi). The looks themselves, built of these, are in :mod:`kotaku_map.render.style`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Category", "Hatch", "LayerStyle", "Symbol", "TextStyle"]


@dataclass(frozen=True)
class Hatch:
    """Parallel lines filling a polygon (crossed with ``cross``), over an optional background.

    Parameters
    ----------
    name : str
        Identifier of the pattern (one per distinct hatch).
    color : str
        Line colour.
    width : float
        Line width, px.
    spacing : float
        Distance between lines, px.
    angle : float
        Rotation of the lines from vertical, degrees clockwise (SVG ``rotate``).
    cross : bool
        Also lines at right angles (cross-hatching).
    background : str or None
        Colour under the lines (``None``: transparent).
    background_opacity : float
        Opacity of that colour, 0..1.
    """

    name: str
    color: str
    width: float
    spacing: float
    angle: float
    cross: bool = False
    background: str | None = None
    background_opacity: float = 1.0


@dataclass(frozen=True)
class Symbol:
    """The look of one polygon or line: fill (colour or hatch) and stroke.

    Parameters
    ----------
    fill : str or None
        Fill colour; ``None`` and no ``hatch``: not filled.
    fill_opacity : float
        0..1.
    hatch : Hatch or None
        A line pattern drawn instead of a plain fill.
    stroke : str or None
        Outline colour (``None``: no outline).
    stroke_width : float
        px.
    stroke_opacity : float
        0..1.
    dash : tuple of float
        Dash pattern of the outline, px on, px off, ... (empty: solid).
    """

    fill: str | None = None
    fill_opacity: float = 1.0
    hatch: Hatch | None = None
    stroke: str | None = "#333333"
    stroke_width: float = 1.0
    stroke_opacity: float = 1.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class TextStyle:
    """The look of names written on the map: dark letters in a light halo.

    Legible on any fill, on a projector and in black-and-white print.

    Parameters
    ----------
    size : float
        Font size on screen, px.
    print_size : float
        Font size on paper, px (1 px = 0.2646 mm).
    color : str
    halo : str
        Colour of the outline around the letters.
    halo_width : float
        px.
    weight : int
        Font weight (400 normal, 700 bold).
    uppercase : bool
    letter_spacing : float
        em.
    min_px : float
        Shown only where the named areas are this many px across (a typical one, the
        median); below that the names of the level above are shown (0: always).
    """

    size: float
    print_size: float
    color: str = "#111111"
    halo: str = "#FFFFFF"
    halo_width: float = 2.0
    weight: int = 700
    uppercase: bool = False
    letter_spacing: float = 0.0
    min_px: float = 0.0


@dataclass(frozen=True)
class Category:
    """One class of a categorised layer: the value it matches, its label, its symbol.

    Parameters
    ----------
    value : str
        The value of the layer's ``field`` that picks this class.
    label : str
        Its legend entry, as shown (already in the map's language).
    symbol : Symbol
        How its features are drawn.
    """

    value: str
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class LayerStyle:
    """One layer as every renderer draws it.

    Parameters
    ----------
    key : str
        Identifier (the web map's pane and legend section, ``kt-<key>``).
    label : str
        Key of the layer's name in :mod:`kotaku_map.render.labels`.
    order : int
        Drawing order, bottom first (the web map's pane z-index).
    symbol : Symbol or None
        The look of a single-symbol layer.
    item : str or None
        Label key of the layer's one legend entry (single-symbol layers).
    field : str or None
        Column whose value picks the category (categorised layers).
    on : bool
        Shown when a map opens.
    gpkg_layer : str or None
        The GeoPackage layer it styles.
    """

    key: str
    label: str
    order: int
    symbol: Symbol | None = None
    item: str | None = None
    field: str | None = None
    on: bool = True
    gpkg_layer: str | None = None
