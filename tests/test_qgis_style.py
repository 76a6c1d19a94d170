"""The QGIS styles (QML, SLD) and metadata are the style source, written for QGIS.

Parsed here as XML; QGIS itself reads them in tests/test_qgis.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kotaku_map.render.qgis import city_layers
from kotaku_map.render.qgis_xml import MM_PER_PX, QgisLayer, layer_metadata, qml
from kotaku_map.render.sld import sld
from kotaku_map.render.style import (
    GAP,
    GAP_STATUS_HATCH,
    OVERLAP,
    STATUS_GAP_SYMBOL,
    level_categories,
    program_symbol,
    status_categories,
)
from kotaku_map.results import example_result

SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"


def props(layer: ET.Element) -> dict[str, str]:
    return {o.get("name"): o.get("value") for o in layer.find("Option").findall("Option")}


def parse_qml(doc: str) -> ET.Element:
    assert doc.startswith("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>")
    return ET.fromstring(doc.split("\n", 1)[1])


def test_the_status_layer_is_categorised_with_the_style_sources_categories():
    result = example_result()
    [status, *_] = city_layers(result, lang="en", work_layers={})
    root = parse_qml(qml(status))
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "status"
    expected = status_categories(result.kelurahan["status"], result.programs, "en")
    cats = renderer.find("categories").findall("category")
    assert [(c.get("value"), c.get("label")) for c in cats] == [
        (c.value, c.label) for c in expected
    ]
    symbols = {s.get("name"): s for s in renderer.find("symbols").findall("symbol")}
    nsup = [layer for layer in symbols["0"].findall("layer")]
    assert [layer.get("class") for layer in nsup] == ["SimpleFill", "SimpleLine"]
    assert props(nsup[0])["color"] == "0,114,178,153"  # #0072B2 at 0.6
    gap = symbols["1"].findall("layer")
    assert [layer.get("class") for layer in gap] == ["SimpleFill", "LinePatternFill", "SimpleLine"]
    assert props(gap[0])["color"] == "253,219,199,255"  # the hatch's background
    hatch = props(gap[1])
    assert hatch["angle"] == "45"  # SVG rotate(45) of vertical lines: '/' in both
    assert float(hatch["distance"]) == pytest.approx(GAP_STATUS_HATCH.spacing * MM_PER_PX, abs=1e-3)
    line = props(gap[1].find("symbol").find("layer"))
    assert line["line_color"] == "178,24,43,255"
    assert STATUS_GAP_SYMBOL.hatch is GAP_STATUS_HATCH
    aliases = {a.get("field"): a.get("name") for a in root.find("aliases")}
    assert aliases["luas_ha"] == "Kelurahan area (ha)" and aliases["kumuh_ha"] == "Slum area (ha)"


def test_a_cross_hatch_is_two_line_patterns_and_a_dash_is_a_custom_dash_in_mm():
    root = parse_qml(qml(QgisLayer("tumpang_tindih", "x", "", symbol=OVERLAP.symbol)))
    layers = root.find("renderer-v2").find("symbols").find("symbol").findall("layer")
    angles = [props(x)["angle"] for x in layers if x.get("class") == "LinePatternFill"]
    assert angles == ["45", "135"]  # at right angles
    root = parse_qml(qml(QgisLayer("celah_cakupan", "x", "", symbol=GAP.symbol)))
    layers = root.find("renderer-v2").find("symbols").find("symbol").findall("layer")
    assert props(layers[1])["angle"] == "135"  # rotate(-45): '\\'
    outline = props(layers[-1])
    assert outline["use_custom_dash"] == "1"
    assert [float(v) for v in outline["customdash"].split(";")] == pytest.approx(
        [d * MM_PER_PX for d in GAP.symbol.dash], abs=1e-3
    )
    assert float(outline["line_width"]) == pytest.approx(
        GAP.symbol.stroke_width * MM_PER_PX, abs=1e-3
    )


def test_work_areas_and_slum_levels_take_the_web_maps_symbols():
    result = example_result()
    layers = {q.name: q for q in city_layers(result, lang="id", work_layers={"NSUP": "wk"})}
    assert layers["wk"].symbol == program_symbol(0)
    assert list(layers["kawasan_kumuh"].categories) == level_categories(
        result.kumuh["tingkat"], "id"
    )
    assert not layers["sliver"].visible  # off when the web map opens


def test_the_sld_has_one_rule_per_category_and_hatches_as_rotated_lines():
    result = example_result()
    [status, *_] = city_layers(result, lang="id", work_layers={})
    root = ET.fromstring(sld(status).split("\n", 1)[1])
    rules = root.iter(f"{SE}Rule")
    got = [
        (
            r.find(f"{SE}Description/{SE}Title").text,
            r.find(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}Literal").text,
        )
        for r in rules
    ]
    assert got == [("NSUP", "NSUP"), ("Kumuh tanpa program", "Kumuh tanpa program")]
    marks = [m.text for m in root.iter(f"{SE}WellKnownName")]
    assert marks == ["horline"]
    fills = [p.text for p in root.iter(f"{SE}SvgParameter") if p.get("name") == "fill"]
    assert fills[:2] == ["#0072b2", "#fddbc7"]


def test_layer_metadata_carries_title_abstract_rights_and_date():
    doc = layer_metadata(
        QgisLayer("kelurahan", "Kelurahan status", "One feature per kelurahan."),
        lang="en",
        parent="Demo: Kota Contoh",
        abstract=["Made 3 February 2017 with kotaku_map 0.1.0."],
        keywords=["KOTAKU"],
        rights=["ILLUSTRATIVE"],
        history=["kotaku_map 0.1.0"],
        date="2017-02-03",
    )
    root = parse_qml(doc)
    assert root.find("title").text == "Kelurahan status"
    assert root.find("language").text == "eng"
    assert root.find("abstract").text.startswith("One feature per kelurahan.\n\nMade 3")
    assert root.find("rights").text == "ILLUSTRATIVE"
    assert root.find("dates/date").get("value") == "2017-02-03T00:00:00"


def test_the_project_lists_the_layers_top_first_with_ids_qgis_keeps():
    from kotaku_map.render.qgis_xml import project

    layers = city_layers(example_result(), lang="id", work_layers={})
    root = parse_qml(project(layers, "kota.gpkg", title="Kota Contoh"))
    tree = root.find("layer-tree-group").findall("layer-tree-layer")
    assert [n.get("source") for n in tree] == [
        f"./kota.gpkg|layername={q.name}" for q in reversed(layers)
    ]
    # QGIS replaces a layer id of 10 characters or fewer with a random one on reading
    assert all(len(n.get("id")) > 10 for n in tree)
    checked = {n.get("source").split("=")[-1]: n.get("checked") for n in tree}
    assert checked["sliver"] == "Qt::Unchecked" and checked["kelurahan"] == "Qt::Checked"
    assert root.find("properties/Paths/Absolute").text == "false"
    maps = root.find("projectlayers").findall("maplayer")
    assert [m.find("id").text for m in maps] == [n.get("id") for n in tree]
    assert maps[-1].find("renderer-v2").get("type") == "categorizedSymbol"
