"""Collaboration (*kolaborasi*): who funds slum work, per kelurahan.

Besides NSUP and NUSP-2, cities fund slum work themselves (APBD kab/kota), with province
money (APBD provinsi), other ministries (APBN), village funds (Dana Kelurahan) and community
self-help (swadaya). From a table of investments (year, kawasan or RT, activity, funding
source, amount; the ``investasi`` sheet of the SK Kumuh workbook),
:func:`investment_rows` normalises the source names and attaches each row to its
kelurahan; :func:`funding_mix` gives the funding mix per kelurahan or kawasan, with
``tanpa_pendanaan`` for slum areas without any funded activity (no row with a known
source); :func:`kotaku_map.render.funding_layer` shows that on the map.

Rows without a funding source are **kept** (source ``tidak diketahui``) and reported in the
problems log; rows without a kawasan count in the city totals only (reported too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kotaku_map import schema as S
from kotaku_map.problems import ProblemLog

__all__ = [
    "SOURCES",
    "funding_mix",
    "investment_rows",
    "normalise_source",
]

UNKNOWN = "tidak diketahui"
#: canonical funding sources, in legend/column order
SOURCES = (
    "NSUP",
    "NUSP-2",
    "APBN",
    "APBD provinsi",
    "APBD kab/kota",
    "Dana Kelurahan",
    "Dana Desa",
    "Swadaya",
    "CSR/swasta",
)
_RULE_TEXT = (
    (r"\bdana\s*kel|\badk\b|\bapbd\s*kel", "Dana Kelurahan"),
    (r"\bdana\s*desa\b|\badd\b|\bdd\b", "Dana Desa"),
    (r"\bnusp|\badb\b", "NUSP-2"),
    (r"\bnsup|\bkotaku\b|\bbdi\b|\bbpm\b|world\s*bank", "NSUP"),
    (r"\bapbn\b|kementerian|kementrian|\bpupr\b", "APBN"),
    (r"\bapbd\s*(ii|2)\b|\bapbd\s*(kota|kab)|\bapbd\b\s*$", "APBD kab/kota"),
    (r"\bapbd\s*(i|1)\b|\bapbd\s*prov|provinsi", "APBD provinsi"),
    (r"swadaya|masyarakat|\bbkm\b|\blkm\b", "Swadaya"),
    (r"\bcsr\b|swasta|bumn|bumd", "CSR/swasta"),
)
_RULES = tuple((re.compile(p, re.IGNORECASE), name) for p, name in _RULE_TEXT)


def normalise_source(values: pd.Series) -> pd.Series:
    """Canonical funding source names (see :data:`SOURCES`); missing -> ``tidak diketahui``.

    Names no rule knows are kept as written, prefixed ``lainnya: ``.

    Parameters
    ----------
    values : Series
        Funding sources as written (``"APBD II (KOTA/KAB)"``, ``"SWADAYA"`` ...).

    Returns
    -------
    Series
        The canonical names, same index.

    Examples
    --------
    >>> normalise_source(pd.Series(["APBD II (KOTA/KAB)", "SWADAYA", "APBD I (PROVINSI)",
    ...     "DANA KELURAHAN / ADK / APBD KEL", "APBN PUSAT (Kementrian PUPR)", None,
    ...     "Hibah X"])).tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['APBD kab/kota', 'Swadaya', 'APBD provinsi', 'Dana Kelurahan', 'APBN',
     'tidak diketahui', 'lainnya: Hibah X']
    """

    def one(v: object) -> str:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return UNKNOWN
        text = " ".join(str(v).split())
        if not text or text.lower() in {"-", "nan", "none", "null"}:
            return UNKNOWN
        for pattern, name in _RULES:
            if pattern.search(text):
                return name
        return f"lainnya: {text}"

    return values.map(one).astype(object)


def investment_rows(
    investments: pd.DataFrame,
    units: pd.DataFrame,
    *,
    kawasan: str = "idKawasan",
    source_column: str = "sumberAnggaran",
    amount: str | None = "anggaran",
    year: str | None = "tahun",
    activity: str | None = "kegiatan",
    source: str = "<investasi>",
    layer: str | None = "investasi",
    problems: ProblemLog | None = None,
) -> pd.DataFrame:
    """Investment rows with a canonical ``sumber`` and their kawasan's kelurahan.

    Parameters
    ----------
    investments : DataFrame
        One row per activity (the ``investasi`` sheet).
    units : DataFrame
        Kawasan -> kelurahan: ``kawasan_id, kode, kelurahan, kecamatan`` (see
        :func:`kotaku_map.progress.kawasan_kelurahan`).
    kawasan, source_column, amount, year, activity : str
        Columns of `investments` (``source_column``: the funding source).
    source, layer : str
        The file and sheet, for the problems report.
    problems : ProblemLog, optional
        Rows without a source, without a kawasan or with an unknown kawasan are
        reported (and still counted: ``dipakai`` is true).

    Returns
    -------
    DataFrame
        Every input row, in order: ``baris_sumber, tahun, kawasan_id, kode, kelurahan,
        kecamatan, kegiatan, sumber_asli, sumber, anggaran``.

    Examples
    --------
    >>> units = pd.DataFrame({"kawasan_id": [1], "kode": ["k1"], "kelurahan": ["A"],
    ...                       "kecamatan": ["K"]})
    >>> inv = pd.DataFrame({"tahun": [2021, 2022], "idKawasan": [1, None],
    ...     "kegiatan": ["Jalan", "MCK"], "sumberAnggaran": ["APBD II", None],
    ...     "anggaran": [1e6, None]})
    >>> log = ProblemLog()
    >>> r = investment_rows(inv, units, problems=log)
    >>> r[["kawasan_id", "sumber"]].values.tolist(), len(log)
    ([[1, 'APBD kab/kota'], [<NA>, 'tidak diketahui']], 2)
    """
    problems = problems if problems is not None else ProblemLog()
    inv = investments
    rows = inv[S.SUMBER_BARIS].to_numpy() if S.SUMBER_BARIS in inv else np.arange(2, len(inv) + 2)
    kid = pd.to_numeric(inv[kawasan], errors="coerce").astype("Int64").reset_index(drop=True)
    look = _kawasan_lookup(units)
    out = pd.DataFrame(
        {
            S.SUMBER_BARIS: rows,
            "tahun": pd.to_numeric(inv[year], errors="coerce").astype("Int64") if year else pd.NA,
            "kawasan_id": kid,
        }
    )
    out = out.assign(**_kelurahan_of(kid, look))
    out[S.KODE] = out[S.KODE].astype("string")
    out["kegiatan"] = inv[activity].astype("string").to_numpy() if activity else pd.NA
    out["sumber_asli"] = inv[source_column].astype("string").to_numpy()
    out["sumber"] = normalise_source(inv[source_column]).to_numpy()
    out["anggaran"] = pd.to_numeric(inv[amount], errors="coerce").to_numpy() if amount else np.nan
    # one row's problems together: its kawasan first, then its source
    for r, k, s, orig in zip(rows, kid, out["sumber"], out["sumber_asli"], strict=True):
        for column, problem in (
            (kawasan, _kawasan_problem(k, look.index)),
            (source_column, _source_problem(s, orig)),
        ):
            if problem is not None:
                problems.add(source, layer, int(r), column, *problem, dipakai=True)
    return out


def _kawasan_lookup(units: pd.DataFrame) -> pd.DataFrame:
    """The units indexed by their numeric kawasan id (the first row of each id)."""
    ids = pd.to_numeric(units["kawasan_id"], errors="coerce")
    return units.assign(_id=ids).drop_duplicates("_id").set_index("_id")


def _kelurahan_of(kid: pd.Series, look: pd.DataFrame) -> dict[str, list]:
    """Code, kelurahan and kecamatan of each kawasan id (None where unknown)."""
    return {
        col: [
            look[col].get(int(k)) if pd.notna(k) and int(k) in look.index and col in look else None
            for k in kid
        ]
        for col in (S.KODE, S.KELURAHAN, S.KECAMATAN)
    }


def _kawasan_problem(k: object, known: pd.Index) -> tuple[str, str] | None:
    """The problem and its detail for an activity's kawasan id, or None when it is known."""
    if pd.isna(k):
        return "kawasan kosong", "kegiatan tanpa kawasan: dihitung hanya di total kota"
    if int(k) not in known:
        return (
            "kawasan tidak dikenal",
            f"kawasan {int(k)} tidak ada di daftar kawasan: dihitung hanya di total kota",
        )
    return None


