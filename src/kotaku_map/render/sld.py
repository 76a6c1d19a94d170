"""The SLD 1.1 (Symbology Encoding) document of a GeoPackage layer, for GIS other than QGIS.

Written from the same :class:`~kotaku_map.render.qgis_xml.QgisLayer` as its QML. SLD has
no hatch: a hatch is written as QGIS writes one (a ``horline`` mark, rotated, as a graphic
fill), which QGIS reads back as a line-pattern fill. Widths are SE pixels (0.28 mm).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .qgis_xml import MM_PER_PX, QgisLayer
from .symbols import Symbol

__all__ = ["sld"]

#: the "standardized rendering pixel" of SLD/SE, mm
_SE_PIXEL_MM = 0.28

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
