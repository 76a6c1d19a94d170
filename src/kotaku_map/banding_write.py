"""Writing a comparison of two builds (``kotaku-map banding``): tables and change maps.

:func:`write_banding` writes, into an output folder replaced whole (as a build's is:
marker, staging folder swapped in, never a folder holding either build's files):

* ``banding_kelurahan``, ``banding_lingkungan``, ``banding_wilayah_kerja`` (CSV and XLSX,
  the workbooks worded like the build's);
* ``ringkasan_banding.csv`` (per city, the change in one sentence) and ``banding.json``
  (the sentences, the notes on what differs between the builds, both folders);
* per city, ``<city>/peta_perubahan.html``: the new build's map with three more layers,
  the kelurahan coloured by their change (better, worse, unchanged, new, gone) and the
  coverage gaps closed and opened since the old build; offline, like every map.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from . import schema as s
from .banding import Build, Comparison
from .crs import DISPLAY_CRS, local_metric_crs
from .desk import sheet_text
from .errors import InputError, OutputError
from .results import CityResult
from .writers import staged_output, write_table

if TYPE_CHECKING:
    from .render.labels import Lang

__all__ = ["read_city_result", "write_banding"]

#: gap pieces smaller than this (m²) are drawn neither as closed nor as opened
MIN_CHANGE_M2 = 1.0


def write_banding(
    comparison: Comparison,
    out_dir: str | Path,
    *,
    force: bool = False,
    lang: Lang = "id",
    maps: bool = True,
) -> list[Path]:
    """Write the change tables, the sentences and the change maps into ``out_dir``.

    Parameters
    ----------
    comparison : Comparison
        From :func:`kotaku_map.banding.compare`.
    out_dir : str or Path
        The output folder: new, empty or made by kotaku-map; never one of the two builds'
        folders, nor inside one, nor holding one.
    force : bool
        Replace a non-empty folder that kotaku-map did not make.
    lang : {"id", "en"}
        Language of the workbooks' headers and the maps.
    maps : bool
        Also write the change maps.

    Returns
    -------
    list of Path
        The files written, in ``out_dir``.

    Raises
    ------
    kotaku_map.errors.OutputError
        If ``out_dir`` is refused.
    """
    target = Path(out_dir).absolute()
    for build in (comparison.old, comparison.new):
        if (
            target == build.folder
            or build.folder in target.parents
            or target in build.folder.parents
        ):
            raise OutputError(
                f"{target}: refused as the output of banding: it is, holds or lies in the "
                f"build folder {build.folder}; choose another folder (-o)"
            )
    inputs = comparison.old.files + comparison.new.files
    with staged_output(target, inputs=inputs, force=force) as stage:
        paths = _tables(comparison, stage, lang)
        if maps:
            for city in sorted(comparison.new.cities):
                paths.append(_change_map(comparison, city, stage / city, lang))
    return [target / p.relative_to(stage) for p in paths]


def _tables(c: Comparison, stage: Path, lang: Lang) -> list[Path]:
    """The three change tables, the sentences and ``banding.json``."""
    paths: list[Path] = []
    place = ", ".join(sorted(c.new.cities)) or ", ".join(sorted(c.old.cities))
    for name, df in (
        ("banding_kelurahan", c.kelurahan),
        ("banding_lingkungan", c.lingkungan),
        ("banding_wilayah_kerja", c.wilayah_kerja),
    ):
        if name == "banding_lingkungan" and not len(df):
            continue
        text = sheet_text(df, name, lang=lang, place=place)
        paths += write_table(df, stage / name, xlsx=True, sheet=name[:31], text=text)
    said = c.sentences(lang)
    sentences = pd.DataFrame({"kota": list(said), "kalimat": list(said.values())})
    paths += write_table(sentences, stage / "ringkasan_banding", xlsx=False)
    info = {
        "lama": str(c.old.folder),
        "baru": str(c.new.folder),
        "label": c.label,
        "kalimat": said,
        "catatan": c.notes(lang),
    }
    (stage / "banding.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    paths.append(stage / "banding.json")
    return paths


def read_city_result(build: Build, city: str) -> CityResult:
    """A city of a build read back from its GeoPackage (for drawing it again).

    Parameters
    ----------
    build : Build
        The build (:func:`kotaku_map.banding.read_build`).
    city : str
        The city folder's name.

    Returns
    -------
    CityResult
        Its layers; ``ringkasan`` holds the totals of the kelurahan table.
    """
    folder = build.cities[city]
    gpkg = folder / f"{city}.gpkg"
    try:
        layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    except (OSError, pyogrio.errors.DataSourceError) as exc:
        raise InputError(f"{gpkg}: cannot be read ({exc})") from None

    def layer(name: str) -> gpd.GeoDataFrame:
        if name not in layers:
            return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=DISPLAY_CRS))
        try:
            return gpd.read_file(gpkg, layer=name).to_crs(DISPLAY_CRS)
        except (OSError, ValueError, pyogrio.errors.DataSourceError) as exc:
            raise InputError(f"{gpkg}, layer {name}: cannot be read ({exc})") from None

    kel = layer(s.LAYER_KELURAHAN)
    programs = tuple(p["name"] for p in build.manifest.get("config", {}).get("programs", []))
    work = [layer(n) for n in sorted(layers) if n.startswith(s.LAYER_WORK + "_")]
    wk = pd.concat(work, ignore_index=True) if work else layer("")
    first = kel.iloc[0] if len(kel) else {}
    ring = {c: float(kel[c].sum()) for c in (s.KUMUH_HA, s.TERCAKUP_HA, s.CELAH_HA) if c in kel}
    ring["kelurahan_per_status"] = kel[s.STATUS].value_counts().to_dict() if len(kel) else {}
    return CityResult(
        kode=str(first.get(s.KODE_KABKOTA, city)),
        nama=str(first.get(s.KABKOTA, city)),
        programs=programs,
        kelurahan=kel,
        wilayah_kerja=gpd.GeoDataFrame(wk, geometry="geometry", crs=DISPLAY_CRS),
        kumuh=layer(s.LAYER_SLUM),
        tumpang_tindih=layer(s.LAYER_OVERLAP),
        celah=layer(s.LAYER_GAP),
        sliver=layer(s.LAYER_SLIVER),
        ringkasan=ring,
        lingkungan=layer(s.LAYER_LINGKUNGAN),
    )


def _gap_change(old: CityResult | None, new: CityResult) -> gpd.GeoDataFrame:
    """The coverage gaps closed (old, not new) and opened (new, not old), in metres."""
    frames = [f for f in (new.celah, old.celah if old else None) if f is not None and len(f)]
    crs = local_metric_crs(*frames) if frames else None
    if crs is None:
        return gpd.GeoDataFrame({"jenis": []}, geometry=gpd.GeoSeries([], crs=DISPLAY_CRS))

    def union(f: gpd.GeoDataFrame | None) -> shapely.Geometry:
        if f is None or not len(f):
            return shapely.Polygon()
        return shapely.union_all(f.to_crs(crs).geometry.values)

    before, after = union(old.celah if old else None), union(new.celah)
    rows, geoms = [], []
    for kind, g in (("tertutup", before.difference(after)), ("baru", after.difference(before))):
        for part in shapely.get_parts(g):
            if part.area >= MIN_CHANGE_M2:
                rows.append({"jenis": kind, s.LUAS_HA: round(part.area / 10_000, 4)})
                geoms.append(part)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=crs) if rows else None
    if frame is None:
        return gpd.GeoDataFrame({"jenis": []}, geometry=gpd.GeoSeries([], crs=DISPLAY_CRS))
    return frame.to_crs(DISPLAY_CRS)


def _change_map(c: Comparison, city: str, folder: Path, lang: Lang) -> Path:
    """The new build's map of a city with the change layers and the sentence."""
    from .render import city_map, save_map
    from .render.labels import text

    new = read_city_result(c.new, city)
    old = read_city_result(c.old, city) if city in c.old.cities else None
    rows = c.kelurahan[(c.kelurahan["kota"] == city) & c.kelurahan[s.KODE].notna()]
    kel = new.kelurahan[[s.KODE, "geometry"]].merge(
        rows.drop(columns=[s.KELURAHAN]), on=s.KODE, how="inner"
    )
    kel[s.KELURAHAN] = new.kelurahan.set_index(s.KODE).loc[kel[s.KODE], s.KELURAHAN].to_numpy()
    extras = _change_layers(c, city, kel, _gap_change(old, new), rows, lang)
    title = f"{text('title_change', lang)}: {new.nama} ({c.sentences(lang).get(city, '')})"
    page = city_map(new, lang=lang, title=title, extras=extras)
    path = folder / "peta_perubahan.html"
    folder.mkdir(parents=True, exist_ok=True)
    save_map(page, path)
    return path


