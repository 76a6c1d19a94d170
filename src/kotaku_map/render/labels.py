"""Every text a reader sees, in Bahasa Indonesia and English: one table.

The maps, the overview, the chart and (next) the printed atlas and the QGIS styles take
their words from :data:`TEXT`; no other module writes a user-facing label inline. Keys are
stable identifiers; ``{p}``, ``{n}``, ``{s}``, ``{x}`` are filled in by the caller.
Text that comes from data (kelurahan and program names) is never looked up here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from kotaku_map import schema

__all__ = [
    "ATLAS_TEXT",
    "EXTRA_TEXT",
    "LANGS",
    "TEXT",
    "VALUES",
    "Lang",
    "check_lang",
    "format_date",
    "format_number",
    "labels",
    "text",
    "value_label",
]

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("en", "id")

#: key -> (Bahasa Indonesia, English)
TEXT: dict[str, tuple[str, str]] = {
    # --- the city map -----------------------------------------------------------------
    "title": (
        "Peta Keterpaduan Penanganan Permukiman Kumuh",
        "Slum Upgrading Programme Integration Map",
    ),
    "layer_status": ("Status kelurahan", "Kelurahan status"),
    "layer_wk": ("Wilayah kerja {p}", "{p} work area"),
    "layer_kumuh": ("Kawasan kumuh", "Slum areas"),
    "layer_overlap": ("Tumpang tindih program", "Programme overlaps"),
    "layer_gap": ("Celah cakupan (kumuh tanpa program)", "Coverage gaps (slum without programme)"),
    "layer_sliver": ("Sliver (potongan tipis)", "Slivers (thin pieces)"),
    "layer_kec": ("Batas kecamatan", "Kecamatan boundaries"),
    "layer_kec_labels": ("Nama kecamatan", "Kecamatan names"),
    "layer_outline": ("Batas kota/kabupaten", "City/regency boundary"),
    "base_none": ("Tanpa peta dasar (offline)", "No basemap (offline)"),
    "base_osm": ("OpenStreetMap (perlu internet)", "OpenStreetMap (needs internet)"),
    "base_esri": ("Citra satelit Esri (perlu internet)", "Esri satellite imagery (needs internet)"),
    "kelurahan": ("Kelurahan", "Kelurahan"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    "kode": ("Kode", "Code"),
    "program": ("Program", "Programmes"),
    "status": ("Status", "Status"),
    "luas_ha": ("Luas kelurahan", "Kelurahan area"),
    "kumuh_ha": ("Luas kumuh", "Slum area"),
    "tercakup_ha": ("Kumuh tercakup program", "Slum covered by programmes"),
    "tumpang_tindih_ha": ("Tumpang tindih", "Overlap"),
    "celah_ha": ("Celah cakupan", "Coverage gap"),
    "sliver_ha": ("Sliver", "Slivers"),
    "metode_cocok": ("Metode pencocokan", "Match method"),
    "wk_ha": ("Wilayah kerja {p}", "{p} work area"),
    "tingkat": ("Tingkat kumuh", "Slum level"),
    "jenis": ("Jenis", "Kind"),
    "lebar_m": ("Lebar", "Width"),
    "luas": ("Luas", "Area"),
    "totals": ("Ringkasan", "Totals"),
    "jumlah_kelurahan": ("Jumlah kelurahan", "Number of kelurahan"),
    "luar_batas_ha": ("Kumuh di luar batas", "Slum outside boundaries"),
    "sliver_tumpang_tindih_ha": ("Sliver tumpang tindih", "Overlap slivers"),
    "sliver_celah_ha": ("Sliver celah", "Gap slivers"),
    "per_status": ("Kelurahan per status", "Kelurahan per status"),
    "per_kombinasi": ("Kumuh per kombinasi program", "Slum per programme combination"),
    "legend": ("Legenda", "Legend"),
    "search": ("Cari kelurahan…", "Search kelurahan…"),
    "search_label": ("Cari kelurahan", "Search kelurahan"),
    "no_result": ("Tidak ditemukan", "Not found"),
    "fullscreen": ("Layar penuh", "Fullscreen"),
    "print": ("Cetak", "Print"),
    "print_a4": ("Cetak A4 mendatar", "Print A4 landscape"),
    "print_a3": ("Cetak A3 mendatar", "Print A3 landscape"),
    "date": ("Tanggal", "Date"),
    "sources": ("Sumber data", "Data sources"),
    "made_with": ("Dibuat dengan kotaku_map", "Made with kotaku_map"),
    "none": ("–", "–"),
    "no_program": ("tanpa program", "no programme"),
    "hide": ("Sembunyikan", "Hide"),
    "show": ("Tampilkan", "Show"),
    "ha": ("ha", "ha"),
    "m": ("m", "m"),
    "count_unit": ("kel.", "kel."),
    "tumpang tindih": ("Tumpang tindih", "Overlap"),
    "celah": ("Celah", "Gap"),
    "kec_line": ("Batas kecamatan", "Kecamatan boundary"),
    "outline_line": ("Batas kota/kabupaten", "City/regency boundary"),
    "sliver_item": ("Sliver", "Sliver"),
    "overlap_item": ("Tumpang tindih ≥ 2 program", "Overlap of ≥ 2 programmes"),
    "gap_item": ("Kumuh di luar wilayah kerja", "Slum outside every work area"),
    "wk_item": ("Batas wilayah kerja", "Work area boundary"),
    # --- the overview page ------------------------------------------------------------
    "overview_title": (
        "Peta Keterpaduan Penanganan Permukiman Kumuh: Ringkasan Kab/Kota",
        "Slum Upgrading Programme Integration Maps: City Overview",
    ),
    "program_mix": ("Campuran program", "Programme mix"),
    "layer_mix": ("Campuran program per kab/kota", "Programme mix per city/regency"),
    "layer_gap_circles": ("Celah cakupan (ha)", "Coverage gap (ha)"),
    "gap_circle_item": (
        "Luas celah cakupan (lingkaran sebanding luas)",
        "Coverage gap area (circle area proportional)",
    ),
    "open_map": ("Buka peta kota →", "Open city map →"),
    "city": ("Kab/Kota", "City/regency"),
    "no_programs": ("Tanpa program", "No programme"),
    "n_cities": ("{n} kab/kota", "{n} cities/regencies"),
    "total": ("Jumlah", "Total"),
    "table_caption": (
        "Ringkasan per kab/kota (klik judul kolom untuk mengurutkan)",
        "Summary per city/regency (click a column title to sort)",
    ),
    "status_col": ("Kel. {s}", "Kel. {s}"),
}

#: data values shown under a label of their own (statuses, slum levels)
VALUES: dict[str, tuple[str, str]] = {
    schema.STATUS_GAP: (schema.STATUS_GAP, "Slum without programme"),
    schema.STATUS_NONE: (schema.STATUS_NONE, "Not a location"),
    "kumuh ringan": ("Kumuh ringan", "Light slum"),
    "kumuh sedang": ("Kumuh sedang", "Moderate slum"),
    "kumuh berat": ("Kumuh berat", "Severe slum"),
    "tidak kumuh": ("Tidak kumuh", "Not slum"),
    "tidak diketahui": ("Tingkat tidak diketahui", "Level unknown"),
}

#: the extra layers and panels of issue 8 (reconciliation, progress, funding)
EXTRA_TEXT: dict[str, tuple[str, str]] = {
    "sync_layer": ("Data tidak sinkron", "Unsynchronised data"),
    "sync_only_in": ("hanya di {x}", "only in {x}"),
    "sync_ground_only": ("Wilayah hanya di {x}", "Ground only in {x}"),
    "sync_difference": ("Selisih", "Difference"),
    "sync_difference_pct": ("Selisih (%)", "Difference (%)"),
    "progress_group": ("Tingkat kumuh per tahun", "Slum level per year"),
    "progress_kawasan": ("Kawasan", "Slum area"),
    "progress_score": ("Skor", "Skor"),
    "progress_area": ("Luas", "Area"),
    "progress_slum_area": ("Luas kumuh", "Slum area"),
    "progress_left": ("Keluar dari status kumuh", "Left slum status"),
    "progress_panel": ("Kemajuan penanganan kumuh", "Progress of slum upgrading"),
    "progress_panel_alt": ("Grafik luas kumuh per tahun", "Chart of slum area per year"),
    "chart_year": ("Tahun", "Year"),
    "chart_area": ("Luas (ha)", "Area (ha)"),
    "chart_left": ("kumuh tersisa", "slum left"),
    "funding_layer": ("Pendanaan kawasan kumuh (kolaborasi)", "Funding mix (collaboration)"),
    "funding_none": ("Kumuh tanpa pendanaan", "No funded activity"),
    "funding_one": ("Satu sumber dana", "One funding source"),
    "funding_multi": (
        "Dua sumber dana atau lebih (kolaborasi)",
        "Two or more sources (collaboration)",
    ),
    "funding_sources": ("Sumber dana", "Funding sources"),
    "funding_activities": ("Jumlah kegiatan", "Activities"),
    "funding_unfunded": ("Kegiatan tanpa sumber dana", "Activities without source"),
    # columns the synchronisation adds to the overview's table
    "figure_sk_ha": ("Luas SK (ha)", "SK area (ha)"),
    "figure_sim_ha": ("Luas SIM (ha)", "SIM area (ha)"),
    "figure_unsynced": ("Kel. tidak sinkron", "Kel. not in sync"),
    "figure_slum_left_ha": ("Kumuh {x} (ha)", "Slum {x} (ha)"),
    "figure_unfunded": ("Kawasan tanpa pendanaan", "Slum areas without funding"),
}

#: the printed atlas (issue 17): its own words; the web pages do not carry them
ATLAS_TEXT: dict[str, tuple[str, str]] = {
    "atlas_title": (
        "Atlas Peta Keterpaduan Penanganan Permukiman Kumuh",
        "Atlas of Slum Upgrading Programme Integration Maps",
    ),
    "atlas_contents": ("Daftar isi", "Contents"),
    "atlas_overview": ("Ringkasan semua kab/kota", "All cities/regencies"),
    "atlas_made": ("Dibuat dengan kotaku_map {x}", "Made with kotaku_map {x}"),
    "illustrative": (
        "ILUSTRATIF: bukan data program nyata",
        "ILLUSTRATIVE: not real programme data",
    ),
    "page_of": ("Halaman {n} dari {x}", "Page {n} of {x}"),
    "page": ("Hal.", "Page"),
    "north": ("U", "N"),
    "scale_note": ("Skala 1:{n} pada kertas {x}", "Scale 1:{n} on {x} paper"),
    "crs_note": ("Proyeksi {x}", "Projection {x}"),
    "kelurahan_table": ("Tabel kelurahan", "Kelurahan table"),
    "summary_table": ("Ringkasan per kab/kota", "Summary per city/regency"),
    "continued": ("lanjutan", "continued"),
    "row_no": ("No.", "No."),
    "col_luas": ("Luas kel.", "Kel. area"),
    "col_kumuh": ("Kumuh", "Slum"),
    "col_tercakup": ("Tercakup", "Covered"),
    "col_tumpang_tindih": ("Tumpang tindih", "Overlap"),
    "col_celah": ("Celah", "Gap"),
    "col_sliver": ("Sliver", "Slivers"),
    "col_kelurahan": ("Kel.", "Kel."),
}

_MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is a language of the labels, else raise ``ValueError``.

    Parameters
    ----------
    lang : str

    Returns
    -------
    {"id", "en"}

    Examples
    --------
    >>> check_lang("id")
    'id'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: `lang` was 'fr' but is expected to be in ['en', 'id']
    """
    if lang not in LANGS:
        raise ValueError(f"`lang` was {lang!r} but is expected to be in {sorted(LANGS)}")
    return lang  # type: ignore[return-value]


