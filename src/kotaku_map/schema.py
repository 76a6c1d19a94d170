"""Names of the output columns, layers and status classes (Bahasa Indonesia).

One place for every name that crosses a module boundary: analysis writes these
columns, the writers and the map read them. ``docs/keluaran.md`` documents them.
"""

from __future__ import annotations

# status of a kelurahan (the map's main colouring), besides program combinations
STATUS_GAP = "Kumuh tanpa program"
STATUS_NONE = "Bukan lokasi"
PROGRAM_JOIN = " + "

# kelurahan table
KODE = "kode"
KELURAHAN = "kelurahan"
KECAMATAN = "kecamatan"
KABKOTA = "kabkota"
KODE_KABKOTA = "kode_kabkota"
LUAS_HA = "luas_ha"
PROGRAM = "program"
STATUS = "status"
KUMUH_HA = "kumuh_ha"
TERCAKUP_HA = "tercakup_ha"
TUMPANG_TINDIH_HA = "tumpang_tindih_ha"
CELAH_HA = "celah_ha"
SLIVER_HA = "sliver_ha"
METODE_COCOK = "metode_cocok"
TINGKAT = "tingkat"  # slum level
JENIS = "jenis"  # sliver kind: "tumpang tindih" or "celah"
SUMBER_BARIS = "baris_sumber"  # 1-based row number in the source file
#: how many source rows a feature came from (a list program's kelurahan: every row listing it)
JUMLAH_BARIS = "jumlah_baris"
#: column of a slum table turned into rows per kelurahan: the hectares the table states
LUAS_TABEL_HA = "luas_tabel_ha"

SEBAB = "sebab"  # why a piece is a sliver: see geometry.sliver_reasons

SLIVER_OVERLAP = "tumpang tindih"
SLIVER_GAP = "celah"

# layers of the per-city GeoPackage
LAYER_KELURAHAN = "kelurahan"
LAYER_WORK = "wilayah_kerja"
LAYER_SLUM = "kawasan_kumuh"
LAYER_OVERLAP = "tumpang_tindih"
LAYER_GAP = "celah_cakupan"
LAYER_SLIVER = "sliver"
LAYER_LINGKUNGAN = "lingkungan"
LAYER_SYNC = "data_tidak_sinkron"
LAYER_SYNC_KELURAHAN = "sinkronisasi_kelurahan"

# lingkungan: one row per slum delineation (source row of [slum]), see lingkungan.py
ID_LINGKUNGAN = "id_lingkungan"  # the values of [slum] lingkungan.id, joined by "/"
NAMA_LINGKUNGAN = "nama_lingkungan"  # the values of [slum] lingkungan.name, joined by " "
ATRIBUSI = "atribusi"  # how the delineation's kelurahan was chosen
JUMLAH_LINGKUNGAN = "jumlah_lingkungan"
LINGKUNGAN_FULL = "tercakup penuh"
LINGKUNGAN_PART = "tercakup sebagian"
LINGKUNGAN_NONE = "tidak tercakup"
LINGKUNGAN_UNKNOWN = "tidak dapat dihitung"
LINGKUNGAN_OUTSIDE = "di luar batas kelurahan"
#: the statuses of a lingkungan, in legend order
LINGKUNGAN_STATUSES = (
    LINGKUNGAN_FULL,
    LINGKUNGAN_PART,
    LINGKUNGAN_NONE,
    LINGKUNGAN_UNKNOWN,
    LINGKUNGAN_OUTSIDE,
)
#: the statuses counted per kelurahan (a lingkungan outside every kelurahan is in none)
LINGKUNGAN_COUNTED = LINGKUNGAN_STATUSES[:4]
STATUS_LINGKUNGAN = "status_lingkungan"  # a slum piece's delineation's status
LUAR_BATAS_HA = "luar_batas_ha"  # a delineation's ground outside every kelurahan


