"""Read numbers written the Indonesian way (``961,59``, ``1.574,45``) or the English way.

Indonesian tables write the decimal separator as a comma and group thousands with
dots; files exported by software use a decimal point. One column may hold both,
and a value such as ``1.574`` means 1574 in an Indonesian column but 1.574 in an
English one. :func:`parse_number` reads one value; :func:`parse_numbers` reads a
column and uses the column's own unambiguous values to decide the ambiguous ones.

Rules
-----
* Both ``.`` and ``,`` present: the last one is the decimal separator, the other
  groups thousands (groups of exactly three digits).
* One kind of separator, repeated (``1.574.450``, ``1,574,450``): thousands.
* One separator, once: the decimal separator (``961,59`` -> 961.59, ``12.5`` -> 12.5),
  unless the column convention says otherwise and exactly three digits follow it
  (``1.574`` in a column that also holds ``961,59`` -> 1574).
* Spaces (also non-breaking and thin spaces) are ignored, so ``1 574,45`` works.
* A trailing unit ``ha``, ``hektar`` or ``hektare`` is dropped; any other text is an error.
* Empty cells, ``None``, NaN and a lone ``-`` (Indonesian tables use it for "none")
  read as NaN.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kotaku_map.errors import InputError, where

__all__ = ["parse_number", "parse_numbers"]

Decimal = Literal["auto", ",", "."]

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_UNIT = re.compile(r"(?i)(?<=[\d.,])\s*(ha|hektar|hektare)\.?$")
_SHAPE = re.compile(r"^[+-]?(\d+([.,]\d+)*)$|^[+-]?\d*[.,]\d+$")
_SCIENTIFIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_MISSING = {"", "-", "--", "nan", "NaN", "NA", "N/A", "n/a", "null", "None"}
_EXPECTED = (
    "expected a number such as 961,59 or 1.574,45 (Indonesian) or 1574.45, optionally with 'ha'"
)


def parse_number(value: object, *, decimal: Decimal = "auto") -> float:
    """Read one number written in Indonesian or English format.

    Parameters
    ----------
    value : object
        A number, a string such as ``"1.574,45"`` or ``"12 ha"``, or a missing value.
    decimal : {"auto", ",", "."}, default "auto"
        The decimal separator of the column the value comes from. ``"auto"`` reads a
        single separator as the decimal separator. A known separator only changes
        how a lone separator followed by exactly three digits is read (``1.574``).

    Returns
    -------
    float
        The number; NaN for ``None``, NaN, an empty string or a lone ``-``.

    Raises
    ------
    ValueError
        If the value is not a number in any of the accepted formats.

    Examples
    --------
    >>> parse_number("961,59")
    961.59
    >>> parse_number("1.574,45")
    1574.45
    >>> parse_number("1,574.45")
    1574.45
    >>> parse_number("12 ha")
    12.0
    >>> parse_number("1.574", decimal=",")
    1574.0
    >>> parse_number(None)
    nan
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return math.nan
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"cannot read the boolean {value!r} as a number; {_EXPECTED}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"cannot read {value!r} ({type(value).__name__}) as a number; {_EXPECTED}")
    text = _SPACES.sub("", value.strip())
    if text in _MISSING:
        return math.nan
    text = _UNIT.sub("", text)
    if _SCIENTIFIC.match(text):
        return float(text)
    if not _SHAPE.match(text):
        raise ValueError(f"cannot read {value!r} as a number; {_EXPECTED}")
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        thousands = "," if dec == "." else "."
        if body.count(dec) > 1:
            raise ValueError(
                f"cannot read {value!r} as a number: {dec!r} appears twice; {_EXPECTED}"
            )
    elif dots > 1 or commas > 1:
        dec, thousands = "", "." if dots else ","
    elif dots or commas:
        sep = "." if dots else ","
        after = body.split(sep)[1]
        if decimal not in ("auto", sep) and len(after) == 3 and body.split(sep)[0]:
            dec, thousands = "", sep
        else:
            dec, thousands = sep, ""
    else:
        dec, thousands = "", ""
    whole, _, frac = body.partition(dec) if dec else (body, "", "")
    if thousands:
        groups = whole.split(thousands)
        if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            raise ValueError(
                f"cannot read {value!r} as a number: thousands separator {thousands!r} "
                f"must group exactly three digits; {_EXPECTED}"
            )
        whole = "".join(groups)
    return sign * float(f"{whole or '0'}.{frac or '0'}")


def _column_decimal(texts: pd.Series) -> Decimal:
    """Decimal separator shown by a column's unambiguous values, or ``"auto"``."""
    text = texts.str.replace(_SPACES, "", regex=True).str.replace(_UNIT, "", regex=True)
    comma = text.str.contains(r"\d,\d{1,2}$|\d,\d{4,}$|\.\d{3},\d", regex=True) | text.str.contains(
        r"^[+-]?\d{1,3}(?:\.\d{3}){2,}$", regex=True
    )
    point = text.str.contains(
        r"\d\.\d{1,2}$|\d\.\d{4,}$|,\d{3}\.\d", regex=True
    ) | text.str.contains(r"^[+-]?\d{1,3}(?:,\d{3}){2,}$", regex=True)
    has_comma, has_point = bool(comma.any()), bool(point.any())
    if has_comma and not has_point:
        return ","
    if has_point and not has_comma:
        return "."
    return "auto"


def parse_numbers(
    series: pd.Series,
    *,
    source: str,
    column: str,
    layer: str | None = None,
    rows: Sequence[int] | None = None,
) -> pd.Series:
    """Read a column of numbers written in Indonesian or English format.

    Each distinct value is read once (:func:`parse_number`). The column's
    unambiguous values (``961,59``, ``1.574,45``, ``12.5``) decide how an ambiguous
    ``1.574`` or ``1,574`` is read; a column that shows both conventions reads every
    lone separator as the decimal separator.

    Parameters
    ----------
    series : pandas.Series
        The column as read from the file (strings, numbers or both).
    source : str
        The file (and sheet or layer) the column comes from, for error messages.
    column : str
        The column's name, for error messages.
    layer : str, optional
        The sheet or layer, for error messages.
    rows : sequence of int, optional
        The row number of each value as the file counts it (``baris_sumber``); by
        default 1 for the first value.

    Returns
    -------
    pandas.Series
        Float values indexed like `series`, with the same name; NaN where empty.

    Raises
    ------
    kotaku_map.errors.InputError
        At the first value that is not a number, naming the source, the column and the
        1-based row (1 = first value of the series), what was found and what was expected.

    Examples
    --------
    >>> s = pd.Series(["961,59", "1.574", "12 ha", None])
    >>> parse_numbers(s, source="kumuh.xlsx", column="luas").tolist()
    [961.59, 1574.0, 12.0, nan]
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64")
    values = series.astype(object)
    strings = values[values.map(lambda v: isinstance(v, str))].astype(str)
    decimal = _column_decimal(strings) if len(strings) else "auto"
    cache: dict[object, float] = {}
    out = np.empty(len(values), dtype="float64")
    for i, value in enumerate(values.to_numpy()):
        key = (type(value), value) if _hashable(value) else None
        if key is not None and key in cache:
            out[i] = cache[key]
            continue
        try:
            number = parse_number(value, decimal=decimal)
        except ValueError as exc:
            row = int(rows[i]) if rows is not None else i + 1
            raise InputError(f"{where(source, layer, column=column, row=row)}: {exc}") from None
        if key is not None:
            cache[key] = number
        out[i] = number
    return pd.Series(out, index=series.index, name=series.name, dtype="float64")


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