def _pick(entry: tuple[str, str], lang: str) -> str:
    return entry[1] if lang == "en" else entry[0]


def labels(lang: str, table: dict[str, tuple[str, str]] | None = None) -> dict[str, str]:
    """The map's and the overview's labels in one language, key -> text.

    Parameters
    ----------
    lang : {"id", "en"}
    table : dict, optional
        Another table of this module (default :data:`TEXT`).

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> labels("en")["legend"], labels("id")["legend"]
    ('Legend', 'Legenda')
    """
    return {k: _pick(v, lang) for k, v in (TEXT if table is None else table).items()}


def text(key: str, lang: str, **fill: object) -> str:
    """One label of any table of this module, ``{p}``-style fields filled in.

    Parameters
    ----------
    key : str
        A key of :data:`TEXT`, :data:`VALUES`, :data:`EXTRA_TEXT` or :data:`ATLAS_TEXT`.
    lang : {"id", "en"}
    **fill
        Values for the fields of the text (``p="NSUP"``).

    Returns
    -------
    str

    Examples
    --------
    >>> text("layer_wk", "en", p="NSUP"), text("kumuh berat", "id")
    ('NSUP work area', 'Kumuh berat')
    """
    for table in (TEXT, VALUES, EXTRA_TEXT, ATLAS_TEXT):
        if key in table:
            out = _pick(table[key], lang)
            for name, value in fill.items():
                out = out.replace("{" + name + "}", str(value))
            return out
    raise KeyError(f"no label {key!r}")