def lingkungan_count_column(status: str) -> str:
    """Column of the kelurahan table counting its lingkungan of one status.

    Parameters
    ----------
    status : str
        One of :data:`LINGKUNGAN_STATUSES`.

    Returns
    -------
    str
        ``jumlah_lingkungan_<slug>``.

    Examples
    --------
    >>> lingkungan_count_column("tercakup penuh")
    'jumlah_lingkungan_tercakup_penuh'
    """
    return f"{JUMLAH_LINGKUNGAN}_{slug(status)}"


def covered_column(program: str) -> str:
    """Column of the lingkungan table with the slum a program covers (overlaps included).

    Parameters
    ----------
    program : str
        The program's name, as in the config.

    Returns
    -------
    str
        ``tercakup_<slug>_ha``.

    Examples
    --------
    >>> covered_column("NUSP-2")
    'tercakup_nusp_2_ha'
    """
    return f"tercakup_{slug(program)}_ha"


# slum levels (Permen PUPR 14/2018)
LEVELS = ("kumuh berat", "kumuh sedang", "kumuh ringan", "tidak kumuh", "tidak diketahui")


def slug(name: str) -> str:
    """Column-safe lower-case slug of a name: letters and digits joined by ``_``.

    Parameters
    ----------
    name : str
        Any name (a non-string is taken as its ``str``).

    Returns
    -------
    str
        Lower case, ``_`` between runs of letters and digits, none at either end.

    Examples
    --------
    >>> slug("SIM KOTAKU (RT)")
    'sim_kotaku_rt'
    """
    text = "".join(c if c.isalnum() else "_" for c in str(name).lower()).strip("_")
    while "__" in text:
        text = text.replace("__", "_")
    return text


def work_column(program: str) -> str:
    """Column with the ha of a program's work area inside a kelurahan.

    Parameters
    ----------
    program : str
        The program's name, as in the config.

    Returns
    -------
    str
        ``wk_<slug>_ha`` (see :func:`slug`).

    Examples
    --------
    >>> work_column("NUSP-2")
    'wk_nusp_2_ha'
    """
    return f"wk_{slug(program)}_ha"


#: what the figures of a column measure, as :func:`column_kind` tells it
COLUMN_KINDS = ("ha", "rupiah", "pct", "count", "score", "year", "row", "m", "other")
#: kinds whose column sums to a meaningful total (a workbook's totals row)
ADDITIVE_KINDS = frozenset({"ha", "rupiah", "count"})


def column_kind(column: str) -> str:
    """What an output column's figures measure, by the naming rules of the outputs.

    ``*_ha``/``* (ha)`` hectares, ``*_rp`` Rupiah, ``*_pct`` percent (0-100), ``skor`` a
    match score (0-100), ``tahun`` a year, ``baris``/``baris_sumber`` a row number,
    ``*_m`` metres; ``jumlah_*``, ``kel: *``, ``kegiatan_*``, ``baris_<source>`` and the
    other counts of the outputs are counts; anything else is ``"other"`` (text, codes,
    flags).

    Parameters
    ----------
    column : str
        The column's name.

    Returns
    -------
    str
        One of :data:`COLUMN_KINDS`.

    Examples
    --------
    >>> [column_kind(c) for c in ("kumuh_ha", "kumuh: NSUP (ha)", "anggaran_apbn_rp", "tahun",
    ...                           "baris", "baris_sk", "kel: NSUP", "kode", "selisih_pct")]
    ['ha', 'ha', 'rupiah', 'year', 'row', 'count', 'count', 'other', 'pct']
    """
    if column.endswith(("_ha", "(ha)")):
        return "ha"
    if column.endswith("_rp"):
        return "rupiah"
    if column.endswith("_pct"):
        return "pct"
    if column.endswith("_m"):
        return "m"
    fixed = {"skor": "score", "tahun": "year", "baris": "row", SUMBER_BARIS: "row"}
    if column in fixed:
        return fixed[column]
    counts = ("jumlah_", "kel: ", "kegiatan_", "baris_")
    if column.startswith(counts) or column in ("kawasan_kumuh", "kelurahan_tidak_sinkron"):
        return "count"
    return "other"
