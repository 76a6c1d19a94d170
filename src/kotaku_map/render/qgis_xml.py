"""QGIS's own documents of a GeoPackage layer: its style (QML), metadata (QMD), a project.

A :class:`QgisLayer` says how one layer is drawn: a single symbol, or categories of a field,
each a :class:`~kotaku_map.render.symbols.Symbol`, with its title, description and field
aliases (:func:`kotaku_map.render.qgis.city_layers` makes them from the style source).
From it :func:`qml` writes the QML style document of QGIS 3, :func:`layer_metadata` the
QGIS metadata document (QMD: title, abstract, keywords, rights, history) and
:func:`project` a QGIS project (``.qgs``) of every layer of a city's GeoPackage:

* colours and opacities as the web map draws them;
* a :class:`~kotaku_map.render.symbols.Hatch` as QGIS line-pattern fills (a second one at
  right angles for a cross-hatch) over a plain fill of its background; the web map rotates
  vertical lines clockwise by ``angle`` (SVG), QGIS turns horizontal ones anticlockwise,
  so QGIS's angle is ``90 - angle``;
* dashes as custom dash patterns; CSS pixels as millimetres (:data:`MM_PER_PX`), so a line
  has the weight in QGIS at 96 dpi that it has on the web map.

The same layer's SLD, for GIS other than QGIS, is :func:`kotaku_map.render.sld.sld`.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .symbols import Category, Hatch, Symbol

__all__ = ["MM_PER_PX", "QgisLayer", "layer_metadata", "project", "qml"]

#: a CSS pixel in millimetres (96 dpi)
MM_PER_PX = 25.4 / 96
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
    >>> from kotaku_map.render.qgis import city_layers
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