def _source_problem(sumber: str, original: object) -> tuple[str, str] | None:
    """The problem and its detail for an activity's funding source, or None when known."""
    if sumber == UNKNOWN:
        return (
            "sumber anggaran kosong",
            "kegiatan tanpa sumber anggaran: dihitung sebagai 'tidak diketahui', "
            "bukan kegiatan yang didanai",
        )
    if sumber.startswith("lainnya: "):
        return "sumber anggaran tidak dikenal", f"{original!r} dipakai apa adanya"
    return None


def funding_mix(
    rows: pd.DataFrame,
    units: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] = (S.KODE, S.KELURAHAN, S.KECAMATAN),
) -> pd.DataFrame:
    """Funding mix per kelurahan (default) or per kawasan (``by="kawasan_id"``).

    Parameters
    ----------
    rows : DataFrame
        From :func:`investment_rows`.
    units : DataFrame, optional
        All slum units (``kawasan_id, kode, kelurahan, kecamatan``): units without any
        investment row are listed too (``tanpa_pendanaan`` true).
    by : str or sequence of str
        Grouping columns.

    Returns
    -------
    DataFrame
        One row per group: ``jumlah_kegiatan``, ``kegiatan_didanai`` (rows with a known
        source), ``kegiatan_tanpa_sumber``, ``sumber_dana`` (sources joined with ``' + '``),
        ``jumlah_sumber``, ``tanpa_pendanaan``, and per source ``kegiatan_<sumber>`` and
        ``anggaran_<sumber>_rp``. Rows without a kawasan make a group with empty keys.

    Examples
    --------
    >>> r = pd.DataFrame({"kawasan_id": [1, 1, 2], "kode": ["k1", "k1", "k2"],
    ...     "kelurahan": ["A", "A", "B"], "kecamatan": ["K", "K", "K"],
    ...     "sumber": ["APBD kab/kota", "Swadaya", "tidak diketahui"],
    ...     "anggaran": [5.0, 1.0, None]})
    >>> m = funding_mix(r)
    >>> m[["kelurahan", "sumber_dana", "tanpa_pendanaan"]].values.tolist()
    [['A', 'APBD kab/kota + Swadaya', False], ['B', '', True]]
    """
    keys = [by] if isinstance(by, str) else list(by)
    r = _with_unfunded_units(rows, units)
    for k in keys:
        r[k] = r[k].astype(object).where(r[k].notna(), "")
    r["_n"] = r["sumber"].notna().astype(int)
    r["_known"] = (r["sumber"].notna() & (r["sumber"] != UNKNOWN)).astype(int)
    r["_unknown"] = (r["sumber"] == UNKNOWN).astype(int)
    r["anggaran"] = pd.to_numeric(r.get("anggaran"), errors="coerce")
    g = r.groupby(keys, sort=False)
    out = pd.DataFrame(
        {
            "jumlah_kegiatan": g["_n"].sum(),
            "kegiatan_didanai": g["_known"].sum(),
            "kegiatan_tanpa_sumber": g["_unknown"].sum(),
        }
    )
    names = _sources_found(r["sumber"])
    out["sumber_dana"] = g["sumber"].agg(
        lambda s: " + ".join(n for n in names if n in set(s.dropna()))
    )
    out["jumlah_sumber"] = g["sumber"].agg(lambda s: len(set(s.dropna()) - {UNKNOWN}))
    out["tanpa_pendanaan"] = out["kegiatan_didanai"] == 0
    out = _add_per_source(out, r, keys, names)
    return _blank_keys_last(out.reset_index(), keys)


