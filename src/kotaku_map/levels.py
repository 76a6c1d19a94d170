"""Slum levels (tingkat kekumuhan): one reader for codes, words, numeric text and scores.

A slum level is one of :data:`kotaku_map.schema.LEVELS`. Inputs write it in several ways,
and :func:`normalise_level` reads them all, in this order:

1. the SK Kumuh workbook's codes (:data:`LEVEL_CODES`): ``KR`` ringan, ``KS`` sedang,
   ``KB`` berat, ``TK``/``BK`` tidak/bukan kumuh, the whole cell, any case;
2. words (:data:`LEVEL_WORDS`) anywhere in the text: ``"KUMUH RINGAN"``, ``"Sedang"``,
   ``"berat"``, ``"Tidak Kumuh"``;
3. a number, as a number or as text (``65``, ``"45"``, ``"45,5"``), read as a
   Permen PUPR 14/2018 score (:func:`level_from_score`);
4. where all that leaves ``"tidak diketahui"`` and a score column is given, the score.
"""

from __future__ import annotations

import math

import pandas as pd

from kotaku_map import schema

__all__ = ["LEVEL_CODES", "LEVEL_WORDS", "UNKNOWN", "level_from_score", "normalise_level"]

#: The level of a slum whose level is not given or cannot be read.
UNKNOWN = schema.LEVELS[-1]
#: The SK Kumuh workbook's level codes (``tingkatKekumuhan``).
LEVEL_CODES = {
    "KR": "kumuh ringan",
    "KS": "kumuh sedang",
    "KB": "kumuh berat",
    "TK": "tidak kumuh",
    "BK": "tidak kumuh",
}
#: Words that name a level, looked for in this order anywhere in the lower-cased text.
LEVEL_WORDS = {
    "berat": "kumuh berat",
    "sedang": "kumuh sedang",
    "ringan": "kumuh ringan",
    "tidak": "tidak kumuh",
    "bukan": "tidak kumuh",
}


def level_from_score(score: float) -> str:
    """Slum level of a Permen PUPR 14/2018 score (0-80).

    Parameters
    ----------
    score : float
        The total score (``totalNilai``).

    Returns
    -------
    str
        ``"kumuh berat"`` from 60, ``"kumuh sedang"`` from 38, ``"kumuh ringan"`` from 16,
        ``"tidak kumuh"`` below 16; ``"tidak diketahui"`` for NaN.

    Examples
    --------
    >>> [level_from_score(s) for s in (80, 59.9, 38, 16, 15.9)]
    ['kumuh berat', 'kumuh sedang', 'kumuh sedang', 'kumuh ringan', 'tidak kumuh']
    """
    if math.isnan(score):
        return UNKNOWN
    if score >= 60:
        return "kumuh berat"
    if score >= 38:
        return "kumuh sedang"
    if score >= 16:
        return "kumuh ringan"
    return "tidak kumuh"


def _level(value: object) -> str:
    """Level of one cell: code, words or numeric text (see the module docstring)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    text = str(value).strip()
    coded = LEVEL_CODES.get(text.upper())
    if coded is not None:
        return coded
    text = text.lower()
    for word, level in LEVEL_WORDS.items():
        if word in text:
            return level
    try:
        score = float(text.replace(",", "."))
    except ValueError:
        return UNKNOWN
    return level_from_score(score)


def normalise_level(values: pd.Series, scores: pd.Series | None = None) -> pd.Series:
    """Slum level as one of ``schema.LEVELS``, from codes, words, numeric text or a score.

    Each value is read as a code of the SK Kumuh workbook (``KR``, ``KS``, ``KB``, ``TK``,
    ``BK``), else as words (``"KUMUH RINGAN"``, ``"Sedang"``), else as a Permen PUPR
    14/2018 score (``65``, ``"45,5"``: 60-80 kumuh berat, 38-59 kumuh sedang, 16-37 kumuh
    ringan, below 16 tidak kumuh). Where that gives ``"tidak diketahui"`` (missing or
    unreadable) and `scores` is given, the score decides; a score that is not a number
    counts as missing.

    Parameters
    ----------
    values : pandas.Series
        The level column as read (strings, numbers, missing values).
    scores : pandas.Series, optional
        A score column (``totalNilai``), aligned with `values` on the index.

    Returns
    -------
    pandas.Series
        Object dtype, indexed like `values`: ``"kumuh berat"``, ``"kumuh sedang"``,
        ``"kumuh ringan"``, ``"tidak kumuh"`` or ``"tidak diketahui"``.

    Examples
    --------
    >>> normalise_level(pd.Series(["KUMUH RINGAN", "Kumuh Sedang", "berat", "45", None])).tolist()
    ['kumuh ringan', 'kumuh sedang', 'kumuh berat', 'kumuh sedang', 'tidak diketahui']
    >>> normalise_level(pd.Series(["KR", "ts", "TK", None, "Kumuh Berat"]),
    ...                 pd.Series([20, 40, 10, 45, None])).tolist()
    ['kumuh ringan', 'kumuh sedang', 'tidak kumuh', 'kumuh sedang', 'kumuh berat']
    """
    out = values.map(_level).astype(object)
    if scores is not None:
        numeric = pd.to_numeric(scores, errors="coerce").astype(object).where(scores.notna(), None)
        out = out.where(out != UNKNOWN, numeric.map(_level))
    return out.astype(object)
