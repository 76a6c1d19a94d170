"""The problems report: every input row that could not be used, and why.

Nothing is lost silently: a row that is dropped, repaired or only partly used is
recorded here with its file, layer, column and 1-based row number.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

__all__ = ["Problem", "ProblemLog"]

#: columns of ``masalah.csv``
COLUMNS = ["berkas", "layer", "baris", "kolom", "masalah", "rincian", "dipakai"]


@dataclass(frozen=True)
class Problem:
    """One row-level finding about an input.

    ``dipakai`` (used) says whether the row still went into the analysis
    (a repaired geometry is used; an empty one is not).
    """

    berkas: str
    layer: str | None
    baris: int | None
    kolom: str | None
    masalah: str
    rincian: str = ""
    dipakai: bool = False


@dataclass
class ProblemLog:
    """An append-only list of :class:`Problem`.

    Examples
    --------
    >>> log = ProblemLog()
    >>> log.add("kumuh.geojson", None, 3, None, "geometri kosong")
    >>> log.to_frame()[["baris", "masalah"]].to_dict("records")
    [{'baris': 3, 'masalah': 'geometri kosong'}]
    """

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        berkas: object,
        layer: str | None,
        baris: int | None,
        kolom: str | None,
        masalah: str,
        rincian: str = "",
        *,
        dipakai: bool = False,
    ) -> None:
        """Record one problem."""
        self.items.append(
            Problem(
                str(berkas),
                layer,
                None if baris is None else int(baris),
                kolom,
                masalah,
                rincian,
                dipakai,
            )
        )

    def extend(self, other: ProblemLog) -> None:
        """Append every problem of ``other``."""
        self.items.extend(other.items)

    def unused_rows(self, berkas: object) -> set[int]:
        """Row numbers of ``berkas`` that were reported and not used."""
        name = str(berkas)
        return {p.baris for p in self.items if p.berkas == name and not p.dipakai and p.baris}

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame with the columns of ``masalah.csv``."""
        df = pd.DataFrame([asdict(p) for p in self.items], columns=COLUMNS)
        return df.astype({"baris": "Int64"})

    def __len__(self) -> int:
        return len(self.items)