def _with_unfunded_units(rows: pd.DataFrame, units: pd.DataFrame | None) -> pd.DataFrame:
    """A copy of ``rows`` plus one row without a source for each unit with no activity."""
    r = rows.copy()
    if units is None:
        return r
    missing = units.loc[
        ~pd.to_numeric(units["kawasan_id"], errors="coerce").isin(
            pd.to_numeric(r["kawasan_id"], errors="coerce")
        )
    ]
    if len(missing):
        add = missing[
            [c for c in ("kawasan_id", S.KODE, S.KELURAHAN, S.KECAMATAN) if c in missing]
        ].copy()
        add["sumber"] = None
        r = pd.concat([r, add], ignore_index=True)
    return r


def _sources_found(sumber: pd.Series) -> list[str]:
    """The known sources present, in :data:`SOURCES` order, then the others by name."""
    found = [s for s in sumber.dropna().unique() if s != UNKNOWN]
    return [s for s in SOURCES if s in found] + sorted(s for s in found if s not in SOURCES)


def _add_per_source(
    out: pd.DataFrame, r: pd.DataFrame, keys: list[str], names: list[str]
) -> pd.DataFrame:
    """Add ``kegiatan_<sumber>`` and ``anggaran_<sumber>_rp`` per group for each source."""
    groups = [r[k] for k in keys]
    for n in names:
        sel = r["sumber"] == n
        out[f"kegiatan_{S.slug(n)}"] = sel.groupby(groups, sort=False).sum().astype(int)
        out[f"anggaran_{S.slug(n)}_rp"] = (
            r["anggaran"].where(sel, 0.0).groupby(groups, sort=False).sum()
        )
    return out


def _blank_keys_last(out: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sort by the keys, groups with an empty key last; empty keys become None."""
    out["_last"] = (out[keys] == "").any(axis=1)
    out = out.sort_values(
        ["_last"] + keys, kind="stable", key=lambda c: c.astype(str) if c.name != "_last" else c
    ).drop(columns="_last")
    for k in keys:
        out[k] = out[k].astype(object).where(out[k] != "", None)
    return out.reset_index(drop=True)
