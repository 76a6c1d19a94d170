"""QGIS styles and metadata of the GeoPackage layers, generated from the style source.

Every layer of a city's GeoPackage gets a default style in the GeoPackage's
``layer_styles`` table (the table QGIS itself reads and writes;
:mod:`kotaku_map.writers.gpkg` stores it): a QML document for QGIS 3 and an SLD 1.1
(Symbology Encoding) document for other GIS. Both are written here from
:mod:`~kotaku_map.render.style` and :mod:`~kotaku_map.render.labels`, never from a palette
of their own:

* colours and opacities as the web map draws them;
* a :class:`~kotaku_map.render.symbols.Hatch` as QGIS line-pattern fills (a second one at
  right angles for a cross-hatch) over a plain fill of its background; the web map rotates
  vertical lines clockwise by ``angle`` (SVG), QGIS turns horizontal ones anticlockwise,
  so QGIS's angle is ``90 - angle``;
* dashes as custom dash patterns; CSS pixels as millimetres (1 px = 0.2646 mm), so a line
  has the weight in QGIS at 96 dpi that it has on the web map;
* categories (kelurahan status, slum level, synchronisation status) in legend order, with
  the labels of the build's language;
* field aliases: the workbooks' headers (:func:`~kotaku_map.render.labels.column_text`).

SLD has no hatch: a hatch is written as QGIS writes one (a ``horline`` mark, rotated, as a
graphic fill), which QGIS reads back as a line-pattern fill. :func:`layer_metadata`
writes the QGIS metadata document (QMD) of a layer: title, abstract, keywords, rights.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd

from kotaku_map import schema as S
from kotaku_map.results import CityResult

from .extras import sync_layer
from .labels import column_text, text
from .style import (
    GAP,
    OVERLAP,
    SLIVER,
    SLUM,
    STATUS,
    STATUS_NONE_SYMBOL,
    level_categories,
    program_symbol,
    status_categories,
)
from .symbols import Category, Hatch, Symbol

__all__ = [
    "MM_PER_PX",
    "QgisLayer",
    "city_layers",
    "layer_metadata",
    "project",
    "qml",
    "sld",
]

#: a CSS pixel in millimetres (96 dpi)
MM_PER_PX = 25.4 / 96
#: the "standardized rendering pixel" of SLD/SE, mm
_SE_PIXEL_MM = 0.28
#: the version a QML document says it was written for (QGIS 3.22 LTR reads 3.16 up)
_QGIS_VERSION = "3.22.0-Białowieża"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"


@dataclass(frozen=True)
class QgisLayer:
    """One GeoPackage layer as QGIS draws it: a single symbol, or categories of a field.

    Parameters
    ----------
    name : str
        The GeoPackage layer.
    title : str
        Its name as people read it (the legend of the web map).
    description : str
        What it holds, a sentence or two.
    symbol : Symbol or None
        The symbol of every feature (a single-symbol layer).
    field : str or None
        The field whose value picks the category (a categorised layer).
    categories : tuple of Category
        The categories, in legend order.
    aliases : mapping of str to str
        Field -> its name as people read it.
    visible : bool
        Shown when the layer is added (the web map's layers shown when it opens).
    """

    name: str
    title: str
    description: str
    symbol: Symbol | None = None
    field: str | None = None
    categories: tuple[Category, ...] = ()
    # (`field` is an attribute here, hence dataclasses.field)
    aliases: Mapping[str, str] = dataclasses.field(default_factory=dict)
    visible: bool = True


def city_layers(
    result: CityResult,
    *,
    lang: str,
    work_layers: Mapping[str, str],
    list_programs: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
    thresholds: tuple[float, float] = (5.0, 100.0),
    synced: object | None = None,
) -> list[QgisLayer]:
    """The layers of a city's GeoPackage, in the web map's drawing order (bottom first).

    Parameters
    ----------
    result : CityResult
        The city (its statuses, levels and columns decide the categories and aliases).
    lang : {"id", "en"}
        Language of titles, descriptions, category labels and aliases.
    work_layers : mapping of str to str
        Program -> the name of its work-area layer in the GeoPackage.
    list_programs : sequence of str
        The programs given as a list of kelurahan (their layer is one feature per kelurahan).
    names : mapping of str to str, optional
        Slug -> name, for the aliases of columns named after a program
        (:func:`~kotaku_map.render.labels.column_text`).
    thresholds : tuple of float
        Sliver width (m) and area (m²), stated in the sliver layer's description.
    synced : CitySync, optional
        The city's ``[sync]`` results: adds ``data_tidak_sinkron`` and
        ``sinkronisasi_kelurahan``.

    Returns
    -------
    list of QgisLayer

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> [q.name for q in city_layers(example_result(), lang="id", work_layers={})]
    ['kelurahan', 'kawasan_kumuh', 'tumpang_tindih', 'celah_cakupan', 'sliver']
    >>> [c.label for c in city_layers(example_result(), lang="en", work_layers={})[0].categories]
    ['NSUP', 'Slum without programme']
    """
    names = names or {}

    def aliases(frame: gpd.GeoDataFrame, **extra: str) -> dict[str, str]:
        out = {c: column_text(c, lang, names)[0] for c in frame.columns if c != "geometry"}
        return {**out, **extra}

    kel = result.kelurahan
    luas = column_text("luas_kelurahan_ha", lang)[0]
    out = [
        QgisLayer(
            STATUS.gpkg_layer or S.LAYER_KELURAHAN,
            text(STATUS.label, lang),
            text("desc_kelurahan", lang),
            field=S.STATUS,
            categories=tuple(status_categories(kel[S.STATUS], result.programs, lang)),
            aliases=aliases(kel, **{S.LUAS_HA: luas}),
        )
    ]
    for i, program in enumerate(result.programs):
        if program not in work_layers:
            continue
        kind = "desc_wk_list" if program in list_programs else "desc_wk_polygons"
        out.append(
            QgisLayer(
                work_layers[program],
                text("layer_wk", lang, p=program),
                text(kind, lang, p=program),
                symbol=program_symbol(i),
                aliases=aliases(result.wilayah_kerja),
            )
        )
    out += _finding_layers(result, lang, aliases, thresholds)
    if synced is not None:
        out += _sync_layers(result, synced, lang, aliases)
    return out


def _finding_layers(
    result: CityResult, lang: str, aliases: object, thresholds: tuple[float, float]
) -> list[QgisLayer]:
    """Slum areas (by level), overlaps, gaps and slivers."""
    levels = result.kumuh[S.TINGKAT].dropna().astype(str) if S.TINGKAT in result.kumuh else []
    width, area = (f"{v:g}" for v in thresholds)
    sliver_text = text("desc_sliver", lang).replace("{w}", width).replace("{a}", area)
    return [
        QgisLayer(
            SLUM.gpkg_layer or S.LAYER_SLUM,
            text(SLUM.label, lang),
            text("desc_kumuh", lang),
            field=S.TINGKAT,
            categories=tuple(level_categories(list(levels), lang)),
            aliases=aliases(result.kumuh),  # type: ignore[operator]
        ),
        QgisLayer(
            OVERLAP.gpkg_layer or S.LAYER_OVERLAP,
            text(OVERLAP.label, lang),
            text("desc_overlap", lang),
            symbol=OVERLAP.symbol,
            aliases=aliases(result.tumpang_tindih),  # type: ignore[operator]
        ),
        QgisLayer(
            GAP.gpkg_layer or S.LAYER_GAP,
            text(GAP.label, lang),
            text("desc_gap", lang),
            symbol=GAP.symbol,
            aliases=aliases(result.celah),  # type: ignore[operator]
        ),
        QgisLayer(
            SLIVER.gpkg_layer or S.LAYER_SLIVER,
            text(SLIVER.label, lang),
            sliver_text,
            symbol=SLIVER.symbol,
            aliases=aliases(result.sliver),  # type: ignore[operator]
            visible=SLIVER.on,
        ),
    ]


def _sync_layers(result: CityResult, synced: object, lang: str, aliases: object) -> list[QgisLayer]:
    """The ground in one source only, and the kelurahan with their synchronisation status.

    Their categories are those of the web map's layer "Data tidak sinkron"
    (:func:`~kotaku_map.render.extras.sync_layer`); a kelurahan in sync is drawn as a
    kelurahan that is not a location.
    """
    table, differences = synced.table, synced.differences  # type: ignore[attr-defined]
    layer = sync_layer(table, differences, result.kelurahan, lang=lang)
    classes = [c for c in layer.classes if isinstance(c, Category)]
    ground = tuple(
        Category(c.value[len("poligon ") :], c.label, c.symbol)
        for c in classes
        if c.value.startswith("poligon ")
    )
    flagged = [c for c in classes if not c.value.startswith("poligon ")]
    in_sync = Category("sinkron", text("sync_in_sync", lang), STATUS_NONE_SYMBOL)
    return [
        QgisLayer(
            S.LAYER_SYNC,
            text("sync_layer", lang),
            text("desc_sync", lang),
            field="sumber",
            categories=ground,
            aliases=aliases(differences),  # type: ignore[operator]
        ),
        QgisLayer(
            S.LAYER_SYNC_KELURAHAN,
            text("layer_sync_kelurahan", lang),
            text("desc_sync_kelurahan", lang),
            field="status",
            categories=(in_sync, *flagged),
            aliases=aliases(table),  # type: ignore[operator]
            visible=False,
        ),
    ]


# --- QML ------------------------------------------------------------------------------------


def _rgba(color: str | None, opacity: float = 1.0) -> str:
    """``#RRGGBB`` and an opacity as QGIS writes a colour: ``r,g,b,a`` (0-255)."""
    if not color:
        return "0,0,0,0"
    h = color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(255 * max(0.0, min(1.0, opacity)))}"


