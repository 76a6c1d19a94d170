"""Tests of kotaku_map.levels: slum levels from codes, words, numeric text and scores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kotaku_map.levels import LEVEL_CODES, level_from_score, normalise_level
from kotaku_map.schema import LEVELS


def test_levels_from_codes_words_and_scores():
    got = normalise_level(
        pd.Series(["KB", "bk", "sedang", None, "??"]), pd.Series([70, 10, 40, 16, None])
    )
    assert got.tolist() == [
        "kumuh berat",
        "tidak kumuh",
        "kumuh sedang",
        "kumuh ringan",
        "tidak diketahui",
    ]


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("KUMUH RINGAN", "kumuh ringan"),
        ("Kumuh Sedang", "kumuh sedang"),
        ("berat", "kumuh berat"),
        ("Tidak Kumuh", "tidak kumuh"),
        ("bukan kumuh", "tidak kumuh"),
        (" kr ", "kumuh ringan"),
        ("KS", "kumuh sedang"),
        ("TK", "tidak kumuh"),
        (65, "kumuh berat"),
        (60.0, "kumuh berat"),
        ("59,9", "kumuh sedang"),
        ("38", "kumuh sedang"),
        (np.int64(16), "kumuh ringan"),
        ("15.9", "tidak kumuh"),
        (None, "tidak diketahui"),
        (math.nan, "tidak diketahui"),
        (pd.NA, "tidak diketahui"),
        ("nan", "tidak diketahui"),
        ("", "tidak diketahui"),
        ("KRX", "tidak diketahui"),
    ],
)
def test_one_value(value, level):
    assert normalise_level(pd.Series([value], dtype=object)).tolist() == [level]


def test_every_level_is_a_schema_level():
    assert set(LEVEL_CODES.values()) <= set(LEVELS)
    assert {level_from_score(s) for s in (-1, 0, 15, 16, 37, 38, 59, 60, 80, 95)} <= set(LEVELS)


def test_a_score_decides_only_where_the_level_is_unknown_and_aligns_on_the_index():
    values = pd.Series(["KR", None, "??", "berat"], index=[10, 11, 12, 13])
    scores = pd.Series(["abc", 70, 20, 0], index=[13, 12, 11, 10])  # reversed order
    got = normalise_level(values, scores)
    assert got.index.tolist() == [10, 11, 12, 13]
    assert got.tolist() == ["kumuh ringan", "kumuh ringan", "kumuh berat", "kumuh berat"]


def test_a_score_that_is_no_number_counts_as_missing():
    got = normalise_level(pd.Series([None, None]), pd.Series(["abc", None]))
    assert got.tolist() == ["tidak diketahui", "tidak diketahui"]


def test_string_dtype_and_inputs_are_not_modified():
    values = pd.Series(["KR", pd.NA, "Sedang"], dtype="string")
    before = values.copy()
    got = normalise_level(values)
    assert got.dtype == object
    assert got.tolist() == ["kumuh ringan", "tidak diketahui", "kumuh sedang"]
    pd.testing.assert_series_equal(values, before)
