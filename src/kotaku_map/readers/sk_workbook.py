"""The SK Kumuh workbook: the mayor's decree on slum areas, as SIM KOTAKU exports it.

Sheets ``kota`` (the decree), ``kawasan`` (slum areas with verified hectares),
``kumuhKawasan`` (scores and level per kawasan and year), ``investasi`` (funded activities)
and ``rtrw``. :func:`read_sk_workbook` reads them with typed cells
(:func:`kotaku_map.readers.read_sheet`), parses numbers, repairs ``kumuhKawasan`` rows
whose values slipped one column to the left, and reports every row it cannot use.
See ``docs/sinkronisasi.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import schema as S
from ..errors import InputError
from ..number_text import parse_numbers
from ..problems import ProblemLog
from .tables import read_sheet

__all__ = ["SK_SHEETS", "SKWorkbook", "read_sk_workbook"]

#: the sheets of the SK Kumuh workbook this module reads
SK_SHEETS = ("kawasan", "kumuhKawasan", "investasi", "rtrw")


@dataclass(frozen=True)
class SKWorkbook:
    """The SK Kumuh workbook, cleaned.

    Parameters
    ----------
    kawasan : DataFrame
        ``id, kawasan, wilayah, luasVerifikasi, baris_sumber`` (+ the other columns).
    skor : DataFrame
        Sheet ``kumuhKawasan``: ``kawasan`` (id), ``tahun``, ``totalNilai``,
        ``tingkatKekumuhan``, ``baris_sumber`` and ``diperbaiki`` (rows repaired).
    investasi : DataFrame
        Sheet ``investasi`` as read, plus ``baris_sumber``.
    rtrw : DataFrame
        Sheet ``rtrw``.
    sk : str
        The decree (sheet ``kota``), e.g. ``'SK Nomor 430/1131 Tahun 2020'``.
    path : str
        The workbook's path, as given.
    """

    kawasan: pd.DataFrame
    skor: pd.DataFrame
    investasi: pd.DataFrame
    rtrw: pd.DataFrame
    sk: str = ""
    path: str = ""


def _repair_shifted_scores(
    raw: pd.DataFrame, kawasan_ids: set, *, path: str, problems: ProblemLog
) -> pd.DataFrame:
    """Repair ``kumuhKawasan`` rows whose ``kawasan`` cell is missing (values shifted left).

    Such a row has the year in ``kawasan`` and the level code in ``totalNilai``. Shifted
    right, its values are whole again; its kawasan id is inferred only when exactly one
    kawasan of the sheet ``kawasan`` has no scores and the repaired rows have distinct
    years. Otherwise the rows are reported and not used.
    """
    df = raw.copy()
    df["diperbaiki"] = False
    data_cols = [c for c in df.columns if c not in (S.SUMBER_BARIS, "diperbaiki", "id")]
    df[data_cols] = df[data_cols].astype(object)
    level_like = df["totalNilai"].map(lambda v: isinstance(v, str) and not v.strip().isdigit())
    year_like = pd.to_numeric(df["kawasan"], errors="coerce").between(1990, 2100)
    shifted = (level_like & year_like).to_numpy()
    if not shifted.any():
        return df
    vals = df.loc[shifted, data_cols].to_numpy(dtype=object)
    fixed = np.empty_like(vals)
    fixed[:, 0] = None
    fixed[:, 1:] = vals[:, :-1]
    years = pd.to_numeric(pd.Series(fixed[:, 1]), errors="coerce")
    have = set(pd.to_numeric(df.loc[~shifted, "kawasan"], errors="coerce").dropna().astype(int))
    missing = sorted(set(kawasan_ids) - have)
    rows = df.loc[shifted, S.SUMBER_BARIS].tolist()
    if len(missing) == 1 and years.notna().all() and years.is_unique:
        fixed[:, 0] = missing[0]
        df.loc[shifted, data_cols] = fixed
        df.loc[shifted, "diperbaiki"] = True
        for r in rows:
            problems.add(
                path,
                "kumuhKawasan",
                r,
                "kawasan",
                "sel kosong, nilai bergeser",
                "kolom 'kawasan' kosong sehingga nilainya bergeser satu kolom ke kiri; "
                f"digeser kembali, kawasan = {missing[0]} (satu-satunya kawasan tanpa "
                "skor)",
                dipakai=True,
            )
    else:
        for r in rows:
            problems.add(
                path,
                "kumuhKawasan",
                r,
                "kawasan",
                "sel kosong, nilai bergeser",
                "kolom 'kawasan' kosong dan kawasannya tidak dapat ditentukan: baris tidak dipakai",
            )
        df = df.loc[~shifted]
    return df


def read_sk_workbook(path: str | os.PathLike, *, problems: ProblemLog | None = None) -> SKWorkbook:
    """Read an SK Kumuh workbook (sheets ``kota, kawasan, kumuhKawasan, investasi, rtrw``).

    Numbers are parsed, empty ``Unnamed`` columns dropped, ``kumuhKawasan`` rows whose
    values slipped one column to the left are repaired (and reported), and rows that
    cannot be used are reported in `problems`. Nothing is dropped silently.

    Parameters
    ----------
    path : path-like
        The ``.xlsx`` workbook.
    problems : ProblemLog, optional
        Where the rows repaired or not used are reported; a new log by default.

    Returns
    -------
    SKWorkbook
        The sheets, cleaned, and the decree's number (empty when the sheet ``kota`` is
        missing).

    Raises
    ------
    kotaku_map.errors.InputError
        If the workbook or one of the sheets ``kawasan, kumuhKawasan, investasi, rtrw``
        is missing, or ``kawasan`` lacks ``id``, ``kawasan`` or ``luasVerifikasi``.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"SK workbook {str(p)!r} does not exist")
    problems = problems if problems is not None else ProblemLog()
    src = str(p)
    kawasan = read_sheet(p, "kawasan")
    for col in ("id", "kawasan", "luasVerifikasi"):
        if col not in kawasan.columns:
            raise InputError(f"{src} sheet 'kawasan': no column {col!r}")
    kawasan["luasVerifikasi"] = parse_numbers(
        kawasan["luasVerifikasi"], source=src, column="luasVerifikasi"
    ).astype(float)
    skor = read_sheet(p, "kumuhKawasan")
    skor = _repair_shifted_scores(skor, set(kawasan["id"].astype(int)), path=src, problems=problems)
    for col in ("kawasan", "tahun", "totalNilai"):
        skor[col] = pd.to_numeric(skor[col], errors="coerce")
    skor["kawasan"] = skor["kawasan"].astype("Int64")
    skor["tahun"] = skor["tahun"].astype("Int64")
    keep = [
        "id",
        "kawasan",
        "tahun",
        "totalNilai",
        "tingkatKekumuhan",
        S.SUMBER_BARIS,
        "diperbaiki",
    ]
    skor = skor[[c for c in keep if c in skor.columns]].reset_index(drop=True)
    investasi = read_sheet(p, "investasi")
    rtrw = read_sheet(p, "rtrw")
    sk = ""
    try:
        kota = read_sheet(p, "kota")
        if "sk" in kota.columns and len(kota):
            sk = str(kota["sk"].iloc[0])
    except InputError:
        pass
    return SKWorkbook(kawasan=kawasan, skor=skor, investasi=investasi, rtrw=rtrw, sk=sk, path=src)