def value_label(value: object, lang: str) -> str:
    """The label of a data value (status, slum level); the value itself if it has none.

    Parameters
    ----------
    value : object
    lang : {"id", "en"}

    Returns
    -------
    str

    Examples
    --------
    >>> value_label("Bukan lokasi", "en"), value_label("NSUP", "en")
    ('Not a location', 'NSUP')
    """
    entry = VALUES.get(str(value))
    return _pick(entry, lang) if entry else str(value)


def format_date(day: _dt.date, lang: str) -> str:
    """Format a date the way readers of ``lang`` write it.

    Parameters
    ----------
    day : datetime.date
    lang : {"id", "en"}

    Returns
    -------
    str

    Examples
    --------
    >>> import datetime
    >>> format_date(datetime.date(2017, 2, 9), "id")
    '9 Februari 2017'
    """
    return f"{day.day} {_MONTHS['en' if lang == 'en' else 'id'][day.month - 1]} {day.year}"


def format_number(value: float | None, decimals: int, lang: str, *, none: str = "–") -> str:
    """A number the way readers of ``lang`` write it: ``1.234,56`` (id), ``1,234.56`` (en).

    Parameters
    ----------
    value : float or None
        ``None`` and NaN give ``none``.
    decimals : int
    lang : {"id", "en"}
    none : str
        The text of a missing value.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1574.449, 2, "id"), format_number(1574.449, 2, "en")
    ('1.574,45', '1,574.45')
    >>> format_number(float("nan"), 2, "id")
    '–'
    """
    if value is None or value != value:
        return none
    out = f"{float(value):,.{decimals}f}"
    if out.startswith("-") and float(out.replace(",", "")) == 0:
        out = out[1:]  # no "-0,00"
    if lang != "en":
        out = out.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return out