def _change_layers(
    c: Comparison,
    city: str,
    kel: pd.DataFrame,
    gaps: gpd.GeoDataFrame,
    rows: pd.DataFrame,
    lang: str,
) -> list:
    """The change map's layers (kelurahan by change, gaps closed and opened) and panel."""
    from .render import ExtraLayer, ExtraPanel
    from .render.labels import text, value_label
    from .render.style import CHANGE_COLORS, gap_change_categories, value_categories

    popup = [
        (c_, text(f"chg_{c_}", lang), "text" if c_.startswith("status") else "ha")
        for c_ in (
            "status_lama",
            "status_baru",
            "celah_lama_ha",
            "celah_baru_ha",
            "selisih_celah_ha",
            "selisih_tumpang_tindih_ha",
        )
    ]
    extras = [
        ExtraLayer(
            "perubahan",
            text("layer_change", lang, x=c.label or text("change_forum_last", lang)),
            gpd.GeoDataFrame(kel, geometry="geometry", crs=DISPLAY_CRS),
            "perubahan",
            value_categories(CHANGE_COLORS, lang),
            popup=popup,
            on=True,
        ),
        ExtraLayer(
            "celah_berubah",
            text("layer_gap_change", lang),
            gaps,
            "jenis",
            gap_change_categories(lang),
            popup=[(s.LUAS_HA, text("luas", lang), "ha")],
            title_column=None,
            on=True,
        ),
        ExtraPanel(
            "ringkasan_perubahan",
            text("title_change", lang),
            rows=[(value_label(k, lang), str(v)) for k, v in _counts(rows).items()]
            + [("", c.sentences(lang).get(city, ""))],
        ),
    ]
    return extras


def _counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many kelurahan changed each way, in legend order."""
    counts = rows["perubahan"].value_counts()
    order = ["lebih baik", "lebih buruk", "tetap", "baru", "hilang"]
    return {k: int(counts.get(k, 0)) for k in order if counts.get(k, 0)}