def _mm(px: float) -> str:
    """CSS pixels as millimetres, as QGIS writes a number."""
    return f"{px * MM_PER_PX:.4g}"


def _props(layer: ET.Element, props: Mapping[str, str]) -> None:
    """A symbol layer's properties, as QGIS 3.22 writes them (Option map and ``prop``)."""
    options = ET.SubElement(layer, "Option", type="Map")
    for k, v in props.items():
        ET.SubElement(options, "Option", name=k, value=v, type="QString")
    for k, v in props.items():
        ET.SubElement(layer, "prop", k=k, v=v)


def _symbol_layer(parent: ET.Element, cls: str, props: Mapping[str, str]) -> ET.Element:
    layer = ET.SubElement(
        parent, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"}
    )
    _props(layer, props)
    return layer


def _line_props(color: str | None, opacity: float, width: float, dash: Sequence[float]) -> dict:
    return {
        "line_color": _rgba(color, opacity),
        "line_width": _mm(width),
        "line_width_unit": "MM",
        "line_style": "solid",
        "use_custom_dash": "1" if dash else "0",
        "customdash": ";".join(_mm(d) for d in dash) if dash else "5;2",
        "customdash_unit": "MM",
        "capstyle": "round",
        "joinstyle": "round",
        "offset": "0",
        "offset_unit": "MM",
    }


