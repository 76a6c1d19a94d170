"""The layers of a city's GeoPackage as QGIS shows them, generated from the style source.

Every layer of a city's GeoPackage gets a default style in the GeoPackage's
``layer_styles`` table (the table QGIS itself reads and writes;
:mod:`kotaku_map.writers.gpkg` stores it). :func:`city_layers` says, for each layer, how it
is drawn and named, from :mod:`~kotaku_map.render.style` and
:mod:`~kotaku_map.render.labels`, never from a palette of its own: each a
:class:`~kotaku_map.render.qgis_xml.QgisLayer`, with

* its title and description in the build's language;
* its symbol, or its categories (kelurahan status, slum level, synchronisation status) in
  legend order, with the labels of the build's language;
* field aliases: the workbooks' headers (:func:`~kotaku_map.render.labels.column_text`).

The documents are written from those: the QML style, the QGIS metadata (QMD) and a QGIS
project by :mod:`kotaku_map.render.qgis_xml`, the SLD by :mod:`kotaku_map.render.sld`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd

from kotaku_map import schema as S
from kotaku_map.results import CityResult

from .extras import sync_layer
from .labels import column_text, text
from .qgis_xml import QgisLayer
from .style import (
    GAP,
    LINGKUNGAN_COLORS,
    OVERLAP,
    SLIVER,
    SLUM,
    STATUS,
    STATUS_NONE_SYMBOL,
    level_categories,
    program_symbol,
    status_categories,
    value_categories,
)
from .symbols import Category

__all__ = ["city_layers"]


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
    if len(result.lingkungan):
        out.append(
            QgisLayer(
                S.LAYER_LINGKUNGAN,
                text("layer_lingkungan", lang),
                text("desc_lingkungan", lang),
                field=S.STATUS,
                categories=tuple(value_categories(LINGKUNGAN_COLORS, lang)),
                aliases=aliases(result.lingkungan),
                visible=False,
            )
        )
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
