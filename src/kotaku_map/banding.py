"""What changed since the last forum: two builds' output folders compared (``banding``).

:func:`compare` reads two output folders of ``kotaku-map build`` (each with its
``manifest.json``) and joins them

* per kelurahan, on the Kemendagri code: status before and after; slum, covered, overlap
  and gap hectares before and after and their difference; the change (``perubahan``):
  ``lebih baik`` (less gap; with the same gap, less overlap), ``lebih buruk``, ``tetap``,
  and ``baru``/``hilang`` for a kelurahan in one build only (never dropped: ``gabung``
  says which);
* per lingkungan, on the kab/kota and ``id_lingkungan`` (``lingkungan.csv``);
* per program and kelurahan, the work areas that are new or ended (``wk_<program>_ha``);

and says, per city, what changed in one sentence ("celah cakupan turun 12,4 ha sejak
forum 2026-03"; in English "coverage gap down 12.4 ha since forum 2026-03"), with notes
when the two builds used different boundaries, thresholds or programs (from the
manifests). Differences are computed on the figures as written (whole units of 0.0001 ha),
so they are exact. :func:`write_banding` (in
:mod:`kotaku_map.banding_write`) writes the tables and the change maps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as s
from .errors import InputError
from .render.labels import format_number, text
from .rounding import HA_UNIT

__all__ = [
    "FIGURES",
    "Build",
    "Comparison",
    "change_sentence",
    "compare",
    "read_build",
    "units",
]

#: the hectares compared per kelurahan and lingkungan
FIGURES = (s.KUMUH_HA, s.TERCAKUP_HA, s.TUMPANG_TINDIH_HA, s.CELAH_HA)
BETTER, WORSE, SAME, NEW, GONE = "lebih baik", "lebih buruk", "tetap", "baru", "hilang"
BOTH, OLD_ONLY, NEW_ONLY = "keduanya", "hanya lama", "hanya baru"


@dataclass(frozen=True)
class Build:
    """One build's output folder, as read for a comparison.

    Parameters
    ----------
    folder : Path
        The output folder.
    manifest : dict
        Its ``manifest.json``.
    cities : dict of str to Path
        City folder name (``3375-kota-pekalongan``) to the folder.
    kelurahan, lingkungan : DataFrame
        Every city's ``kelurahan.csv`` and ``lingkungan.csv`` (column ``kota``: the city
        folder's name), the figures as written.
    files : list of Path
        Every file read (an output folder must not be one of them).
    """

    folder: Path
    manifest: dict
    cities: dict[str, Path]
    kelurahan: pd.DataFrame
    lingkungan: pd.DataFrame
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    """Two builds compared (:func:`compare`).

    Parameters
    ----------
    old, new : Build
        The builds.
    label : str
        What the old build is called in the sentences (the forum's date or name).
    kelurahan, lingkungan, wilayah_kerja : DataFrame
        The change tables (``banding_kelurahan``, ``banding_lingkungan``,
        ``banding_wilayah_kerja``).
    gaps : dict of str to tuple of float
        Per city folder, its coverage gap in hectares before and after (the change in one
        sentence: :meth:`sentences`).
    differences : list of (str, dict)
        What differs between the builds beyond their programs' data (boundaries,
        thresholds, programs), and the rows that could not be joined: a key of the labels
        and its fields each (said in a language by :meth:`notes`).
    """

    old: Build
    new: Build
    label: str
    kelurahan: pd.DataFrame
    lingkungan: pd.DataFrame
    wilayah_kerja: pd.DataFrame
    gaps: dict[str, tuple[float, float]]
    differences: list[tuple[str, dict[str, str]]]

    def notes(self, lang: str = "id") -> list[str]:
        """What differs between the builds, and the rows not joined, in sentences.

        Parameters
        ----------
        lang : {"id", "en"}
            The language of the notes.

        Returns
        -------
        list of str
            One sentence per difference (empty: the builds are comparable as they are).
        """
        return [text(key, lang, **fill) for key, fill in self.differences]

    def sentences(self, lang: str = "id") -> dict[str, str]:
        """Per city folder, the change of its coverage gap in one sentence.

        Parameters
        ----------
        lang : {"id", "en"}
            The language of the sentences (and of their numbers).

        Returns
        -------
        dict of str to str
            City folder name to its sentence (:func:`change_sentence`).
        """
        return {
            city: change_sentence(before, after, self.label, lang)
            for city, (before, after) in self.gaps.items()
        }


def read_build(folder: str | Path, role: str) -> Build:
    """Read a build's output folder: its manifest and every city's tables.

    Parameters
    ----------
    folder : str or Path
        An output folder of ``kotaku-map build``.
    role : str
        ``"OLD"`` or ``"NEW"``, for the messages.

    Returns
    -------
    Build

    Raises
    ------
    kotaku_map.errors.InputError
        If the folder, its manifest or a table it lists is missing or unreadable.
    """
    path = Path(folder).absolute()
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file():
        raise InputError(
            f"{manifest_path}: not found; {role} must be an output folder of kotaku-map build"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed = [str(p) for p in manifest["keluaran"]]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(f"{manifest_path}: not a kotaku-map manifest ({exc})") from None
    cities = {
        Path(p).parent.name: path / Path(p).parent for p in listed if p.endswith("/kelurahan.csv")
    }
    files = [manifest_path]
    tables = {}
    for name in ("kelurahan", "lingkungan"):
        frames = []
        for city, cfolder in sorted(cities.items()):
            csv = cfolder / f"{name}.csv"
            if name == "lingkungan" and f"{city}/lingkungan.csv" not in listed:
                continue
            frames.append(_read_csv(csv).assign(kota=city))
            files.append(csv)
        tables[name] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return Build(path, manifest, cities, tables["kelurahan"], tables["lingkungan"], files)


def _read_csv(path: Path) -> pd.DataFrame:
    """A table of a build as written: codes and names as text, figures as numbers."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    for column in df.columns:
        if s.column_kind(column) in ("ha", "count"):
            df[column] = pd.to_numeric(df[column].replace("", np.nan), errors="coerce")
    if s.KODE not in df:
        raise InputError(f"{path}: has no column {s.KODE!r}")
    return df.replace({"": None})


