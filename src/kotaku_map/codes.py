"""Kemendagri and BPS area codes: read them, repair them, tell the schemes apart.

A Kemendagri code is ``PP.KK.CC.DDDD`` (province, kab/kota, kecamatan, village; kab 01-69,
kota 71-99; village 1xxx kelurahan, 2xxx desa), also written without dots. BPS codes are
10 digits too but numbered differently, so the two are never joined on digits.
:func:`parse_kemendagri_code` reads a Kemendagri code and repairs what Excel and floats do
to it; :func:`classify_code` tells which scheme a code follows.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "classify_code",
    "code_text",
    "is_bps_village",
    "kabkota_kind_from_code",
    "parse_kemendagri_code",
]

CodeScheme = Literal["kemendagri", "bps", "unknown"]
KabKind = Literal["kota", "kabupaten"]


def code_text(value: object) -> str | None:
    """Return a code cell as a compact string, undoing int, float and Excel artefacts.

    Whitespace and a leading Excel ``'`` are dropped; an int, a whole float and the text of
    a whole float (``'3375011002.0'``, ``'3.375011002E+09'``) become their digits.

    Parameters
    ----------
    value : object
        A code cell: string, int, float or a missing value.

    Returns
    -------
    str or None
        The compact text, or None for a missing value, a boolean, an empty string, NaN
        or infinity, or a value of another type.

    Examples
    --------
    >>> code_text(3375011002.0), code_text(" '33.75.01.1002"), code_text("3.375011002E+09")
    ('3375011002', '33.75.01.1002', '3375011002')
    >>> code_text(None) is None
    True
    """
    if value is None or value is pd.NA or isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value) or math.isinf(value):
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", "", value).lstrip("'")
    if not text:
        return None
    whole = re.fullmatch(r"(\d{3,})\.0+", text)  # '3375011002.0': a float written as text
    if whole:
        return whole.group(1)
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):  # '3.375011002E+09'
        number = float(text)
        return str(int(number)) if number.is_integer() else None
    return text


def _valid_parts(parts: list[str]) -> bool:
    if not 11 <= int(parts[0]) <= 99:
        return False
    if any(p == "00" for p in parts[1:3]):
        return False
    return len(parts) < 4 or (parts[3][0] in "123" and parts[3][1:] != "000")


def parse_kemendagri_code(value: object) -> str | None:
    """Read a Kemendagri area code, repairing the usual damage, as ``PP.KK.CC.DDDD``.

    Accepted forms (whitespace anywhere is ignored, a leading Excel ``'`` too):

    * dotted, 1 to 4 parts: ``33``, ``33.75``, ``33.75.01``, ``33.75.01.1002``;
    * undotted, 2, 4, 6 or 10 digits: ``3375011002``; as int ``3375011002``, float
      ``3375011002.0`` or text ``'3375011002.0'`` / ``'3.375011002E+09'``;
    * a two-part code whose second part has one digit, ``33.1``, is a kab/kota code that
      went through a float (``33.10`` -> ``33.1``) and reads as ``33.10``;
    * in a three- or four-part code, a one-digit kab or kecamatan part lost its leading
      zero (a dotted string never went through a float): ``33.75.1.1002`` -> ``33.75.01.1002``.

    Refused (``None``): a village part with fewer than 4 digits (``33.75.01.2`` could be any
    of 2, 20, 200...), undotted lengths other than 2, 4, 6, 10 (a province code never
    starts with 0, so no undotted code lost a leading zero; ``1101`` is ``11.01``),
    province outside 11-99, a ``00`` kab or kecamatan, a village part not 1xxx
    (kelurahan), 2xxx (desa) or 3xxx (desa adat). Whether the code exists is not checked.

    Parameters
    ----------
    value : object
        A string, int or float, or a missing value.

    Returns
    -------
    str or None
        The dotted code, at the level given (``'33'``, ``'33.75'``, ``'33.75.01'`` or
        ``'33.75.01.1002'``), or None if `value` is not a Kemendagri code.

    Examples
    --------
    >>> parse_kemendagri_code(3375011002.0)
    '33.75.01.1002'
    >>> parse_kemendagri_code(" 33.75.1.1002 ")
    '33.75.01.1002'
    >>> parse_kemendagri_code(33.1)
    '33.10'
    >>> parse_kemendagri_code("1101")
    '11.01'
    >>> parse_kemendagri_code("33750401") is None  # SIM KOTAKU 'Kode_Kel': no scheme
    True
    """
    if isinstance(value, str):  # a build reads each code of a big layer several times
        return _parse_code_str(value)
    return _parse_code(value)


@lru_cache(maxsize=1 << 18)
def _parse_code_str(value: str) -> str | None:
    return _parse_code(value)


def _parse_code(value: object) -> str | None:
    text = code_text(value)
    if text is None:
        return None
    if text.isdigit():
        if len(text) not in (2, 4, 6, 10):
            return None
        parts = [text[0:2], text[2:4], text[4:6], text[6:10]][
            : {2: 1, 4: 2, 6: 3, 10: 4}[len(text)]
        ]
    else:
        parts = text.split(".")
        if not 2 <= len(parts) <= 4 or not all(p.isdigit() for p in parts) or len(parts[0]) != 2:
            return None
        if len(parts) == 2:
            if len(parts[1]) == 1:
                parts[1] += "0"
        else:
            parts[1:3] = [p.zfill(2) for p in parts[1:3]]
        if any(len(p) != 2 for p in parts[1:3]) or (len(parts) == 4 and len(parts[3]) != 4):
            return None
    return ".".join(parts) if _valid_parts(parts) else None


def is_bps_village(text: str) -> bool:
    """Tell whether a 10-digit string is shaped like a BPS village code ``PP KK DDD VVV``.

    Parameters
    ----------
    text : str
        A compact code, as :func:`code_text` returns it.

    Returns
    -------
    bool
        True for 10 digits with a province 11-99 and no all-zero kab, kecamatan or
        village part. A Kemendagri village code may be BPS-shaped too: see
        :func:`classify_code`.

    Examples
    --------
    >>> is_bps_village("3375030005"), is_bps_village("3375000005"), is_bps_village("33750401")
    (True, False, False)
    """
    return (
        len(text) == 10
        and text.isdigit()
        and 11 <= int(text[:2]) <= 99
        and text[2:4] != "00"
        and text[4:7] != "000"
        and text[7:] != "000"
    )


def classify_code(value: object) -> CodeScheme:
    """Tell which coding scheme an area code follows: Kemendagri, BPS or neither.

    Kemendagri village codes are ``PP.KK.CC.DDDD`` with a village part 1xxx (kelurahan),
    2xxx (desa) or 3xxx (desa adat); BPS village codes are ``PP KK DDD VVV`` with a
    3-digit kecamatan part (usually ending in 0) and villages numbered 001, 002, ...
    Both are 10 digits when written without dots, so:

    * dotted ``PP.KK.CC.DDDD`` (or a form :func:`parse_kemendagri_code` repairs) and
      6-digit kecamatan codes: ``'kemendagri'``; 2- and 4-digit codes (province,
      kab/kota, mostly shared by both schemes) too;
    * dotted ``PP.KK.DDD.VVV`` / ``PP.KK.DDD`` and 7-digit kecamatan codes: ``'bps'``;
    * 10 digits: ``'kemendagri'`` if the 7th digit is 1-3 and the code is valid, else
      ``'bps'`` if BPS-shaped. A BPS code of a split kecamatan (kecamatan part ending in
      1-3, ~30 % of BPS villages) cannot be told from a Kemendagri code by its digits:
      :func:`match_table` also looks at the whole column and checks codes against names;
    * anything else, e.g. SIM KOTAKU's 8-digit ``Kode_Kel`` ``33750401``: ``'unknown'``.

    Never join the two schemes on digits: BPS ``3375030005`` is Jenggot, while Kemendagri
    ``33.75.03`` is kecamatan Pekalongan Utara and Jenggot is ``33.75.04.1004``.

    Parameters
    ----------
    value : object
        A code as string, int or float.

    Returns
    -------
    {"kemendagri", "bps", "unknown"}

    Examples
    --------
    >>> classify_code("33.75.01.1002"), classify_code(3375011002)
    ('kemendagri', 'kemendagri')
    >>> classify_code("3375030005")  # BPS: Jenggot
    'bps'
    >>> classify_code("33750401")  # SIM KOTAKU Kode_Kel
    'unknown'
    """
    text = code_text(value)
    if text is None:
        return "unknown"
    if "." in text:
        parts = text.split(".")
        if all(p.isdigit() for p in parts) and [len(p) for p in parts] in ([2, 2, 3, 3], [2, 2, 3]):
            return "bps"
        return "kemendagri" if parse_kemendagri_code(text) else "unknown"
    if not text.isdigit():
        return "unknown"
    if len(text) == 10:
        if text[6] in "123" and parse_kemendagri_code(text):
            return "kemendagri"
        return "bps" if is_bps_village(text) else "unknown"
    if len(text) == 7:
        return "bps" if 11 <= int(text[:2]) <= 99 and text[2:4] != "00" else "unknown"
    if len(text) in (2, 4, 6):
        return "kemendagri" if parse_kemendagri_code(text) else "unknown"
    return "unknown"


def kabkota_kind_from_code(code: object) -> KabKind | None:
    """Tell a kota from a kabupaten by its Kemendagri kab/kota code (kab 01-69, kota 71-99).

    Parameters
    ----------
    code : object
        A kab/kota code, ``'33.75'`` or any form :func:`parse_kemendagri_code` reads.

    Returns
    -------
    {"kota", "kabupaten"} or None
        None when `code` is not a kab/kota code (a village code is not one either).

    Examples
    --------
    >>> kabkota_kind_from_code("33.75"), kabkota_kind_from_code(3326)
    ('kota', 'kabupaten')
    >>> kabkota_kind_from_code("33.75.01.1002") is None
    True
    """
    parsed = parse_kemendagri_code(code)
    if parsed is None or len(parsed) != 5:
        return None
    return "kota" if int(parsed[3:5]) >= 71 else "kabupaten"