def _symbol_element(parent: ET.Element, name: str, kind: str) -> ET.Element:
    attrs = {"type": kind, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"}
    return ET.SubElement(parent, "symbol", attrs)


def _symbol(parent: ET.Element, name: str, symbol: Symbol) -> None:
    """A QGIS fill symbol: plain fill (a hatch's background), hatch lines, then the outline."""
    el = _symbol_element(parent, name, "fill")
    h = symbol.hatch
    fill, opacity = (h.background, h.background_opacity) if h else (symbol.fill, 1.0)
    if fill:
        _symbol_layer(
            el,
            "SimpleFill",
            {
                "color": _rgba(fill, opacity * symbol.fill_opacity),
                "style": "solid",
                "outline_style": "no",
                "outline_color": "0,0,0,0",
                "outline_width": "0",
                "outline_width_unit": "MM",
                "joinstyle": "round",
                "offset": "0,0",
                "offset_unit": "MM",
            },
        )
    if h:
        for angle in [90 - h.angle] + ([-h.angle] if h.cross else []):
            _hatch(el, name, angle, _line_props(h.color, symbol.fill_opacity, h.width, ()), h)
    if symbol.stroke:
        props = _line_props(symbol.stroke, symbol.stroke_opacity, symbol.stroke_width, symbol.dash)
        _symbol_layer(el, "SimpleLine", props)


def _hatch(el: ET.Element, name: str, angle: float, line: dict, h: Hatch) -> None:
    """One set of parallel lines: a line-pattern fill with its line as a sub-symbol."""
    layer = _symbol_layer(
        el,
        "LinePatternFill",
        {
            "angle": f"{angle % 180:g}",
            "distance": _mm(h.spacing),
            "distance_unit": "MM",
            "line_width": line["line_width"],
            "line_width_unit": "MM",
            "color": line["line_color"],
            "offset": "0",
            "offset_unit": "MM",
        },
    )
    sub = _symbol_element(layer, f"@{name}@{len(el) - 1}", "line")
    _symbol_layer(sub, "SimpleLine", {**line, "capstyle": "flat"})


def _renderer(layer: QgisLayer) -> ET.Element:
    if layer.field is None:
        r = ET.Element("renderer-v2", _renderer_attrs("singleSymbol"))
        symbols = ET.SubElement(r, "symbols")
        _symbol(symbols, "0", layer.symbol or Symbol())
        return r
    r = ET.Element("renderer-v2", {**_renderer_attrs("categorizedSymbol"), "attr": layer.field})
    cats = ET.SubElement(r, "categories")
    symbols = ET.SubElement(r, "symbols")
    for i, c in enumerate(layer.categories):
        attrs = {"render": "true", "symbol": str(i), "value": c.value, "label": c.label}
        ET.SubElement(cats, "category", attrs)
        _symbol(symbols, str(i), c.symbol)
    return r


def _renderer_attrs(kind: str) -> dict[str, str]:
    return {
        "type": kind,
        "symbollevels": "0",
        "enableorderby": "0",
        "forceraster": "0",
        "referencescale": "-1",
    }


def qml(layer: QgisLayer) -> str:
    """The QML document of a layer: its renderer and its field aliases.

    Parameters
    ----------
    layer : QgisLayer

    Returns
    -------
    str
        A QGIS style document (``<!DOCTYPE qgis ...>``), as QGIS 3.16-3.40 reads it.

    Examples
    --------
    >>> from kotaku_map.render.style import OVERLAP
    >>> doc = qml(QgisLayer("tumpang_tindih", "Tumpang tindih", "", symbol=OVERLAP.symbol))
    >>> doc.count('class="LinePatternFill"'), 'value="75,0,85,255"' in doc
    (2, True)
    """
    root = ET.Element(
        "qgis",
        {
            "version": _QGIS_VERSION,
            "styleCategories": "Symbology|Fields",
            "labelsEnabled": "0",
            "hasScaleBasedVisibilityFlag": "0",
        },
    )
    _style_into(root, layer)
    ET.indent(root, space=" ")
    return _DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def _style_into(el: ET.Element, layer: QgisLayer) -> None:
    """A layer's renderer and field aliases, into a QML document or a project's layer."""
    el.append(_renderer(layer))
    aliases = ET.SubElement(el, "aliases")
    for i, (name, alias) in enumerate(layer.aliases.items()):
        ET.SubElement(aliases, "alias", field=name, index=str(i + 1), name=alias)
    ET.SubElement(el, "layerGeometryType").text = "2"


def _crs(parent: ET.Element, tag: str) -> None:
    """EPSG:4326 as a project states a CRS (QGIS resolves it from these items)."""
    srs = ET.SubElement(ET.SubElement(parent, tag), "spatialrefsys")
    for item, value in (
        ("proj4", "+proj=longlat +datum=WGS84 +no_defs"),
        ("srsid", "3452"),
        ("srid", "4326"),
        ("authid", "EPSG:4326"),
        ("description", "WGS 84"),
        ("projectionacronym", "longlat"),
        ("ellipsoidacronym", "EPSG:7030"),
        ("geographicflag", "true"),
    ):
        ET.SubElement(srs, item).text = value


def project(layers: Sequence[QgisLayer], gpkg: str, *, title: str) -> str:
    """A QGIS project (``.qgs``) of a city's GeoPackage: every layer in the map's order.

    The layers are read from ``gpkg`` next to the project (a relative path: the folder may
    be moved or copied whole), each with its style (as in ``layer_styles``), shown or hidden
    as the web map opens; the first of ``layers`` is drawn at the bottom.

    Parameters
    ----------
    layers : sequence of QgisLayer
        The layers, in drawing order (bottom first).
    gpkg : str
        The GeoPackage's file name.
    title : str
        The project's title.

    Returns
    -------
    str
        The project document.

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> doc = project(city_layers(example_result(), lang="id", work_layers={}), "k.gpkg",
    ...               title="Kota Contoh")
    >>> "<datasource>./k.gpkg|layername=kelurahan</datasource>" in doc
    True
    """
    root = ET.Element("qgis", projectname=title, version=_QGIS_VERSION)
    ET.SubElement(root, "title").text = title
    _crs(root, "projectCrs")
    tree = ET.SubElement(root, "layer-tree-group")
    maps = ET.Element("projectlayers")
    for layer in reversed(layers):  # the legend lists the top layer first
        source = f"./{gpkg}|layername={layer.name}"
        layer_id = f"kotaku_map_{layer.name}"  # QGIS takes an id of more than 10 characters
        ET.SubElement(
            tree,
            "layer-tree-layer",
            {
                "id": layer_id,
                "name": layer.title,
                "source": source,
                "providerKey": "ogr",
                "checked": "Qt::Checked" if layer.visible else "Qt::Unchecked",
                "expanded": "1" if layer.field else "0",
            },
        )
        el = ET.SubElement(maps, "maplayer", type="vector", geometry="Polygon")
        ET.SubElement(el, "id").text = layer_id
        ET.SubElement(el, "datasource").text = source
        ET.SubElement(el, "layername").text = layer.title
        ET.SubElement(el, "abstract").text = layer.description
        _crs(el, "srs")
        ET.SubElement(el, "provider", encoding="UTF-8").text = "ogr"
        _style_into(el, layer)
    root.append(maps)
    properties = ET.SubElement(root, "properties")
    ET.SubElement(ET.SubElement(properties, "Paths"), "Absolute", type="bool").text = "false"
    srs = ET.SubElement(properties, "SpatialRefSys")  # QGIS reads projectCrs only with this
    ET.SubElement(srs, "ProjectionsEnabled", type="int").text = "1"
    ET.indent(root, space=" ")
    return _DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


# --- SLD ------------------------------------------------------------------------------------

_NS = {
    "sld": "http://www.opengis.net/sld",
    "se": "http://www.opengis.net/se",
    "ogc": "http://www.opengis.net/ogc",
    "xlink": "http://www.w3.org/1999/xlink",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def _q(prefix: str, tag: str) -> str:
    return f"{{{_NS[prefix]}}}{tag}"


def _se_px(px: float) -> str:
    """CSS pixels as SE pixels (0.28 mm)."""
    return f"{px * MM_PER_PX / _SE_PIXEL_MM:.3g}"


def _param(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, _q("se", "SvgParameter"), name=name).text = value


def _fill(parent: ET.Element, color: str, opacity: float) -> None:
    poly = ET.SubElement(parent, _q("se", "PolygonSymbolizer"))
    fill = ET.SubElement(poly, _q("se", "Fill"))
    _param(fill, "fill", color.lower())
    _param(fill, "fill-opacity", f"{opacity:g}")


def _sld_symbolizers(rule: ET.Element, symbol: Symbol) -> None:
    """A symbol as SE symbolizers: fill or background, hatch lines, outline."""
    h = symbol.hatch
    fill, opacity = (h.background, h.background_opacity) if h else (symbol.fill, 1.0)
    if fill:
        _fill(rule, fill, opacity * symbol.fill_opacity)
    if h:
        for angle in [90 - h.angle] + ([-h.angle] if h.cross else []):
            poly = ET.SubElement(rule, _q("se", "PolygonSymbolizer"))
            graphic = ET.SubElement(
                ET.SubElement(ET.SubElement(poly, _q("se", "Fill")), _q("se", "GraphicFill")),
                _q("se", "Graphic"),
            )
            mark = ET.SubElement(graphic, _q("se", "Mark"))
            ET.SubElement(mark, _q("se", "WellKnownName")).text = "horline"
            stroke = ET.SubElement(mark, _q("se", "Stroke"))
            _param(stroke, "stroke", h.color.lower())
            _param(stroke, "stroke-width", _se_px(h.width))
            ET.SubElement(graphic, _q("se", "Size")).text = _se_px(h.spacing)
            rotation = ET.SubElement(graphic, _q("se", "Rotation"))
            ET.SubElement(rotation, _q("ogc", "Literal")).text = f"{angle % 180:g}"
    if symbol.stroke:
        line = ET.SubElement(rule, _q("se", "LineSymbolizer"))
        stroke = ET.SubElement(line, _q("se", "Stroke"))
        _param(stroke, "stroke", symbol.stroke.lower())
        _param(stroke, "stroke-opacity", f"{symbol.stroke_opacity:g}")
        _param(stroke, "stroke-width", _se_px(symbol.stroke_width))
        _param(stroke, "stroke-linejoin", "round")
        _param(stroke, "stroke-linecap", "round")
        if symbol.dash:
            _param(stroke, "stroke-dasharray", " ".join(_se_px(d) for d in symbol.dash))


def _rule(parent: ET.Element, name: str, title: str, symbol: Symbol) -> ET.Element:
    rule = ET.SubElement(parent, _q("se", "Rule"))
    ET.SubElement(rule, _q("se", "Name")).text = name
    ET.SubElement(ET.SubElement(rule, _q("se", "Description")), _q("se", "Title")).text = title
    return rule


def sld(layer: QgisLayer) -> str:
    """The SLD 1.1 (Symbology Encoding) document of a layer, for GIS other than QGIS.

    Parameters
    ----------
    layer : QgisLayer

    Returns
    -------
    str
        One rule per category (a ``PropertyIsEqualTo`` filter on the layer's field), or one
        rule for a single-symbol layer.

    Examples
    --------
    >>> from kotaku_map.render.style import GAP
    >>> doc = sld(QgisLayer("celah_cakupan", "Celah", "", symbol=GAP.symbol))
    >>> "<se:WellKnownName>horline</se:WellKnownName>" in doc, "stroke-dasharray" in doc
    (True, True)
    """
    for prefix, uri in _NS.items():
        ET.register_namespace("" if prefix == "sld" else prefix, uri)
    root = ET.Element(
        _q("sld", "StyledLayerDescriptor"),
        {
            "version": "1.1.0",
            _q("xsi", "schemaLocation"): (
                "http://www.opengis.net/sld "
                "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"
            ),
        },
    )
    named = ET.SubElement(root, _q("sld", "NamedLayer"))
    ET.SubElement(named, _q("se", "Name")).text = layer.name
    user = ET.SubElement(named, _q("sld", "UserStyle"))
    ET.SubElement(user, _q("se", "Name")).text = layer.name
    fts = ET.SubElement(user, _q("se", "FeatureTypeStyle"))
    if layer.field is None:
        _sld_symbolizers(
            _rule(fts, layer.name, layer.title, layer.symbol or Symbol()), layer.symbol or Symbol()
        )
    for c in layer.categories:
        rule = _rule(fts, c.value, c.label, c.symbol)
        equal = ET.SubElement(
            ET.SubElement(rule, _q("ogc", "Filter")), _q("ogc", "PropertyIsEqualTo")
        )
        ET.SubElement(equal, _q("ogc", "PropertyName")).text = layer.field
        ET.SubElement(equal, _q("ogc", "Literal")).text = c.value
        _sld_symbolizers(rule, c.symbol)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- QGIS layer metadata (QMD) ------------------------------------------------------------


def layer_metadata(
    layer: QgisLayer,
    *,
    lang: str,
    parent: str,
    abstract: Sequence[str],
    keywords: Sequence[str],
    rights: Sequence[str],
    history: Sequence[str],
    date: str,
) -> str:
    """The QGIS metadata document (QMD) of a layer, as QGIS keeps it in a GeoPackage.

    QGIS shows it under the layer's properties (Information, Metadata): title, abstract
    (the description, then ``abstract``), keywords, rights (the illustrative flag), history.

    Parameters
    ----------
    layer : QgisLayer
    lang : {"id", "en"}
        The language of the texts (written as ISO 639-2: ``ind``, ``eng``).
    parent : str
        The identifier of the dataset (the GeoPackage's title).
    abstract : sequence of str
        Paragraphs after the layer's description.
    keywords : sequence of str
    rights : sequence of str
    history : sequence of str
    date : str
        The build's date, ISO 8601 (a ``Created`` date; QGIS 3.30 and later show it).

    Returns
    -------
    str

    Examples
    --------
    >>> doc = layer_metadata(QgisLayer("kelurahan", "Status kelurahan", "Satu fitur."),
    ...     lang="id", parent="Kota Contoh", abstract=["Dibuat 3 Februari 2017."],
    ...     keywords=["KOTAKU"], rights=["ILUSTRATIF"], history=[], date="2017-02-03")
    >>> "<title>Status kelurahan</title>" in doc, "<rights>ILUSTRATIF</rights>" in doc
    (True, True)
    """
    root = ET.Element("qgis", version=_QGIS_VERSION)
    for tag, value in (
        ("identifier", layer.name),
        ("parentidentifier", parent),
        ("language", "eng" if lang == "en" else "ind"),
        ("type", "dataset"),
        ("title", layer.title),
        ("abstract", "\n\n".join([layer.description, *abstract])),
    ):
        ET.SubElement(root, tag).text = value
    words = ET.SubElement(root, "keywords", vocabulary="kotaku_map")
    for k in keywords:
        ET.SubElement(words, "keyword").text = k
    ET.SubElement(root, "links")
    dates = ET.SubElement(root, "dates")
    ET.SubElement(dates, "date", type="Created", value=f"{date}T00:00:00")
    ET.SubElement(root, "fees")
    for r in rights:
        ET.SubElement(root, "rights").text = r
    for h in history:
        ET.SubElement(root, "history").text = h
    ET.SubElement(root, "encoding").text = "UTF-8"
    ET.indent(root, space="  ")
    return _DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"
