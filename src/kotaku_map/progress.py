"""Progress over time (*kemajuan penanganan*): slum hectares and level per year.

Inputs carry a year: a score sheet (``kumuhKawasan`` of the SK Kumuh workbook: one row per
kawasan and year with ``totalNilai`` and ``tingkatKekumuhan``), or several slum layers, one
per year. :func:`progress_table` turns such observations into one row per slum unit and
year with its level and hectares; :func:`progress_summary` sums them per kelurahan or per
city: slum ha per level, ha **leaving** slum status (``keluar_ha``: slum the year before, not
slum now), ha **entering** it (``masuk_ha``), and the distance to the target of 0 ha
(``jarak_ke_0_ha`` = the slum ha still left). :func:`kotaku_map.render.progress_chart`
draws the city's chart and :func:`kotaku_map.render.progress_layers` one map layer per year.

Levels (Permen PUPR 14/2018) are read from words (``"KUMUH RINGAN"``), the workbook's codes
(``KR`` ringan, ``KS`` sedang, ``KB`` berat, ``TK``/``BK`` tidak/bukan kumuh) or a score.
A unit's hectares stay those of the SK (``luasVerifikasi``) in every year: the level
changes, the delineation does not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kotaku_map import schema as S
from kotaku_map.levels import normalise_level
from kotaku_map.matching import match_table
from kotaku_map.problems import ProblemLog

__all__ = [
    "kawasan_kelurahan",
    "level_column",
    "progress_summary",
    "progress_table",
]

SLUM_LEVELS = ("kumuh berat", "kumuh sedang", "kumuh ringan")
UNKNOWN = "tidak diketahui"


def level_column(level: str) -> str:
    """Column of the hectares at one level in :func:`progress_summary`.

    Parameters
    ----------
    level : str

    Returns
    -------
    str

    Examples
    --------
    >>> level_column("kumuh ringan")
    'ha_kumuh_ringan'
    """
    return "ha_" + level.replace(" ", "_")


def kawasan_kelurahan(
    kawasan: pd.DataFrame,
    kelurahan: pd.DataFrame,
    *,
    id: str = "id",
    name: str = "kawasan",
    kecamatan: str | None = "wilayah",
    area: str | None = "luasVerifikasi",
    source: str = "<kawasan>",
    problems: ProblemLog | None = None,
) -> pd.DataFrame:
    """Match slum areas (kawasan) named after their kelurahan to the boundaries.

    Parameters
    ----------
    kawasan : DataFrame
        The slum areas (the workbook's ``kawasan`` sheet).
    kelurahan : DataFrame
        The boundaries' table (``kode, kelurahan, kecamatan``).
    id, name, kecamatan, area : str
        Columns of ``kawasan``: its id, the kelurahan it is named after, its kecamatan
        (narrows the match) and its hectares.
    source : str
        The file, for the problems report.
    problems : ProblemLog, optional
        Kawasan that match no kelurahan are reported here (and still counted).

    Returns
    -------
    DataFrame
        One row per kawasan: ``kawasan_id, nama_kawasan, kode, kelurahan, kecamatan,
        luas_ha`` (``kode`` is ``<NA>`` for kawasan that matched no kelurahan).

    Examples
    --------
    >>> kel = pd.DataFrame({"kode": ["33.75.01.1002", "33.75.01.1003"],
    ...                     "kelurahan": ["Medono", "Podosugih"], "kecamatan": ["B", "B"]})
    >>> kw = pd.DataFrame({"id": [1, 2], "kawasan": ["Podosugih", "MEDONO"],
    ...                    "wilayah": ["B", "B"], "luasVerifikasi": [11.5, 0.9]})
    >>> kawasan_kelurahan(kw, kel)[["kawasan_id", "kode", "luas_ha"]].values.tolist()
    [[1, '33.75.01.1003', 11.5], [2, '33.75.01.1002', 0.9]]
    """
    problems = problems if problems is not None else ProblemLog()
    m = match_table(
        kawasan, kelurahan, name=name, kecamatan=kecamatan, source=source, layer="kawasan"
    )
    info = pd.DataFrame(kelurahan).drop(columns="geometry", errors="ignore")
    info = info.assign(kode=info[S.KODE].astype(str)).drop_duplicates(S.KODE).set_index(S.KODE)
    out = pd.DataFrame(
        {
            "kawasan_id": kawasan[id].to_numpy(),
            "nama_kawasan": kawasan[name].astype("string").to_numpy(),
            S.KODE: m[S.KODE].astype("string").to_numpy(),
        }
    )
    out[S.KELURAHAN] = [
        info[S.KELURAHAN].get(k) if isinstance(k, str) else None for k in out[S.KODE]
    ]
    out[S.KECAMATAN] = [
        info[S.KECAMATAN].get(k) if isinstance(k, str) and S.KECAMATAN in info else None
        for k in out[S.KODE]
    ]
    out[S.LUAS_HA] = pd.to_numeric(kawasan[area], errors="coerce").to_numpy() if area else np.nan
    rows = (
        kawasan[S.SUMBER_BARIS].to_numpy()
        if S.SUMBER_BARIS in kawasan
        else np.arange(2, len(kawasan) + 2)
    )
    for r, k, how, note in zip(rows, out[S.KODE], m["metode"], m["catatan"], strict=True):
        if pd.isna(k):
            problems.add(
                source,
                "kawasan",
                int(r),
                name,
                f"kawasan {how}",
                f"{note}: kawasan tanpa kelurahan, dihitung hanya di total kota",
                dipakai=True,
            )
    return out


def progress_table(
    observations: pd.DataFrame,
    units: pd.DataFrame,
    *,
    unit: str = "kawasan",
    year: str = "tahun",
    level: str | None = "tingkatKekumuhan",
    score: str | None = "totalNilai",
    problems: ProblemLog | None = None,
    source: str = "<skor>",
) -> pd.DataFrame:
    """One row per slum unit and year: level, hectares, ha leaving and entering slum status.

    Parameters
    ----------
    observations : DataFrame
        One row per unit and year (e.g. the ``kumuhKawasan`` sheet) with the unit id,
        the year and a level and/or score.
    units : DataFrame
        The units: ``kawasan_id, kode, kelurahan, kecamatan, luas_ha`` (see
        :func:`kawasan_kelurahan`). A unit with no observation in a year gets the level
        ``tidak diketahui`` that year (its ha in ``ha_tidak_diketahui``).
    unit, year, level, score : str
        Columns of `observations`.
    problems : ProblemLog, optional
        Observations of unknown units and duplicates are reported here.
    source : str
        For the problems report.

    Returns
    -------
    DataFrame
        ``kawasan_id, nama_kawasan, kode, kelurahan, kecamatan, tahun, skor, tingkat,
        luas_ha, kumuh_ha`` (the unit's ha if it is slum that year, else 0),
        ``keluar_ha`` (slum the previous year, not now), ``masuk_ha`` (the reverse).

    Examples
    --------
    >>> units = pd.DataFrame({"kawasan_id": [1, 2], "nama_kawasan": ["A", "B"],
    ...     "kode": ["k1", "k2"], "kelurahan": ["A", "B"], "kecamatan": ["K", "K"],
    ...     "luas_ha": [10.0, 5.0]})
    >>> obs = pd.DataFrame({"kawasan": [1, 1, 2, 2], "tahun": [2019, 2020, 2019, 2020],
    ...                     "tingkatKekumuhan": ["KS", "TK", "KR", "KR"],
    ...                     "totalNilai": [40, 12, 20, 18]})
    >>> t = progress_table(obs, units)
    >>> t[["kawasan_id", "tahun", "tingkat", "kumuh_ha", "keluar_ha"]].values.tolist()
    [[1, 2019, 'kumuh sedang', 10.0, 0.0], [1, 2020, 'tidak kumuh', 0.0, 10.0], \
[2, 2019, 'kumuh ringan', 5.0, 0.0], [2, 2020, 'kumuh ringan', 5.0, 0.0]]
    """
    problems = problems if problems is not None else ProblemLog()
    obs = observations.copy()
    rows = obs[S.SUMBER_BARIS].to_numpy() if S.SUMBER_BARIS in obs else np.arange(2, len(obs) + 2)
    obs["_baris"] = rows
    obs["_unit"] = pd.to_numeric(obs[unit], errors="coerce")
    obs["_year"] = pd.to_numeric(obs[year], errors="coerce")
    ids = pd.to_numeric(units["kawasan_id"], errors="coerce")
    obs = _drop_unknown(obs, ids, unit=unit, year=year, source=source, problems=problems)
    obs = _drop_repeated(obs, unit=unit, source=source, problems=problems)
    lv = obs[level] if level and level in obs else pd.Series(None, index=obs.index)
    sc = obs[score] if score and score in obs else None
    obs["_tingkat"] = normalise_level(lv.astype(object), sc)
    obs["_skor"] = pd.to_numeric(sc, errors="coerce") if sc is not None else np.nan
    return _add_transitions(_unit_years(units.assign(_unit=ids), obs))


def _drop_unknown(
    obs: pd.DataFrame,
    ids: pd.Series,
    *,
    unit: str,
    year: str,
    source: str,
    problems: ProblemLog,
) -> pd.DataFrame:
    """Drop (and report) observations without a year or of a unit not in ``ids``."""
    bad = obs["_unit"].isna() | obs["_year"].isna() | ~obs["_unit"].isin(set(ids))
    for r, u, y in zip(obs.loc[bad, "_baris"], obs.loc[bad, unit], obs.loc[bad, year], strict=True):
        problems.add(
            source,
            None,
            int(r),
            unit,
            "kawasan/tahun tidak dikenal",
            f"kawasan {u!r}, tahun {y!r}: baris tidak dipakai",
        )
    return obs.loc[~bad]


def _drop_repeated(
    obs: pd.DataFrame, *, unit: str, source: str, problems: ProblemLog
) -> pd.DataFrame:
    """Keep the last observation of a unit and year; report the ones above it."""
    dup = obs.duplicated(["_unit", "_year"], keep="last")
    for r, u, y in zip(
        obs.loc[dup, "_baris"], obs.loc[dup, "_unit"], obs.loc[dup, "_year"], strict=True
    ):
        problems.add(
            source,
            None,
            int(r),
            unit,
            "baris ganda",
            f"kawasan {int(u)} tahun {int(y)} muncul lagi di bawah; baris terakhir yang dipakai",
        )
    return obs.loc[~dup]


def _unit_years(units: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """One row per unit and observed year, with the level and score observed (if any)."""
    years = sorted(int(y) for y in obs["_year"].unique())
    grid = units.merge(pd.DataFrame({"_year": years}), how="cross")
    grid = grid.merge(
        obs[["_unit", "_year", "_tingkat", "_skor"]], on=["_unit", "_year"], how="left"
    )
    grid["_tingkat"] = grid["_tingkat"].fillna(UNKNOWN)
    out = pd.DataFrame(
        {
            "kawasan_id": grid["kawasan_id"],
            "nama_kawasan": grid.get("nama_kawasan"),
            S.KODE: grid[S.KODE],
            S.KELURAHAN: grid.get(S.KELURAHAN),
            S.KECAMATAN: grid.get(S.KECAMATAN),
            "tahun": grid["_year"].astype(int),
            "skor": grid["_skor"],
            S.TINGKAT: grid["_tingkat"].astype(object),
            S.LUAS_HA: pd.to_numeric(grid[S.LUAS_HA], errors="coerce").fillna(0.0),
        }
    )
    return out.sort_values(["kawasan_id", "tahun"], kind="stable").reset_index(drop=True)


def _add_transitions(out: pd.DataFrame) -> pd.DataFrame:
    """Add ``kumuh_ha``, and ``keluar_ha``/``masuk_ha`` against the unit's previous year."""
    slum = out[S.TINGKAT].isin(SLUM_LEVELS)
    out[S.KUMUH_HA] = np.where(slum, out[S.LUAS_HA], 0.0)
    prev = slum.groupby(out["kawasan_id"]).shift(1)
    known_prev = out[S.TINGKAT].groupby(out["kawasan_id"]).shift(1).ne(UNKNOWN) & prev.notna()
    known_now = out[S.TINGKAT].ne(UNKNOWN)
    prev = prev.astype("boolean").fillna(False).astype(bool)
    out["keluar_ha"] = np.where(prev & ~slum & known_now & known_prev, out[S.LUAS_HA], 0.0)
    out["masuk_ha"] = np.where(~prev & slum & known_prev, out[S.LUAS_HA], 0.0)
    return out


def progress_summary(table: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Sum a :func:`progress_table` per year (per city, or per kelurahan with ``by``).

    Parameters
    ----------
    table : DataFrame
        From :func:`progress_table`.
    by : str or sequence of str, optional
        Grouping columns (``kode``); default: the whole city.

    Returns
    -------
    DataFrame
        One row per group and year: ``jumlah_kawasan, kawasan_kumuh, kumuh_ha``,
        ``ha_<level>`` for every level (``ha_kumuh_berat ... ha_tidak_diketahui``),
        ``keluar_ha, masuk_ha, jarak_ke_0_ha`` (= ``kumuh_ha``: what is left to reach the
        0 ha target), ``turun_ha`` and ``turun_pct`` (decrease since the first year) and,
        per kelurahan, ``tingkat`` (its worst level that year).

    Examples
    --------
    >>> t = pd.DataFrame({"kawasan_id": [1, 1], "kode": ["k", "k"], "tahun": [2019, 2020],
    ...     "tingkat": ["kumuh ringan", "tidak kumuh"], "luas_ha": [4.0, 4.0],
    ...     "kumuh_ha": [4.0, 0.0], "keluar_ha": [0.0, 4.0], "masuk_ha": [0.0, 0.0]})
    >>> s = progress_summary(t)
    >>> s["tahun"].tolist(), s["kumuh_ha"].tolist(), s["keluar_ha"].tolist()
    ([2019, 2020], [4.0, 0.0], [0.0, 4.0])
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    t = table.copy()
    levels = list(SLUM_LEVELS) + ["tidak kumuh", UNKNOWN]
    for lv in levels:
        t[level_column(lv)] = np.where(t[S.TINGKAT] == lv, t[S.LUAS_HA], 0.0)
    t["_slum"] = t[S.TINGKAT].isin(SLUM_LEVELS).astype(int)
    rank = {lv: i for i, lv in enumerate(levels)}
    t["_rank"] = t[S.TINGKAT].map(rank).fillna(len(levels))
    g = t.groupby(keys + ["tahun"], sort=True, dropna=False)
    out = g[[S.KUMUH_HA] + [level_column(lv) for lv in levels] + ["keluar_ha", "masuk_ha"]].sum()
    out.insert(0, "jumlah_kawasan", g.size())
    out.insert(1, "kawasan_kumuh", g["_slum"].sum())
    if keys:
        worst = g["_rank"].min().astype(int)
        out[S.TINGKAT] = [levels[i] if i < len(levels) else UNKNOWN for i in worst]
    out = out.reset_index()
    out["jarak_ke_0_ha"] = out[S.KUMUH_HA]
    first = (
        out.groupby(keys, sort=False, dropna=False)[S.KUMUH_HA].transform("first")
        if keys
        else pd.Series(out[S.KUMUH_HA].iloc[0] if len(out) else 0.0, index=out.index)
    )
    out["turun_ha"] = first - out[S.KUMUH_HA]
    out["turun_pct"] = 100.0 * out["turun_ha"] / first.where(first > 0)
    return out
