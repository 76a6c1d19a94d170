"""Open GeoPackages in real QGIS, report what it sees as JSON, render a city to PNG.

Run by ``tests/test_qgis.py`` with Debian's ``/usr/bin/python3`` (the Python the ``qgis``
module is built for, not the project's venv) and ``QT_QPA_PLATFORM=offscreen``::

    /usr/bin/python3 tests/qgis_check.py OUT.json CITY.gpkg[=PNG=LAYER,LAYER,...] CITY.qgs ...

For every layer of every GeoPackage: whether it is valid, its renderer (type, field,
categories with label, symbol layer classes and colours), its field aliases, its metadata
as QGIS reads it, and what QGIS makes of the layer's SLD (the ``styleSLD`` of its row in
``layer_styles``, loaded into a fresh layer). For a GeoPackage given ``=PNG=LAYERS``: those
layers drawn in that order (the first at the bottom), each with the style QGIS loaded from
the file, 1600 px wide at 96 dpi. This file imports nothing of the project (it runs
outside its venv). For a QGIS project (``.qgs``): the layers of its legend, top first, each
with its visibility, validity, renderer and the GeoPackage layer it reads.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile

# the qgis imports are inside the functions: pytest's doctest run imports this module in
# the project's venv, where there is no qgis


def layer_names(path: str) -> list[str]:
    from qgis.core import QgsProviderRegistry

    meta = QgsProviderRegistry.instance().providerMetadata("ogr")
    subs = meta.querySublayers(path)
    return [s.name() for s in subs if s.name() != "layer_styles"]


def symbol_info(symbol) -> list[dict]:
    from qgis.PyQt.QtGui import QColor

    out = []
    for i in range(symbol.symbolLayerCount()):
        sl = symbol.symbolLayer(i)
        info = {"class": sl.layerType(), "color": sl.color().name(QColor.HexArgb)}
        if sl.layerType() == "LinePatternFill":
            info["angle"] = sl.lineAngle()
            info["line"] = sl.subSymbol().color().name(QColor.HexArgb)
        if sl.layerType() == "SimpleLine":
            info["dash"] = list(sl.customDashVector()) if sl.useCustomDashPattern() else []
            info["width_mm"] = sl.width()
        out.append(info)
    return out


def layer_info(path: str, name: str) -> tuple[dict, object]:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    r = layer.renderer()
    info = {
        "valid": layer.isValid(),
        "features": layer.featureCount(),
        "renderer": r.type() if r else None,
        "aliases": {f.name(): f.alias() for f in layer.fields() if f.alias()},
    }
    if r and r.type() == "categorizedSymbol":
        info["field"] = r.classAttribute()
        info["categories"] = [
            {"value": c.value(), "label": c.label(), "symbol": symbol_info(c.symbol())}
            for c in r.categories()
        ]
    elif r and r.type() == "singleSymbol":
        info["symbol"] = symbol_info(r.symbol())
    md = layer.metadata()
    info["metadata"] = {"title": md.title(), "abstract": md.abstract(), "rights": md.rights()}
    return info, layer


def sld_info(path: str, name: str) -> dict:
    """What QGIS reads from the layer's SLD (stored next to its QML in ``layer_styles``)."""
    from qgis.core import QgsVectorLayer

    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT styleSLD FROM layer_styles WHERE f_table_name = ? AND useAsDefault",
            (name,),
        ).fetchone()
    if not row or not row[0]:
        return {}
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    with tempfile.NamedTemporaryFile("w", suffix=".sld", delete=False, encoding="utf-8") as fh:
        fh.write(row[0])
    try:
        message, ok = layer.loadSldStyle(fh.name)
    finally:
        os.unlink(fh.name)
    r = layer.renderer()
    info = {"ok": ok, "message": message, "renderer": r.type() if r else None}
    if r and r.type() == "RuleRenderer":
        rules = r.rootRule().children()
        info["rules"] = [
            {"label": x.label(), "filter": x.filterExpression(), "symbol": symbol_info(x.symbol())}
            for x in rules
        ]
    return info


def render(layers: list, png: str) -> dict:
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    settings = QgsMapSettings()
    settings.setLayers(list(reversed(layers)))  # QGIS draws the first on top
    settings.setDestinationCrs(layers[0].crs())
    extent = QgsRectangle(layers[0].extent())
    extent.scale(1.05)
    width = 1600
    height = max(400, round(width * extent.height() / max(extent.width(), 1e-12)))
    settings.setOutputSize(QSize(width, height))
    settings.setExtent(extent)
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(png, "PNG")
    return {"png": png, "errors": [e.message for e in job.errors()]}


def project_info(path: str) -> dict:
    from qgis.core import QgsProject

    project = QgsProject.instance()
    project.clear()
    ok = project.read(path)
    layers = []
    for node in project.layerTreeRoot().findLayers():
        layer = node.layer()
        info = {"name": node.name(), "visible": node.isVisible(), "valid": False}
        if layer is not None:
            info.update(
                valid=layer.isValid(),
                renderer=layer.renderer().type() if layer.renderer() else None,
                source=layer.source(),
                features=layer.featureCount(),
            )
        layers.append(info)
    return {"ok": ok, "title": project.title(), "crs": project.crs().authid(), "layers": layers}


def main(argv: list[str]) -> None:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    report = {}
    for arg in argv[1:]:
        if arg.endswith(".qgs"):
            report[arg] = project_info(arg)
            continue
        path, _, draw = arg.partition("=")
        png, _, names = draw.partition("=")
        layers, infos = {}, {}
        for name in layer_names(path):
            infos[name], layers[name] = layer_info(path, name)
            infos[name]["sld"] = sld_info(path, name)
        report[path] = {"layers": infos, "order": list(infos)}
        if png:
            drawn = [layers[n] for n in names.split(",") if n in layers]
            report[path]["render"] = render(drawn, png)
    with open(argv[0], "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=1, ensure_ascii=False)
    sys.stdout.flush()
    sys.stderr.flush()
    # QGIS 3.22's Python bindings may crash tearing down (exitQgis with layers alive):
    # the report is written, leave without the teardown
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