def units(values: pd.Series) -> np.ndarray:
    """Published hectares (4 decimals) as whole units of 0.0001 ha (NaN: 0).

    Parameters
    ----------
    values : Series of float

    Returns
    -------
    ndarray of int

    Examples
    --------
    >>> units(pd.Series([1.0001, None])).tolist()
    [10001, 0]
    """
    return np.rint(values.astype(float).fillna(0.0).to_numpy() * HA_UNIT).astype(np.int64)


def _joined(old: pd.DataFrame, new: pd.DataFrame, keys: list[str], text: list[str]) -> pd.DataFrame:
    """Old and new rows side by side (outer join on ``keys``), with the differences."""
    figures = [c for c in FIGURES if c in old or c in new]
    take = [c for c in [*keys, *text, s.STATUS, *figures]]
    a = old.reindex(columns=take).assign(_a=True)
    b = new.reindex(columns=take).assign(_b=True)
    j = a.merge(b, on=keys, how="outer", suffixes=("_lama", "_baru"), sort=False)
    out = j[keys].copy()
    for c in text:  # the new build's name, else the old one's
        out[c] = j[f"{c}_baru"].where(j[f"{c}_baru"].notna(), j[f"{c}_lama"])
    out["gabung"] = np.where(
        j["_a"].eq(True) & j["_b"].eq(True), BOTH, np.where(j["_a"].eq(True), OLD_ONLY, NEW_ONLY)
    )
    out["status_lama"], out["status_baru"] = j[f"{s.STATUS}_lama"], j[f"{s.STATUS}_baru"]
    for c in figures:
        before, after = units(j[f"{c}_lama"]), units(j[f"{c}_baru"])
        out[f"{c[:-3]}_lama_ha"] = np.where(j["_a"].eq(True), before / HA_UNIT, np.nan)
        out[f"{c[:-3]}_baru_ha"] = np.where(j["_b"].eq(True), after / HA_UNIT, np.nan)
        out[f"selisih_{c}"] = (after - before) / HA_UNIT
    out["perubahan"] = _change(out)
    return out


