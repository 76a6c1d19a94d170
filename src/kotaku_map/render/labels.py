"""Every text a reader sees, in Bahasa Indonesia and English: how it is looked up.

The maps, the overview, the chart, the printed atlas, the QGIS styles and the workbooks
take their words through this module; no other module writes a user-facing label inline.
The words themselves are in tables of ``key -> (Bahasa Indonesia, English)``, one module
per kind of output:

* :mod:`~kotaku_map.render.map_text`: the web maps (``TEXT``), data values (``VALUES``)
  and the ``[sync]`` layers (``EXTRA_TEXT``);
* :mod:`~kotaku_map.render.desk_text`: the GeoPackage's descriptions and the workbooks'
  words (``DESK_TEXT``), every output column's header and content (``COLUMN_TEXT``, read
  by :func:`column_text`: the XLSX headers and the QGIS field aliases are the same words);
* :mod:`~kotaku_map.render.atlas_text`: the printed atlas (``ATLAS_TEXT``).

Keys are stable identifiers; ``{p}``, ``{n}``, ``{s}``, ``{x}`` are filled in by the
caller. Text that comes from data (kelurahan and program names) is never looked up here.
Numbers and dates are written here too, the way readers of each language write them.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Literal

from .atlas_text import ATLAS_TEXT
from .desk_text import COLUMN_TEXT, DESK_TEXT
from .map_text import EXTRA_TEXT, TEXT, VALUES

__all__ = [
    "LANGS",
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
        Another table of labels (default :data:`~kotaku_map.render.map_text.TEXT`).

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
    """One label of any table of labels, ``{p}``-style fields filled in.

    Parameters
    ----------
    key : str
        A key of any table of labels: ``TEXT``, ``VALUES`` or ``EXTRA_TEXT``
        (:mod:`~kotaku_map.render.map_text`), ``DESK_TEXT``
        (:mod:`~kotaku_map.render.desk_text`) or ``ATLAS_TEXT``
        (:mod:`~kotaku_map.render.atlas_text`).
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


# --- the output columns' headers ------------------------------------------------------------

#: the columns named after a program, status, source or level: pattern -> COLUMN_TEXT key
_COLUMN_PATTERNS = (
    (re.compile(r"wk_(.+)_ha"), "wk_x_ha"),
    (re.compile(r"tercakup_(.+)_ha"), "tercakup_x_ha"),
    (re.compile(r"jumlah_lingkungan_(.+)"), "jumlah_lingkungan_x"),
    (re.compile(r"kel: (.+)"), "kel_x"),
    (re.compile(r"kumuh: (.+) \(ha\)"), "kumuh_x_ha"),
    (re.compile(r"luas_(.+)_ha"), "luas_x_ha"),
    (re.compile(r"hanya_(.+)_ha"), "hanya_x_ha"),
    (re.compile(r"ha_(.+)"), "ha_x"),
    (re.compile(r"anggaran_(.+)_rp"), "anggaran_x_rp"),
    (re.compile(r"kegiatan_(.+)"), "kegiatan_x"),
    (re.compile(r"baris_(.+)"), "baris_x"),
    (re.compile(r"selisih_(.+)_ha"), "selisih_x_ha"),
    (re.compile(r"(.+)_lama_ha"), "x_lama_ha"),
    (re.compile(r"(.+)_baru_ha"), "x_baru_ha"),
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
        spaced = key in ("ha_x", "jumlah_lingkungan_x", "selisih_x_ha", "x_lama_ha", "x_baru_ha")
        x = names.get(x) or value_label(x.replace("_", " ") if spaced else x, lang)
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
