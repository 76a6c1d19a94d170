"""The printed atlas's own words, in Bahasa Indonesia and English (:data:`ATLAS_TEXT`).

The cover, contents, page numbers, map notes and table headings of the atlas; the web
pages do not carry them. Looked up through :mod:`kotaku_map.render.labels`
(:func:`~kotaku_map.render.labels.text`).
"""

from __future__ import annotations

__all__ = ["ATLAS_TEXT"]

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
