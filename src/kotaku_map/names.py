"""Names of kelurahan, kecamatan and kab/kota reduced to keys that survive spelling variants.

Real tables write one name in many ways: prefixes (``Kel.``, ``Desa``, ``KAB.``, ``Kodya``),
spacing and hyphens (``Tanjung Balai``/``Tanjungbalai``, ``Bau-Bau``/``Baubau``),
abbreviations (``Tg.``, ``Sei``, ``Kp.``), numerals (``11 Ulu``/``Sebelas Ulu``, ``II``)
and case. :func:`normalise_name` reduces a name to one key; :func:`normalise_kabkota` also
keeps what tells a Kota from a Kabupaten of the same name.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

import pandas as pd
from rapidfuzz import fuzz

from kotaku_map.codes import KabKind

__all__ = [
    "exact_key",
    "is_missing",
    "lenient_key",
    "normalise_kabkota",
    "normalise_name",
    "plain_key",
    "search_rules",
]

AreaLevel = Literal["kelurahan", "kecamatan", "kabkota"]

_PREFIXES: dict[str, frozenset[str]] = {
    "kelurahan": frozenset({"kel", "kelurahan", "desa", "ds"}),
    "kecamatan": frozenset({"kec", "kecamatan", "distrik"}),
    "kabkota": frozenset(
        {"kab", "kabupaten", "kota", "kodya", "kotamadya", "kot", "adm", "administrasi"}
    ),
}
_KIND: dict[str, KabKind] = {
    "kab": "kabupaten",
    "kabupaten": "kabupaten",
    "kota": "kota",
    "kot": "kota",
    "kodya": "kota",
    "kotamadya": "kota",
}
# prefix words whose misspellings ('Keluraha', 'BKeluranan') are dropped in fuzzy matching
_TYPO_PREFIXES: dict[str, tuple[str, ...]] = {
    "kelurahan": ("kelurahan", "desa"),
    "kecamatan": ("kecamatan",),
    "kabkota": ("kabupaten",),
}
_ABBREVIATIONS = {
    "tg": "tanjung",
    "tj": "tanjung",
    "tanjong": "tanjung",
    "sei": "sungai",
    "sg": "sungai",
    "kp": "kampung",
    "kamp": "kampung",
}
_UNITS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_NUMBER_WORDS = re.compile(
    r"(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus"
    r"|puluh|belas|ratus)+"
)
_NUMBER_WORD = re.compile(
    r"satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus"
    r"|puluh|belas|ratus"
)


def _roman(n: int) -> str:
    tens, units = divmod(n, 10)
    ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
    return "x" * tens + ones[units]


_ROMAN = {_roman(n): n for n in range(1, 21)}


def _read_number(tokens: list[str], i: int) -> tuple[int, int] | None:
    """Read Indonesian number words (1-999) starting at ``tokens[i]``: (value, next i)."""
    total, j = 0, i

    def unit_then(word: str) -> int | None:
        if j + 1 < len(tokens) and tokens[j] in _UNITS and tokens[j + 1] == word:
            return _UNITS[tokens[j]]
        return None

    if j < len(tokens) and tokens[j] == "seratus":
        total, j = 100, j + 1
    elif (u := unit_then("ratus")) is not None:
        total, j = 100 * u, j + 2
    if j < len(tokens) and tokens[j] == "sebelas":
        return total + 11, j + 1
    if (u := unit_then("belas")) is not None:
        return total + 10 + u, j + 2
    if j < len(tokens) and tokens[j] == "sepuluh":
        return total + 10, j + 1
    if (u := unit_then("puluh")) is not None:
        total, j = total + 10 * u, j + 2
    if j < len(tokens) and tokens[j] in _UNITS:
        total, j = total + _UNITS[tokens[j]], j + 1
    return (total, j) if j > i else None


def _numerals(tokens: list[str]) -> list[str]:
    split: list[str] = []
    for tok in tokens:  # 'duabelas' -> 'dua', 'belas'
        split.extend(_NUMBER_WORD.findall(tok) if _NUMBER_WORDS.fullmatch(tok) else [tok])
    out: list[str] = []
    i = 0
    while i < len(split):
        tok = split[i]
        read = _read_number(split, i)
        if read is not None:
            out.append(str(read[0]))
            i = read[1]
            continue
        if tok.isdigit():
            out.append(str(int(tok)))
        elif out and tok in _ROMAN:  # 'Sukamaju II'; never the first word
            out.append(str(_ROMAN[tok]))
        else:
            out.append(tok)
        i += 1
    return out


@lru_cache(maxsize=262_144)
def _tokens(name: str, level: str) -> tuple[tuple[str, ...], str | None]:
    """Normalised words of a name, and the first prefix word stripped (or None)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['`\u2018\u2019]", "", text)
    text = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text)
    tokens = re.findall(r"[a-z0-9]+", text)
    prefixes = _PREFIXES[level]
    first = None
    while len(tokens) > 1 and tokens[0] in prefixes:
        first = first or tokens[0]
        tokens.pop(0)
    tokens = [_ABBREVIATIONS.get(t, t) for t in tokens]
    return tuple(_numerals(tokens)), first


