"""Every text a reader sees, in Bahasa Indonesia and English: one table.

The maps, the overview, the chart and (next) the printed atlas and the QGIS styles take
their words from :data:`TEXT`; no other module writes a user-facing label inline. Keys are
stable identifiers; ``{p}``, ``{n}``, ``{s}``, ``{x}`` are filled in by the caller.
Text that comes from data (kelurahan and program names) is never looked up here.

The desk outputs (the GeoPackage's layer descriptions and metadata, the workbooks) take
theirs from :data:`DESK_TEXT`, and every output column's header and description from
:data:`COLUMN_TEXT` (:func:`column_text`): the XLSX headers and the QGIS field aliases are
the same words.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Literal

from kotaku_map import schema

__all__ = [
    "ATLAS_TEXT",
    "COLUMN_TEXT",
    "DESK_TEXT",
    "EXTRA_TEXT",
    "LANGS",
    "TEXT",
    "VALUES",
    "Lang",
    "check_lang",
    "column_text",
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
    "print_menu": ("Cetak peta (pilih kertas)", "Print the map (choose paper)"),
    "print_A4_landscape": ("A4 mendatar", "A4 landscape"),
    "print_A4_portrait": ("A4 tegak", "A4 portrait"),
    "print_A3_landscape": ("A3 mendatar", "A3 landscape"),
    "print_A3_portrait": ("A3 tegak", "A3 portrait"),
    "zoom_in": ("Perbesar", "Zoom in"),
    "zoom_out": ("Perkecil", "Zoom out"),
    "layers": ("Lapisan peta", "Map layers"),
    "close": ("Tutup", "Close"),
    "details": ("Rincian", "Details"),
    "empty": ("kosong", "empty"),
    "enlarge": ("Perbesar grafik", "Enlarge the chart"),
    "layer_kel_labels": ("Nama kelurahan", "Kelurahan names"),
    "illustrative": ("ILUSTRATIF", "ILLUSTRATIVE"),
    "illustrative_note": (
        "Sebagian data masukan ilustratif, bukan data program nyata",
        "Some input data are illustrative, not real programme data",
    ),
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
    "atlas_illustrative": (
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
        A key of :data:`TEXT`, :data:`VALUES`, :data:`EXTRA_TEXT`, :data:`DESK_TEXT` or
        :data:`ATLAS_TEXT`.
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
    for table in (TEXT, VALUES, EXTRA_TEXT, DESK_TEXT, ATLAS_TEXT):
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


# --- the desk outputs: GeoPackage (QGIS) and workbooks ---------------------------------------

#: the GeoPackage's layer descriptions and metadata, the workbooks' own words
DESK_TEXT: dict[str, tuple[str, str]] = {
    "layer_sync_kelurahan": ("Sinkronisasi per kelurahan", "Synchronisation per kelurahan"),
    "sync_in_sync": ("Sinkron", "In sync"),
    "desc_kelurahan": (
        "Satu fitur per kelurahan: program yang bekerja di sana (status, warna peta), luas "
        "kelurahan, luas kumuh dan bagiannya yang tercakup program, celah cakupan dan sliver, "
        "tumpang tindih program (ha elipsoid).",
        "One feature per kelurahan: the programmes working there (status, the map's colour), "
        "its area, its slum area and the parts covered by programmes, in coverage gaps and in "
        "slivers, programme overlaps (ellipsoidal ha).",
    ),
    "desc_wk_polygons": (
        "Wilayah kerja {p}: poligon program dibagi per kelurahan (satu fitur per baris sumber "
        "dan kelurahan).",
        "{p} work area: the programme's polygons split by kelurahan (one feature per source "
        "row and kelurahan).",
    ),
    "desc_wk_list": (
        "Wilayah kerja {p}: kelurahan yang tercantum dalam daftar program (satu fitur per "
        "kelurahan; baris_sumber = baris daftar yang mencantumkannya).",
        "{p} work area: the kelurahan the programme's list names (one feature per kelurahan; "
        "baris_sumber = the list rows naming it).",
    ),
    "desc_kumuh": (
        "Kawasan kumuh dibagi per kelurahan, menurut tingkat kekumuhan (Permen PUPR 14/2018).",
        "Slum areas split by kelurahan, by slum level (Permen PUPR 14/2018).",
    ),
    "desc_overlap": (
        "Tanah dalam wilayah kerja dua program atau lebih, per kelurahan dan kombinasi "
        "program (sliver tidak termasuk).",
        "Ground inside the work areas of two or more programmes, per kelurahan and programme "
        "combination (slivers excluded).",
    ),
    "desc_gap": (
        "Kawasan kumuh di luar wilayah kerja semua program, per kelurahan (sliver tidak termasuk).",
        "Slum outside every programme's work area, per kelurahan (slivers excluded).",
    ),
    "desc_sliver": (
        "Potongan tumpang tindih atau celah yang terlalu sempit (< {w} m) atau terlalu kecil "
        "(< {a} m²) untuk nyata, atau di sambungan batas kelurahan: dilaporkan, tidak dibuang.",
        "Overlap or gap pieces too thin (< {w} m) or too small (< {a} m²) to be real, or in a "
        "seam of the kelurahan boundaries: reported, never dropped.",
    ),
    "desc_sync": (
        "Tanah yang kumuh menurut satu sumber saja ([sync]).",
        "Ground that is slum in one source only ([sync]).",
    ),
    "desc_sync_kelurahan": (
        "Luas kumuh per kelurahan menurut dua sumber, selisihnya dan statusnya ([sync]).",
        "Slum area per kelurahan in the two sources, their difference and status ([sync]).",
    ),
    "md_made": ("Dibuat {x} dengan kotaku_map {p}.", "Made {x} with kotaku_map {p}."),
    "md_thresholds": (
        "Ambang sliver: lebar rata-rata {w} m, luas {a} m².",
        "Sliver thresholds: mean width {w} m, area {a} m².",
    ),
    "md_hectares": (
        "Luas dalam hektar elipsoid (WGS 84); geometri dalam EPSG:4326.",
        "Areas in ellipsoidal hectares (WGS 84); geometries in EPSG:4326.",
    ),
    "md_sources": ("Sumber data: {x}.", "Data sources: {x}."),
    "md_illustrative": (
        "ILUSTRATIF: sebagian data masukan bukan data program nyata ({x}).",
        "ILLUSTRATIVE: some input data are not real programme data ({x}).",
    ),
    "md_real": ("Data masukan dinyatakan sebagai data nyata.", "Input data stated as real."),
    "md_mark": ("ILUSTRATIF", "ILLUSTRATIVE"),
    "sheet_columns": ("kolom", "columns"),
    "col_header": ("Judul kolom", "Column title"),
    "col_name": ("Nama kolom (CSV)", "Column name (CSV)"),
    "col_note": ("Isi", "Content"),
    "col_unit": ("Satuan", "Unit"),
    "sheet_note": (
        "Lembar ini untuk dibaca dan dicetak. Berkas CSV dengan nama yang sama adalah format "
        "mesin: nama kolom di kolom B, titik sebagai pemisah desimal, 4 desimal untuk hektar.",
        "This workbook is for reading and printing. The CSV file of the same name is the "
        "machine format: column names as in column B, a point as decimal separator, 4 "
        "decimals for hectares.",
    ),
    "page_footer": ("Halaman &P dari &N", "Page &P of &N"),
    "unit_ha": ("ha", "ha"),
    "unit_rupiah": ("Rp", "Rp"),
    "unit_pct": ("%", "%"),
    "unit_count": ("jumlah", "count"),
    "unit_score": ("0-100", "0-100"),
    "unit_year": ("tahun", "year"),
    "unit_row": ("nomor baris", "row number"),
    "unit_m": ("m", "m"),
    "table_kelurahan": ("Kelurahan: {x}", "Kelurahan: {x}"),
    "table_ringkasan": ("Ringkasan per kab/kota", "Summary per city/regency"),
    "table_pencocokan": ("Pencocokan tabel masukan", "Matching of the input tables"),
    "table_sinkronisasi": ("Sinkronisasi data kumuh: {x}", "Slum data synchronisation: {x}"),
    "table_sinkronisasi_kecamatan": (
        "Sinkronisasi per kecamatan: {x}",
        "Synchronisation per kecamatan: {x}",
    ),
    "table_kemajuan": ("Kemajuan penanganan kumuh: {x}", "Progress of slum upgrading: {x}"),
    "table_pendanaan": ("Pendanaan kawasan kumuh: {x}", "Funding of slum areas: {x}"),
}

#: output column -> (header id, header en, content id, content en); ``{x}`` is filled in
#: by :func:`column_text` for the columns named after a program, status or source
COLUMN_TEXT: dict[str, tuple[str, str, str, str]] = {
    "kode": (
        "Kode kelurahan",
        "Kelurahan code",
        "Kode Kemendagri PP.KK.CC.DDDD",
        "Kemendagri code PP.KK.CC.DDDD",
    ),
    "kelurahan": ("Kelurahan", "Kelurahan", "Nama kelurahan/desa", "Name of the kelurahan/desa"),
    "kecamatan": ("Kecamatan", "Kecamatan", "Nama kecamatan", "Name of the kecamatan"),
    "kabkota": ("Kab/kota", "City/regency", "Nama kabupaten/kota", "Name of the city/regency"),
    "kode_kabkota": (
        "Kode kab/kota",
        "City code",
        "Kode Kemendagri PP.KK",
        "Kemendagri code PP.KK",
    ),
    "luas_ha": ("Luas (ha)", "Area (ha)", "Luas elipsoid", "Ellipsoidal area"),
    "luas_kelurahan_ha": (
        "Luas kelurahan (ha)",
        "Kelurahan area (ha)",
        "Luas poligon kelurahan (elipsoid)",
        "Area of the kelurahan polygon (ellipsoidal)",
    ),
    "program": (
        "Program",
        "Programmes",
        "Program yang bekerja di kelurahan, urutan config",
        "Programmes working in the kelurahan, in config order",
    ),
    "status": (
        "Status",
        "Status",
        "Program; atau Kumuh tanpa program (celah), atau Bukan lokasi",
        "The programmes; or Slum without programme (a gap), or Not a location",
    ),
    "kumuh_ha": ("Luas kumuh (ha)", "Slum area (ha)", "Luas kawasan kumuh", "Slum area"),
    "tercakup_ha": (
        "Kumuh tercakup program (ha)",
        "Slum covered by programmes (ha)",
        "Kumuh di dalam wilayah kerja minimal satu program (tanpa sliver)",
        "Slum inside at least one work area (slivers excluded)",
    ),
    "tumpang_tindih_ha": (
        "Tumpang tindih program (ha)",
        "Programme overlap (ha)",
        "Tanah (bukan hanya kumuh) dalam wilayah kerja 2+ program (tanpa sliver)",
        "Ground (not only slum) inside the work areas of 2+ programmes (slivers excluded)",
    ),
    "celah_ha": (
        "Celah cakupan (ha)",
        "Coverage gap (ha)",
        "Kumuh di luar wilayah kerja semua program (tanpa sliver)",
        "Slum outside every work area (slivers excluded)",
    ),
    "sliver_ha": (
        "Kumuh dalam sliver (ha)",
        "Slum in slivers (ha)",
        "Kumuh dalam sliver; luas kumuh = tercakup + celah + sliver",
        "Slum inside slivers; slum = covered + gap + slivers",
    ),
    "metode_cocok": (
        "Metode pencocokan",
        "Match method",
        "Untuk program berupa daftar: bagaimana baris daftar cocok",
        "For list programmes: how the list row matched",
    ),
    "wk_x_ha": (
        "Wilayah kerja {x} (ha)",
        "{x} work area (ha)",
        "Wilayah kerja program di dalam kelurahan",
        "The programme's work area inside the kelurahan",
    ),
    "jumlah_kelurahan": (
        "Jumlah kelurahan",
        "Kelurahan",
        "Jumlah kelurahan",
        "Number of kelurahan",
    ),
    "sliver_tumpang_tindih_ha": (
        "Sliver tumpang tindih (ha tanah)",
        "Overlap slivers (ha of ground)",
        "Tanah dalam sliver tumpang tindih",
        "Ground inside overlap slivers",
    ),
    "sliver_celah_ha": (
        "Sliver celah (ha kumuh)",
        "Gap slivers (ha of slum)",
        "Kumuh dalam sliver celah (bagian dari sliver_ha)",
        "Slum inside gap slivers (part of sliver_ha)",
    ),
    "luar_batas_ha": (
        "Kumuh di luar batas kelurahan (ha)",
        "Slum outside the kelurahan (ha)",
        "Kumuh yang tidak terletak di kelurahan mana pun (tidak termasuk luas kumuh)",
        "Slum lying in no kelurahan (not part of the slum area)",
    ),
    "wilayah_kerja_luar_batas_ha": (
        "Wilayah kerja di luar batas kelurahan (ha)",
        "Work area outside the kelurahan (ha)",
        "Wilayah kerja yang tidak terletak di kelurahan mana pun",
        "Work area lying in no kelurahan",
    ),
    "jumlah_tumpang_tindih": (
        "Potongan tumpang tindih",
        "Overlap pieces",
        "Jumlah poligon tumpang tindih",
        "Number of overlap polygons",
    ),
    "jumlah_celah": (
        "Potongan celah",
        "Gap pieces",
        "Jumlah poligon celah",
        "Number of gap polygons",
    ),
    "jumlah_sliver": ("Sliver", "Slivers", "Jumlah sliver", "Number of slivers"),
    "kel_x": (
        "Kel. {x}",
        "Kel. {x}",
        "Jumlah kelurahan dengan status ini",
        "Number of kelurahan of this status",
    ),
    "kumuh_x_ha": (
        "Kumuh tercakup {x} (ha)",
        "Slum covered by {x} (ha)",
        "Kumuh dalam wilayah kerja tepat kombinasi program ini",
        "Slum inside the work areas of exactly this programme combination",
    ),
    "berkas": ("Berkas", "File", "Berkas masukan", "Input file"),
    "layer": (
        "Layer/sheet",
        "Layer/sheet",
        "Layer atau sheet dalam berkas",
        "Layer or sheet in the file",
    ),
    "peran": (
        "Peran",
        "Role",
        "Peran berkas: nama program, kumuh, batas atau sinkronisasi",
        "The file's role: a programme's name, kumuh, batas or sinkronisasi",
    ),
    "baris": (
        "Baris",
        "Row",
        "Nomor baris di berkas (1 = baris pertama)",
        "Row number in the file",
    ),
    "kode_sumber": (
        "Kode di sumber",
        "Source code",
        "Kode seperti tertulis",
        "The code as written",
    ),
    "nama_sumber": (
        "Nama di sumber",
        "Source name",
        "Nama seperti tertulis",
        "The name as written",
    ),
    "kecamatan_sumber": (
        "Kecamatan di sumber",
        "Source kecamatan",
        "Kecamatan seperti tertulis",
        "The kecamatan as written",
    ),
    "kelurahan_cocok": (
        "Kelurahan cocok",
        "Matched kelurahan",
        "Kelurahan yang dipilih",
        "The kelurahan matched",
    ),
    "metode": (
        "Metode",
        "Method",
        "manual, kode, nama, nama_normal, fuzzy, ambigu, tidak cocok",
        "manual, kode, nama, nama_normal, fuzzy, ambigu, tidak cocok",
    ),
    "skor": (
        "Skor",
        "Score",
        "Kemiripan nama 0-100 (satu desimal, seperti dibandingkan dengan ambang)",
        "Name similarity 0-100 (one decimal, as compared with the threshold)",
    ),
    "kandidat": (
        "Kandidat",
        "Candidates",
        "Kelurahan terdekat dengan skornya",
        "The closest kelurahan, with their scores",
    ),
    "catatan": ("Catatan", "Notes", "Alasan dan perbaikan", "Reasons and repairs"),
    "baris_sumber": (
        "Baris sumber",
        "Source rows",
        "Baris berkas sumber (daftar: semua baris yang mencantumkan kelurahan)",
        "Rows of the source file (a list: every row naming the kelurahan)",
    ),
    "jumlah_baris": ("Jumlah baris", "Rows", "Jumlah baris sumber", "Number of source rows"),
    "tingkat": (
        "Tingkat kumuh",
        "Slum level",
        "Berat, sedang, ringan, tidak kumuh (Permen PUPR 14/2018)",
        "Severe, moderate, light, not slum (Permen PUPR 14/2018)",
    ),
    "jenis": (
        "Jenis",
        "Kind",
        "tumpang tindih atau celah; poligon atau kelurahan ([sync])",
        "tumpang tindih (overlap) or celah (gap); poligon or kelurahan ([sync])",
    ),
    "sebab": (
        "Sebab",
        "Reason",
        "kecil, sempit, batas kelurahan",
        "kecil (small), sempit (thin), batas kelurahan (boundary seam)",
    ),
    "lebar_m": (
        "Lebar rata-rata (m)",
        "Mean width (m)",
        "2 x luas / keliling",
        "2 x area / perimeter",
    ),
    "sumber": (
        "Sumber",
        "Source",
        "Sumber tempat tanah ini kumuh",
        "The source in which it is slum",
    ),
    "luas_x_ha": ("Luas {x} (ha)", "{x} area (ha)", "Luas kumuh menurut {x}", "Slum area in {x}"),
    "hanya_x_ha": (
        "Hanya di {x} (ha)",
        "Only in {x} (ha)",
        "Tanah yang kumuh hanya menurut {x}",
        "Ground that is slum in {x} only",
    ),
    "baris_x": ("Baris {x}", "{x} rows", "Jumlah baris {x}", "Number of {x} rows"),
    "selisih_ha": (
        "Selisih (ha)",
        "Difference (ha)",
        "Sumber kedua - sumber pertama",
        "Second source - first",
    ),
    "selisih_pct": (
        "Selisih (%)",
        "Difference (%)",
        "Selisih terhadap sumber pertama",
        "Difference relative to the first source",
    ),
    "tidak_sinkron": (
        "Tidak sinkron",
        "Not in sync",
        "Selisih melebihi kedua toleransi",
        "The difference exceeds both tolerances",
    ),
    "kelurahan_tidak_sinkron": (
        "Kel. tidak sinkron",
        "Kel. not in sync",
        "Jumlah kelurahan tidak sinkron",
        "Number of kelurahan not in sync",
    ),
    "tahun": ("Tahun", "Year", "Tahun data", "Year of the data"),
    "jumlah_kawasan": ("Jumlah kawasan", "Slum areas", "Jumlah kawasan", "Number of slum areas"),
    "kawasan_kumuh": (
        "Kawasan kumuh",
        "Areas still slum",
        "Jumlah kawasan yang masih kumuh",
        "Number of areas still slum",
    ),
    "ha_x": ("{x} (ha)", "{x} (ha)", "Luas pada tingkat ini", "Area at this level"),
    "keluar_ha": (
        "Keluar dari kumuh (ha)",
        "Left slum status (ha)",
        "Luas yang tidak lagi kumuh sejak tahun sebelumnya",
        "Area no longer slum since the year before",
    ),
    "masuk_ha": (
        "Masuk kumuh (ha)",
        "Entered slum status (ha)",
        "Luas yang menjadi kumuh sejak tahun sebelumnya",
        "Area that became slum since the year before",
    ),
    "jarak_ke_0_ha": (
        "Jarak ke 0 ha (ha)",
        "Distance to 0 ha (ha)",
        "Kumuh yang tersisa",
        "Slum left",
    ),
    "turun_ha": (
        "Turun (ha)",
        "Decrease (ha)",
        "Penurunan sejak tahun pertama",
        "Decrease since the first year",
    ),
    "turun_pct": (
        "Turun (%)",
        "Decrease (%)",
        "Penurunan sejak tahun pertama",
        "Decrease since the first year",
    ),
    "jumlah_kegiatan": ("Jumlah kegiatan", "Activities", "Jumlah kegiatan", "Number of activities"),
    "kegiatan_didanai": (
        "Kegiatan didanai",
        "Funded activities",
        "Kegiatan dengan sumber dana yang diketahui",
        "Activities with a known funding source",
    ),
    "kegiatan_tanpa_sumber": (
        "Kegiatan tanpa sumber",
        "Activities without source",
        "Kegiatan tanpa sumber dana",
        "Activities without a funding source",
    ),
    "sumber_dana": ("Sumber dana", "Funding sources", "Sumber dana", "Funding sources"),
    "jumlah_sumber": (
        "Jumlah sumber dana",
        "Funding sources",
        "Jumlah sumber dana",
        "Number of sources",
    ),
    "tanpa_pendanaan": (
        "Tanpa pendanaan",
        "Unfunded",
        "Kumuh tanpa kegiatan yang didanai",
        "Slum without a funded activity",
    ),
    "kegiatan_x": (
        "Kegiatan {x}",
        "{x} activities",
        "Jumlah kegiatan {x}",
        "Number of {x} activities",
    ),
    "anggaran_x_rp": ("Anggaran {x} (Rp)", "{x} budget (Rp)", "Anggaran {x}", "{x} budget"),
}

#: the columns named after a program, status, source or level: pattern -> COLUMN_TEXT key
_COLUMN_PATTERNS = (
    (re.compile(r"wk_(.+)_ha"), "wk_x_ha"),
    (re.compile(r"kel: (.+)"), "kel_x"),
    (re.compile(r"kumuh: (.+) \(ha\)"), "kumuh_x_ha"),
    (re.compile(r"luas_(.+)_ha"), "luas_x_ha"),
    (re.compile(r"hanya_(.+)_ha"), "hanya_x_ha"),
    (re.compile(r"ha_(.+)"), "ha_x"),
    (re.compile(r"anggaran_(.+)_rp"), "anggaran_x_rp"),
    (re.compile(r"kegiatan_(.+)"), "kegiatan_x"),
    (re.compile(r"baris_(.+)"), "baris_x"),
)


def column_text(column: str, lang: str, names: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The header of an output column as people read it, and what it holds.

    Parameters
    ----------
    column : str
        The column's name (the CSV header: ``kumuh_ha``, ``wk_nusp_2_ha``, ``kel: NSUP``).
    lang : {"id", "en"}
    names : mapping of str to str, optional
        The names behind the slugs of columns named after a program, source or level
        (``{"nusp_2": "NUSP-2", "sk": "SK"}``); an unknown slug is shown as it is.

    Returns
    -------
    tuple of str
        ``(header, content)``; an unknown column: ``(column, "")``.

    Examples
    --------
    >>> column_text("kumuh_ha", "id")[0], column_text("wk_nusp_2_ha", "en", {"nusp_2": "NUSP-2"})[0]
    ('Luas kumuh (ha)', 'NUSP-2 work area (ha)')
    >>> column_text("kel: Kumuh tanpa program", "en")[0]
    'Kel. Slum without programme'
    """
    names = names or {}
    en = lang == "en"
    key, x = column, None
    if column not in COLUMN_TEXT:
        for pattern, k in _COLUMN_PATTERNS:
            m = pattern.fullmatch(column)
            if m:
                key, x = k, m.group(1)
                break
    entry = COLUMN_TEXT.get(key)
    if entry is None:
        return column, ""
    if x is not None:
        x = names.get(x) or value_label(x.replace("_", " ") if key == "ha_x" else x, lang)
    header, note = (entry[1], entry[3]) if en else (entry[0], entry[2])
    if x is not None:
        header, note = header.replace("{x}", x), note.replace("{x}", x)
    return header, note


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