def _change(t: pd.DataFrame) -> np.ndarray:
    """Better (less gap; the same gap and less overlap), worse, the same; new or gone."""
    gap = t.get(f"selisih_{s.CELAH_HA}", pd.Series(0.0, index=t.index)).to_numpy()
    over = t.get(f"selisih_{s.TUMPANG_TINDIH_HA}", pd.Series(0.0, index=t.index)).to_numpy()
    score = np.where(gap != 0, gap, over)
    out = np.where(score < 0, BETTER, np.where(score > 0, WORSE, SAME)).astype(object)
    out[t["gabung"].to_numpy() == OLD_ONLY] = GONE
    out[t["gabung"].to_numpy() == NEW_ONLY] = NEW
    return out


def _work_areas(old: pd.DataFrame, new: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per program and kelurahan: the work area before and after, where it began or ended."""
    cols = sorted({c for c in [*old.columns, *new.columns] if c.startswith("wk_")})
    keys = ["kota", s.KODE]
    j = old.reindex(columns=[*keys, s.KELURAHAN, *cols]).merge(
        new.reindex(columns=[*keys, s.KELURAHAN, *cols]),
        on=keys,
        how="outer",
        suffixes=("_lama", "_baru"),
    )
    rows = []
    for c in cols:
        before, after = units(j[f"{c}_lama"]), units(j[f"{c}_baru"])
        for sel, what in (
            ((before == 0) & (after > 0), NEW),
            ((before > 0) & (after == 0), "berakhir"),
        ):
            part = j.loc[sel, keys].copy()
            part[s.KELURAHAN] = j.loc[sel, f"{s.KELURAHAN}_baru"].fillna(
                j.loc[sel, f"{s.KELURAHAN}_lama"]
            )
            part["program"] = names.get(c[3:-3], c[3:-3])
            part["wk_lama_ha"], part["wk_baru_ha"] = before[sel] / HA_UNIT, after[sel] / HA_UNIT
            part["perubahan"] = what
            rows.append(part)
    columns = [*keys, s.KELURAHAN, "program", "wk_lama_ha", "wk_baru_ha", "perubahan"]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
    return out[columns].sort_values(["kota", "program", s.KODE], kind="stable", ignore_index=True)


def _notes(
    old: Build, new: Build, kel: pd.DataFrame, ling: pd.DataFrame
) -> list[tuple[str, dict[str, str]]]:
    """What differs between the builds beyond the programs' data; rows not joined.

    Each note is a key of the labels (``change_note_*``) and its fields, so that it can be
    said in either language (:meth:`Comparison.notes`).
    """
    notes: list[tuple[str, dict[str, str]]] = []
    a, b = old.manifest, new.manifest
    bounds = [
        [
            (m.get("berkas"), m.get("sha256"))
            for m in x.get("masukan", [])
            if m.get("peran") == "batas"
        ]
        for x in (a, b)
    ]
    if bounds[0] != bounds[1]:
        notes.append(("change_note_bounds", {}))
    ca, cb = a.get("config", {}).get("analysis", {}), b.get("config", {}).get("analysis", {})
    if a.get("ambang_sliver") != b.get("ambang_sliver") or ca != cb:
        notes.append(
            (
                "change_note_thresholds",
                {"a": f"{a.get('ambang_sliver')} {ca}", "b": f"{b.get('ambang_sliver')} {cb}"},
            )
        )
    pa = [p.get("name") for p in a.get("config", {}).get("programs", [])]
    pb = [p.get("name") for p in b.get("config", {}).get("programs", [])]
    if pa != pb:
        notes.append(("change_note_programs", {"a": str(pa), "b": str(pb)}))
    for what, t in (("kelurahan", kel), ("lingkungan", ling)):
        if len(t) and (t["gabung"] != BOTH).any():
            n_old = int((t["gabung"] == OLD_ONLY).sum())
            n_new = int((t["gabung"] == NEW_ONLY).sum())
            notes.append(("change_note_unjoined", {"a": str(n_old), "b": str(n_new), "x": what}))
    return notes


def change_sentence(before_ha: float, after_ha: float, label: str, lang: str = "id") -> str:
    """The change of a city's coverage gap in one sentence, numbers as ``lang`` writes them.

    Parameters
    ----------
    before_ha, after_ha : float
        The gap hectares of the old and the new build.
    label : str
        The old build's forum (date or name); empty: "forum lalu" ("the last forum").
    lang : {"id", "en"}
        The sentence's language: ``12,4`` (id) or ``12.4`` (en).

    Returns
    -------
    str

    Examples
    --------
    >>> change_sentence(20.5, 8.1, "2026-03")
    'celah cakupan turun 12,4 ha sejak forum 2026-03 (dari 20,5 ha menjadi 8,1 ha)'
    >>> change_sentence(20.5, 8.1, "2026-03", "en")
    'coverage gap down 12.4 ha since forum 2026-03 (from 20.5 ha to 8.1 ha)'
    >>> change_sentence(3.0, 3.0, "")
    'celah cakupan tetap 3,0 ha sejak forum lalu'
    >>> change_sentence(3.0, 3.0, "", "en")
    'coverage gap unchanged at 3.0 ha since the last forum'
    """
    diff = round(after_ha - before_ha, 4)

    def ha(v: float) -> str:
        decimals = 1 if abs(v) >= 0.05 or v == 0 else 4
        return f"{format_number(abs(v), decimals, lang)} ha"

    key = "change_gap_same" if diff == 0 else "change_gap_down" if diff < 0 else "change_gap_up"
    forum = text("change_forum", lang, x=label) if label else text("change_forum_last", lang)
    return text(key, lang, d=ha(diff), a=ha(before_ha), b=ha(after_ha), x=forum)


def compare(old: str | Path, new: str | Path, *, label: str | None = None) -> Comparison:
    """Compare two builds' output folders.

    Parameters
    ----------
    old, new : str or Path
        Output folders of ``kotaku-map build`` (each with ``manifest.json``).
    label : str, optional
        The old build's forum, as the sentences name it; by default the date the old
        build was made (its manifest's ``dibuat``).

    Returns
    -------
    Comparison

    Raises
    ------
    kotaku_map.errors.InputError
        If a folder is not a build's, or a table of it cannot be read.
    """
    a, b = read_build(old, "OLD"), read_build(new, "NEW")
    label = label or str(a.manifest.get("dibuat", ""))[:10]
    keys = ["kota", s.KODE]
    kel = _joined(a.kelurahan, b.kelurahan, keys, [s.KELURAHAN, s.KECAMATAN])
    ling = pd.DataFrame()
    if len(a.lingkungan) or len(b.lingkungan):
        ling = _joined(
            a.lingkungan, b.lingkungan, ["kota", s.ID_LINGKUNGAN], [s.NAMA_LINGKUNGAN, s.KODE]
        )
    gaps = {}
    for city in sorted(set(a.cities) | set(b.cities)):
        rows = kel[kel["kota"] == city]
        gaps[city] = (float(rows["celah_lama_ha"].sum()), float(rows["celah_baru_ha"].sum()))
    notes = _notes(a, b, kel, ling)
    names = {
        s.slug(p.get("name", "")): p.get("name", "")
        for m in (a.manifest, b.manifest)
        for p in m.get("config", {}).get("programs", [])
    }
    work = _work_areas(a.kelurahan, b.kelurahan, names)
    return Comparison(a, b, label, kel, ling, work, gaps, notes)