def _join(tokens: Iterable[str]) -> str:
    out = ""
    previous = ""
    for tok in tokens:
        if previous.isdigit() and tok.isdigit():
            out += "-"  # '3-4 Ulu' and '34 Ulu' stay apart
        out += tok
        previous = tok
    return out


def is_missing(value: object) -> bool:
    """Tell whether a cell holds no name: None, NA, NaT, NaN or blank text.

    Parameters
    ----------
    value : object
        A cell of a name or code column.

    Returns
    -------
    bool
        True for a missing value or a string of only whitespace.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), "  ", "Medono", 0)]
    [True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def normalise_name(name: object, *, level: AreaLevel = "kelurahan") -> str:
    """Reduce an area name to a key that survives the usual spelling variants.

    Steps: accents and case folded; apostrophes dropped, other punctuation and hyphens
    split words; leading prefixes stripped (kelurahan: Kel., Kelurahan, Desa, Ds.;
    kecamatan: Kec., Kecamatan, Distrik; kabkota: Kab., Kabupaten, Kota, Kodya,
    Kotamadya, Adm., Administrasi) unless nothing would remain; abbreviations
    expanded (Tg./Tj. Tanjung, Sei/Sg. Sungai, Kp. Kampung); Indonesian number words
    1-999 (``sebelas``, ``dua puluh satu``), Roman numerals I-XX after the first word
    and zero-padded digits become digits; the words are joined without spaces (``Tanjung Balai`` ==
    ``Tanjungbalai``, ``Bau-Bau`` == ``Baubau``) except that two numbers stay apart
    (``3-4 Ulu`` is ``3-4ulu``).

    At ``level="kabkota"`` the key drops the Kota/Kabupaten word, so ``Kota Pekalongan``
    and ``Kabupaten Pekalongan`` get the same key: use :func:`normalise_kabkota`, which
    also returns the kind, whenever the two must stay apart.

    Parameters
    ----------
    name : object
        The name; missing values give ``""``.
    level : {"kelurahan", "kecamatan", "kabkota"}, default "kelurahan"
        Which prefixes to strip.

    Returns
    -------
    str
        The key, lowercase letters and digits.

    Examples
    --------
    >>> normalise_name("Kel. Tanjung-Balai")
    'tanjungbalai'
    >>> normalise_name("11 Ulu") == normalise_name("Sebelas Ulu") == "11ulu"
    True
    >>> normalise_name("Kec. Pekalongan Barat", level="kecamatan")
    'pekalonganbarat'
    """
    if is_missing(name):
        return ""
    if level not in _PREFIXES:
        raise ValueError(f"level was {level!r} but is expected to be in {sorted(_PREFIXES)}")
    return _join(_tokens(str(name), level)[0])


def normalise_kabkota(name: object) -> tuple[KabKind | None, str]:
    """Split a kab/kota name into its kind and its normalised name.

    Parameters
    ----------
    name : object
        ``'Kota Pekalongan'``, ``'KAB. PEKALONGAN'``, ``'Kodya Semarang'``, ``'Semarang'``...

    Returns
    -------
    tuple
        ``(kind, key)``: kind is ``'kota'``, ``'kabupaten'`` or None when the name does not
        say; key as :func:`normalise_name` at ``level="kabkota"``.

    Examples
    --------
    >>> normalise_kabkota("KAB. PEKALONGAN")
    ('kabupaten', 'pekalongan')
    >>> normalise_kabkota("Kota Administrasi Jakarta Pusat")
    ('kota', 'jakartapusat')
    >>> normalise_kabkota("Semarang")
    (None, 'semarang')
    """
    if is_missing(name):
        return None, ""
    tokens, first = _tokens(str(name), "kabkota")
    return _KIND.get(first or ""), _join(tokens)


def lenient_key(name: str, level: AreaLevel) -> tuple[str, str | None]:
    """Key of a name without a misspelt prefix word, and that word.

    A first word of 4 letters or more that scores 80 or more (:func:`rapidfuzz.fuzz.ratio`)
    against ``kelurahan`` or ``desa`` (kecamatan: ``kecamatan``; kab/kota: ``kabupaten``)
    is taken for a misspelt prefix and dropped, so ``Keluraha Karangwaru`` and
    ``BKeluranan Suryatmajan`` find their kelurahan. Only fuzzy matching uses this key.

    Parameters
    ----------
    name : str
        The name as written.
    level : {"kelurahan", "kecamatan", "kabkota"}
        Which prefixes to strip and which misspellings to look for.

    Returns
    -------
    tuple
        ``(key, word)``: the key as :func:`normalise_name` makes it, without the misspelt
        word; that word, or None when the first word is no misspelt prefix.

    Examples
    --------
    >>> lenient_key("Keluraha Karangwaru", "kelurahan")
    ('karangwaru', 'keluraha')
    >>> lenient_key("Kel. Medono", "kelurahan")
    ('medono', None)
    """
    tokens = _tokens(name, level)[0]
    if len(tokens) > 1 and len(tokens[0]) >= 4:
        for word in _TYPO_PREFIXES[level]:
            if fuzz.ratio(tokens[0], word) >= 80:
                return _join(tokens[1:]), tokens[0]
    return _join(tokens), None


def exact_key(name: object) -> str:
    """Key of a name for the exact match: whitespace collapsed, case folded.

    Parameters
    ----------
    name : object
        The name as written.

    Returns
    -------
    str
        The name with runs of whitespace as one space, no leading or trailing
        whitespace, case-folded.

    Examples
    --------
    >>> exact_key("  Pasir  Kraton KRAMAT ")
    'pasir kraton kramat'
    """
    return " ".join(str(name).split()).casefold()


def plain_key(name: object) -> str:
    """Key of a name as written: accents and case folded, only letters and digits kept.

    Unlike :func:`normalise_name` it keeps prefixes and number words, so a search for
    ``Sebelas Ulu`` finds a kelurahan whose key became ``11ulu``.

    Parameters
    ----------
    name : object
        The name; missing values give ``""``.

    Returns
    -------
    str

    Examples
    --------
    >>> plain_key("Kel. Sebelas Ulu"), normalise_name("Kel. Sebelas Ulu")
    ('kelsebelasulu', '11ulu')
    """
    if is_missing(name):
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return "".join(re.findall(r"[a-z0-9]+", text))


def search_rules() -> dict[str, object]:
    """The rules of :func:`normalise_name` that a map's search applies to what is typed.

    The map's script reduces a query with these (prefixes of kelurahan and kecamatan
    names stripped, abbreviations expanded) and compares it with keys this module made,
    so search and matching follow one source.

    Returns
    -------
    dict
        ``{"prefixes": sorted list, "abbreviations": {short: long}}``.

    Examples
    --------
    >>> r = search_rules()
    >>> "kel" in r["prefixes"], r["abbreviations"]["tg"]
    (True, 'tanjung')
    """
    return {
        "prefixes": sorted(_PREFIXES["kelurahan"] | _PREFIXES["kecamatan"]),
        "abbreviations": dict(sorted(_ABBREVIATIONS.items())),
    }
