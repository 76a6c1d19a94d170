"""How every layer the project draws looks: the one style source.

A declarative, renderer-neutral description, built of the kinds of
:mod:`kotaku_map.render.symbols` (colours as hex, opacities 0-1, widths and dash lengths in
CSS pixels, hatches as line patterns). The web map serialises it into the page
(:func:`page_style`; ``assets/kotaku_map.js`` holds no colour), and the GeoPackage's QGIS
styles and the printed atlas read the same :class:`~kotaku_map.render.symbols.LayerStyle`
objects, so a layer looks the same on screen, in QGIS and on paper, in black and white too
(overlaps and gaps are hatched, not only coloured).

Categorised layers: the kelurahan status (by program combination: colour-blind safe hues,
Okabe & Ito 2008 and Paul Tol's "muted" set), the slum level (the yellow-orange-red of the
Permen PUPR maps), and the classes of the extra layers (reconciliation, funding).

On paper a px is printed as :func:`kotaku_map.render.print_style.print_width` says; what
only paper has (the text of a sheet, its rules and grounds) is in
:mod:`kotaku_map.render.print_style`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from typing import Any

from kotaku_map import schema

from .labels import text, value_label
from .symbols import Category, Hatch, LayerStyle, Symbol, TextStyle

__all__ = [
    "CHANGE_COLORS",
    "COMBO_COLORS",
    "LAYERS",
    "LEVEL_COLORS",
    "LINGKUNGAN_COLORS",
    "PROGRAM_COLORS",
    "gap_change_categories",
    "level_categories",
    "mix_categories",
    "page_style",
    "program_symbol",
    "status_categories",
    "value_categories",
]

PROGRAM_COLORS = ("#0072B2", "#009E73", "#56B4E9", "#999933", "#332288", "#44AA99")
COMBO_COLORS = ("#CC79A7", "#AA4499", "#882255", "#DDCC77", "#117733", "#88CCEE")
#: slum levels: the colours the Permen PUPR maps use (yellow, orange, red)
LEVEL_COLORS = {
    "kumuh ringan": "#FFE135",
    "kumuh sedang": "#F28E2B",
    "kumuh berat": "#D62728",
    "tidak kumuh": "#A6D96A",
    "tidak diketahui": "#9E9E9E",
}
UNKNOWN_COLOR = "#9E9E9E"

# --- hatches ------------------------------------------------------------------------------
GAP_STATUS_HATCH = Hatch("gapstatus", "#B2182B", 3, 10, 45, background="#FDDBC7")
OVERLAP_HATCH = Hatch(
    "overlap", "#4B0055", 2.2, 9, 45, cross=True, background="#FFFFFF", background_opacity=0.55
)
GAP_HATCH = Hatch("gap", "#000000", 2.6, 8, -45, background="#FFFFFF", background_opacity=0.45)
HATCHES = (GAP_STATUS_HATCH, OVERLAP_HATCH, GAP_HATCH)

# --- the layers of a city map, in drawing order -------------------------------------------
STATUS = LayerStyle(
    "status", "layer_status", 410, field=schema.STATUS, gpkg_layer=schema.LAYER_KELURAHAN
)
WORK = LayerStyle("wk", "layer_wk", 420, item="wk_item", gpkg_layer=schema.LAYER_WORK)
SLUM = LayerStyle("kumuh", "layer_kumuh", 430, field=schema.TINGKAT, gpkg_layer=schema.LAYER_SLUM)
OVERLAP = LayerStyle(
    "overlap",
    "layer_overlap",
    440,
    item="overlap_item",
    gpkg_layer=schema.LAYER_OVERLAP,
    symbol=Symbol(hatch=OVERLAP_HATCH, stroke="#4B0055", stroke_width=3),
)
EXTRA = LayerStyle("extra", "", 447)
GAP = LayerStyle(
    "gap",
    "layer_gap",
    445,
    item="gap_item",
    gpkg_layer=schema.LAYER_GAP,
    symbol=Symbol(hatch=GAP_HATCH, stroke="#000000", stroke_width=3, dash=(6, 4)),
)
SLIVER = LayerStyle(
    "sliver",
    "layer_sliver",
    450,
    item="sliver_item",
    on=False,
    gpkg_layer=schema.LAYER_SLIVER,
    symbol=Symbol(fill="#EE3377", fill_opacity=0.6, stroke="#EE3377", stroke_width=2.5),
)
KECAMATAN = LayerStyle(
    "kec",
    "layer_kec",
    460,
    item="kec_line",
    symbol=Symbol(stroke="#1A1A1A", stroke_width=3, stroke_opacity=0.9),
)
OUTLINE = LayerStyle(
    "outline",
    "layer_outline",
    465,
    item="outline_line",
    symbol=Symbol(stroke="#000000", stroke_width=5),
)
HIGHLIGHT = LayerStyle(
    "hl", "", 470, symbol=Symbol(stroke="#00E5FF", stroke_width=9, stroke_opacity=0.95)
)
#: the search highlight: a wide halo (``HIGHLIGHT``) under this dashed line
HIGHLIGHT_LINE = Symbol(stroke="#000000", stroke_width=2.5, dash=(6, 4))
LABELS = LayerStyle("labels", "layer_kec_labels", 480)
KEL_LABELS = LayerStyle("kellabels", "layer_kel_labels", 475)
LAYERS = (
    STATUS,
    WORK,
    SLUM,
    OVERLAP,
    EXTRA,
    GAP,
    SLIVER,
    KECAMATAN,
    OUTLINE,
    HIGHLIGHT,
    KEL_LABELS,
    LABELS,
)
#: kecamatan names: shown while kelurahan are too small on screen for their own names
KEC_TEXT = TextStyle(15, 10, weight=800, uppercase=True, letter_spacing=0.04, halo_width=2.5)
#: kelurahan names: from a typical kelurahan 70 px across (the kecamatan names then give way)
KEL_TEXT = TextStyle(13.5, 8.5, color="#1A1A1A", weight=700, min_px=70)
#: the mark of a map whose inputs are illustrative (title, overview, print)
ILLUSTRATIVE_MARK = Symbol(fill="#FFF3CD", stroke="#B00020", stroke_width=2)

# --- categories ---------------------------------------------------------------------------
_STATUS_FILL_OPACITY = 0.6
_STATUS_LINE = "#444444"
STATUS_UNKNOWN = Symbol(fill="#BBBBBB", fill_opacity=0.5, stroke="#555555", stroke_width=1)
EXTRA_UNKNOWN = Symbol(fill=UNKNOWN_COLOR, fill_opacity=0.5, stroke="#444444", stroke_width=2.2)


def _status_symbol(color: str) -> Symbol:
    return Symbol(
        fill=color, fill_opacity=_STATUS_FILL_OPACITY, stroke=_STATUS_LINE, stroke_width=1.2
    )


STATUS_GAP_SYMBOL = Symbol(hatch=GAP_STATUS_HATCH, stroke="#555555", stroke_width=1.2)
STATUS_NONE_SYMBOL = Symbol(fill="#FFFFFF", fill_opacity=0.9, stroke="#6b6b6b", stroke_width=1.2)


def program_symbol(index: int) -> Symbol:
    """The work area of the ``index``-th program (config order): its colour, dashed.

    Parameters
    ----------
    index : int

    Returns
    -------
    Symbol

    Examples
    --------
    >>> program_symbol(0).stroke, program_symbol(0).dash
    ('#0072B2', (9, 5))
    """
    color = PROGRAM_COLORS[index % len(PROGRAM_COLORS)]
    return Symbol(fill=color, fill_opacity=0.08, stroke=color, stroke_width=3.5, dash=(9, 5))


def status_categories(
    statuses: Sequence[object], programs: Sequence[str], lang: str
) -> list[Category]:
    """The kelurahan statuses present, in legend order, each with its symbol.

    Single programs first (config order, the program's colour), then combinations (by
    size; spare colours), then "Kumuh tanpa program" (hatched) and "Bukan lokasi" (white).

    Parameters
    ----------
    statuses : sequence
        The statuses that occur (any order, repeats and missing values allowed).
    programs : sequence of str
        Program names in config order.
    lang : {"id", "en"}

    Returns
    -------
    list of Category

    Examples
    --------
    >>> [c.value for c in status_categories(["Bukan lokasi", "NSUP + NUSP-2", "NSUP"],
    ...                                      ("NSUP", "NUSP-2"), "id")]
    ['NSUP', 'NSUP + NUSP-2', 'Bukan lokasi']
    """
    progs = list(programs)
    seen = list(dict.fromkeys(str(s) for s in statuses if s is not None and s == s))
    singles, combos, other = [], [], []
    for s in seen:
        if s in (schema.STATUS_GAP, schema.STATUS_NONE):
            continue
        parts = [p.strip() for p in s.split(schema.PROGRAM_JOIN.strip())]
        if len(parts) == 1 and parts[0] in progs:
            singles.append((progs.index(parts[0]), s))
        elif len(parts) > 1 and all(p in progs for p in parts):
            combos.append(((len(parts), sorted(progs.index(p) for p in parts)), s))
        else:
            other.append(s)
    out = [
        Category(s, s, _status_symbol(PROGRAM_COLORS[i % len(PROGRAM_COLORS)]))
        for i, s in sorted(singles)
    ]
    rest = [s for _, s in sorted(combos)] + other
    out += [
        Category(s, s, _status_symbol(COMBO_COLORS[i % len(COMBO_COLORS)]))
        for i, s in enumerate(rest)
    ]
    if schema.STATUS_GAP in seen:
        label = value_label(schema.STATUS_GAP, lang)
        out.append(Category(schema.STATUS_GAP, label, STATUS_GAP_SYMBOL))
    if schema.STATUS_NONE in seen:
        label = value_label(schema.STATUS_NONE, lang)
        out.append(Category(schema.STATUS_NONE, label, STATUS_NONE_SYMBOL))
    return out


def level_symbol(level: str) -> Symbol:
    """A slum level's polygon: its colour, nearly opaque, dark outline.

    Parameters
    ----------
    level : str
        One of ``schema.LEVELS`` (others: grey).

    Returns
    -------
    Symbol
    """
    return Symbol(
        fill=LEVEL_COLORS.get(level, UNKNOWN_COLOR),
        fill_opacity=0.85,
        stroke="#222222",
        stroke_width=1.3,
    )


def level_categories(levels: Sequence[str], lang: str) -> list[Category]:
    """Categories of the slum layer for the levels present (``schema.LEVELS`` order first).

    Parameters
    ----------
    levels : sequence of str
        Levels as :func:`kotaku_map.levels.normalise_level` writes them.
    lang : {"id", "en"}

    Returns
    -------
    list of Category

    Examples
    --------
    >>> [c.label for c in level_categories(["kumuh ringan", "kumuh berat"], "en")]
    ['Severe slum', 'Light slum']
    """
    present = {str(v) for v in levels}
    ordered = [lv for lv in schema.LEVELS if lv in present]
    ordered += sorted(present - set(ordered))
    return [Category(lv, value_label(lv, lang), level_symbol(lv)) for lv in ordered]


#: lingkungan status (issue 16): covered in blues, a gap in red, unknown grey
LINGKUNGAN_COLORS = {
    schema.LINGKUNGAN_FULL: "#2166AC",
    schema.LINGKUNGAN_PART: "#F4A582",
    schema.LINGKUNGAN_NONE: "#B2182B",
    schema.LINGKUNGAN_UNKNOWN: UNKNOWN_COLOR,
    schema.LINGKUNGAN_OUTSIDE: "#FFFFFF",
}
#: change since the last forum (``kotaku-map banding``): better blue, worse red
CHANGE_COLORS = {
    "lebih baik": "#2166AC",
    "lebih buruk": "#B2182B",
    "tetap": "#F7F7F7",
    "baru": "#FDB863",
    "hilang": "#B2ABD2",
}


def value_categories(colors: Mapping[str, str], lang: str) -> list[Category]:
    """Categories of a layer coloured by a value, filled like the kelurahan status.

    Parameters
    ----------
    colors : mapping of str to str
        Value -> colour, in legend order (:data:`LINGKUNGAN_COLORS`, :data:`CHANGE_COLORS`).
    lang : {"id", "en"}
        Language of the labels (:func:`~kotaku_map.render.labels.value_label`).

    Returns
    -------
    list of Category

    Examples
    --------
    >>> [c.label for c in value_categories(LINGKUNGAN_COLORS, "en")][:2]
    ['Fully covered', 'Partly covered']
    >>> [c.value for c in value_categories(CHANGE_COLORS, "id")][:3]
    ['lebih baik', 'lebih buruk', 'tetap']
    """
    return [Category(v, value_label(v, lang), _status_symbol(c)) for v, c in colors.items()]


def gap_change_categories(lang: str) -> list[Category]:
    """Classes of the change map's coverage gaps: closed (blue), opened (red, dashed).

    Parameters
    ----------
    lang : {"id", "en"}

    Returns
    -------
    list of Category

    Examples
    --------
    >>> [c.label for c in gap_change_categories("en")]
    ['Coverage gaps closed', 'Coverage gaps opened']
    """
    return [
        Category(
            "tertutup",
            text("layer_gap_closed", lang),
            extra_symbol(CHANGE_COLORS["lebih baik"], "#053061", 0.6),
        ),
        Category(
            "baru",
            text("layer_gap_opened", lang),
            extra_symbol(CHANGE_COLORS["lebih buruk"], "#67001F", 0.6, dash=True),
        ),
    ]


# --- the extra layers (issue 8): reconciliation, progress per year, funding --------------


def extra_symbol(color: str, line: str, opacity: float, *, dash: bool = False) -> Symbol:
    """An extra layer's class: filled, outlined, optionally dashed.

    Parameters
    ----------
    color, line : str
        Fill and outline colours.
    opacity : float
        Fill opacity.
    dash : bool

    Returns
    -------
    Symbol
    """
    return Symbol(
        fill=color, fill_opacity=opacity, stroke=line, stroke_width=2.2, dash=(7, 4) if dash else ()
    )


def sync_categories(
    reference: str, other: str, only_in: Sequence[str], lang: str
) -> list[Category]:
    """Classes of the "data tidak sinkron" layer.

    Parameters
    ----------
    reference, other : str
        Short names of the two sources (``"SK"``, ``"SIM"``).
    only_in : sequence of str
        The statuses ``"hanya di <source>"`` that occur.
    lang : {"id", "en"}

    Returns
    -------
    list of Category
    """
    less, more = f"{other} < {reference}", f"{other} > {reference}"
    out = [
        Category(less, less, extra_symbol("#FDB863", "#B35806", 0.55)),
        Category(more, more, extra_symbol("#B2ABD2", "#542788", 0.55)),
    ]
    for value in only_in:
        label = text("sync_only_in", lang, x=value[len("hanya di ") :])
        out.append(Category(value, label, extra_symbol("#E7298A", "#7A0177", 0.5, dash=True)))
    for side, color in ((reference, "#000000"), (other, "#FFFFFF")):
        out.append(
            Category(
                f"poligon hanya {side}",
                text("sync_ground_only", lang, x=side),
                extra_symbol(color, "#000000", 0.45),
            )
        )
    return out


def progress_categories(lang: str) -> list[Category]:
    """Classes of the "slum level per year" layers: every level, in legend order.

    Parameters
    ----------
    lang : {"id", "en"}

    Returns
    -------
    list of Category
    """
    return [
        Category(lv, value_label(lv, lang), extra_symbol(c, "#222222", 0.8))
        for lv, c in PROGRESS_LEVEL_COLORS.items()
    ]


#: the progress chart's and layers' level order (worst first)
PROGRESS_LEVEL_COLORS = {
    "kumuh berat": LEVEL_COLORS["kumuh berat"],
    "kumuh sedang": LEVEL_COLORS["kumuh sedang"],
    "kumuh ringan": LEVEL_COLORS["kumuh ringan"],
    "tidak kumuh": LEVEL_COLORS["tidak kumuh"],
    "tidak diketahui": LEVEL_COLORS["tidak diketahui"],
}


def funding_categories(lang: str) -> list[Category]:
    """Classes of the funding layer: no funded activity (red, dashed), one source, several.

    Parameters
    ----------
    lang : {"id", "en"}

    Returns
    -------
    list of Category
    """
    return [
        Category(
            "tanpa", text("funding_none", lang), extra_symbol("#B2182B", "#67001F", 0.75, dash=True)
        ),
        Category("satu", text("funding_one", lang), extra_symbol("#92C5DE", "#2166AC", 0.55)),
        Category("multi", text("funding_multi", lang), extra_symbol("#2166AC", "#053061", 0.6)),
    ]


# --- the overview -------------------------------------------------------------------------
MIX_NONE_COLOR = "#FFFFFF"


def mix_symbol(color: str) -> Symbol:
    """A city of the overview map, filled with its program mix's colour.

    Parameters
    ----------
    color : str

    Returns
    -------
    Symbol
    """
    return Symbol(fill=color, fill_opacity=0.7, stroke="#222222", stroke_width=2)


def mix_categories(
    mixes: Sequence[tuple[str, ...]], programs: Sequence[str], none_label: str
) -> list[Category]:
    """The overview's program mixes in legend order, each with the symbol of its cities.

    One program: that program's colour; combinations: the spare colours, in order of first
    appearance; no program: white. Legend order: singles, then by size, "no program" last.

    Parameters
    ----------
    mixes : sequence of tuple of str
        Each city's programs (:func:`kotaku_map.render.overview.program_mix`), in city
        order; repeats allowed.
    programs : sequence of str
        Program names in config order.
    none_label : str
        Label of the mix without programs.

    Returns
    -------
    list of Category
        ``value`` is the mix joined with ``" + "`` (``""``: no program).

    Examples
    --------
    >>> [c.label for c in mix_categories([("NSUP", "NUSP-2"), (), ("NSUP",)],
    ...                                  ("NSUP", "NUSP-2"), "Tanpa program")]
    ['NSUP', 'NSUP + NUSP-2', 'Tanpa program']
    """
    progs = list(programs)
    found = list(dict.fromkeys(tuple(m) for m in mixes))
    combos = [m for m in found if len(m) > 1]  # colours in order of appearance
    found.sort(key=lambda m: (len(m) == 0, len(m), [progs.index(p) for p in m]))

    def color(mix: tuple[str, ...]) -> str:
        if not mix:
            return MIX_NONE_COLOR
        if len(mix) == 1:
            return PROGRAM_COLORS[progs.index(mix[0]) % len(PROGRAM_COLORS)]
        return COMBO_COLORS[combos.index(mix) % len(COMBO_COLORS)]

    return [
        Category(
            schema.PROGRAM_JOIN.join(m),
            schema.PROGRAM_JOIN.join(m) if m else none_label,
            mix_symbol(color(m)),
        )
        for m in found
    ]


MIX_UNKNOWN = mix_symbol("#BBBBBB")
GAP_CIRCLE = Symbol(fill="#B2182B", fill_opacity=0.75, stroke="#000000", stroke_width=2)
#: radius of the overview's gap circles, px: smallest and added at the largest gap
GAP_CIRCLE_RADIUS = (6.0, 24.0)


# --- serialised for the web page ----------------------------------------------------------


def symbol_data(symbol: Symbol) -> dict[str, Any]:
    """A symbol as JSON for the page (hatches by name: see :func:`page_style`).

    Parameters
    ----------
    symbol : Symbol

    Returns
    -------
    dict
    """
    d = asdict(replace(symbol, hatch=None))
    d["hatch"] = symbol.hatch.name if symbol.hatch is not None else None
    d["dash"] = list(symbol.dash)
    return d


def category_data(categories: Sequence[Category]) -> list[dict[str, Any]]:
    """Categories as JSON: ``{"key", "label", "symbol"}`` in legend order.

    Parameters
    ----------
    categories : sequence of Category

    Returns
    -------
    list of dict
    """
    return [{"key": c.value, "label": c.label, "symbol": symbol_data(c.symbol)} for c in categories]


def page_style() -> dict[str, Any]:
    """The style block of a page: hatches, panes (drawing order) and fixed symbols.

    Returns
    -------
    dict
        ``{"text": {"kec", "kel"}, "hatches": {name: {...}}, "panes": {key: z},
        "symbols": {key: symbol}, ...}``.

    Examples
    --------
    >>> s = page_style()
    >>> s["panes"]["kel"], s["symbols"]["overlap"]["hatch"]
    (410, 'overlap')
    """
    panes = {("kel" if s.key == "status" else s.key): s.order for s in LAYERS}
    symbols = {s.key: symbol_data(s.symbol) for s in LAYERS if s.symbol is not None}
    symbols.update(
        {
            "hl_line": symbol_data(HIGHLIGHT_LINE),
            "status_unknown": symbol_data(STATUS_UNKNOWN),
            "extra_unknown": symbol_data(EXTRA_UNKNOWN),
            "mix_unknown": symbol_data(MIX_UNKNOWN),
            "gap_circle": symbol_data(GAP_CIRCLE),
        }
    )
    symbols["illustrative"] = symbol_data(ILLUSTRATIVE_MARK)
    return {
        "text": {"kec": asdict(KEC_TEXT), "kel": asdict(KEL_TEXT)},
        "hatches": {h.name: asdict(h) for h in HATCHES},
        "panes": panes,
        "symbols": symbols,
        "overview_panes": {"cities": 410, "circles": 450},
        "gap_circle_radius": list(GAP_CIRCLE_RADIUS),
    }
