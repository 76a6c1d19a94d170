"""The desk outputs' words, in Bahasa Indonesia and English: the GeoPackage and workbooks.

:data:`DESK_TEXT` holds the GeoPackage's layer descriptions and metadata and the workbooks'
own words; :data:`COLUMN_TEXT` every output column's header and what it holds, so that
the XLSX headers and the QGIS field aliases are the same words. Looked up through
:mod:`kotaku_map.render.labels` (:func:`~kotaku_map.render.labels.text`,
:func:`~kotaku_map.render.labels.column_text`).
"""

from __future__ import annotations

__all__ = ["COLUMN_TEXT", "DESK_TEXT"]

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
    "table_lingkungan": (
        "Lingkungan (delineasi kumuh): {x}",
        "Lingkungan (slum delineations): {x}",
    ),
    # the change of a city's coverage gap in one sentence (banding: the summary, the map)
    "change_gap_same": (
        "celah cakupan tetap {a} sejak {x}",
        "coverage gap unchanged at {a} since {x}",
    ),
    "change_gap_down": (
        "celah cakupan turun {d} sejak {x} (dari {a} menjadi {b})",
        "coverage gap down {d} since {x} (from {a} to {b})",
    ),
    "change_gap_up": (
        "celah cakupan naik {d} sejak {x} (dari {a} menjadi {b})",
        "coverage gap up {d} since {x} (from {a} to {b})",
    ),
    "change_forum": ("forum {x}", "forum {x}"),
    "change_forum_last": ("forum lalu", "the last forum"),
    # banding's notes: what differs between the two builds beyond the programs' data
    "change_note_bounds": (
        "Batas kelurahan berbeda antara kedua build (berkas atau isinya): selisih per "
        "kelurahan dapat berasal dari batas, bukan dari program.",
        "The kelurahan boundaries differ between the two builds (file or content): a "
        "kelurahan's difference may come from the boundaries, not from the programs.",
    ),
    "change_note_thresholds": (
        "Ambang analisis berbeda: lama {a}, baru {b}.",
        "The analysis thresholds differ: old {a}, new {b}.",
    ),
    "change_note_programs": (
        "Program berbeda: lama {a}, baru {b}.",
        "The programs differ: old {a}, new {b}.",
    ),
    "change_note_unjoined": (
        "{a} {x} hanya di build lama, {b} hanya di build baru (tidak dapat digabung; tetap "
        "di tabel, kolom gabung).",
        "{a} {x} only in the old build, {b} only in the new build (not joined; kept in the "
        "table, column gabung).",
    ),
    "table_banding_kelurahan": ("Perubahan per kelurahan: {x}", "Change per kelurahan: {x}"),
    "table_banding_lingkungan": ("Perubahan per lingkungan: {x}", "Change per lingkungan: {x}"),
    "table_banding_wilayah_kerja": (
        "Wilayah kerja baru dan berakhir: {x}",
        "Work areas new and ended: {x}",
    ),
    "desc_lingkungan": (
        "Satu fitur per delineasi kumuh (baris sumber [slum]): kelurahannya (bagian terbesar), "
        "kumuh yang tercakup tiap program, tumpang tindih, celah cakupan, sliver dan status.",
        "One feature per slum delineation (source row of [slum]): its kelurahan (largest "
        "share), the slum each programme covers, overlap, coverage gap, sliver and status.",
    ),
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
    "selisih_x_ha": (
        "Selisih {x} (ha)",
        "{x} difference (ha)",
        "Baru dikurangi lama, dari angka yang tertulis (tepat)",
        "New minus old, from the figures as written (exact)",
    ),
    "x_lama_ha": ("{x} lama (ha)", "{x} before (ha)", "Build lama", "The old build"),
    "x_baru_ha": ("{x} baru (ha)", "{x} after (ha)", "Build baru", "The new build"),
    "gabung": (
        "Gabung",
        "Joined",
        "keduanya, hanya lama, hanya baru (baris yang tidak tergabung tetap ada)",
        "both, old only, new only (rows not joined are kept)",
    ),
    "perubahan": (
        "Perubahan",
        "Change",
        "lebih baik (celah berkurang; celah sama dan tumpang tindih berkurang), lebih buruk, "
        "tetap, baru, hilang / berakhir",
        "better (less gap; the same gap and less overlap), worse, unchanged, new, gone / ended",
    ),
    "status_lama": ("Status lama", "Status before", "", ""),
    "status_baru": ("Status baru", "Status after", "", ""),
    "tercakup_x_ha": (
        "Tercakup {x} (ha)",
        "Covered by {x} (ha)",
        "Kumuh di dalam wilayah kerja {x} (diukur; tumpang tindih termasuk)",
        "Slum inside {x}'s work area (measured; overlaps included)",
    ),
    "jumlah_lingkungan_x": (
        "Lingkungan {x}",
        "Lingkungan {x}",
        "Jumlah lingkungan (delineasi kumuh) berstatus {x} di kelurahan ini",
        "Number of lingkungan (slum delineations) of status {x} in the kelurahan",
    ),
    "id_lingkungan": (
        "ID lingkungan",
        "Lingkungan id",
        "Kolom [slum] lingkungan.id digabung (atau #baris sumber)",
        "The [slum] lingkungan.id columns joined (or #source row)",
    ),
    "nama_lingkungan": ("Nama lingkungan", "Lingkungan name", "Kawasan, RT/RW", "Kawasan, RT/RW"),
    "atribusi": (
        "Atribusi kelurahan",
        "Kelurahan attribution",
        "Cara kelurahan dipilih bila delineasi melintasi batas (bagian terbesar)",
        "How the kelurahan was chosen when the delineation crosses a boundary (largest share)",
    ),
    "status_lingkungan": (
        "Status lingkungan",
        "Lingkungan status",
        "Status delineasi tempat potongan ini berada",
        "Status of the delineation this piece belongs to",
    ),
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
