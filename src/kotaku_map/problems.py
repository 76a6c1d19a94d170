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

    Parameters
    ----------
    berkas : str
        The input file.
    layer : str or None
        The layer in the file, if it has several.
    baris : int or None
        The 1-based row number in the file (``None``: the problem is not one row's).
    kolom : str or None
        The column concerned, if one is.
    masalah : str
        What is wrong, short (``"geometri kosong"``).
    rincian : str
        Details: what was found and what was expected.
    dipakai : bool
        Whether the row still went into the analysis.
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

    Parameters
    ----------
    items : list of Problem, optional
        The problems recorded so far (none by default).

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
        """Record one problem.

        Parameters
        ----------
        berkas : str or os.PathLike
            The input file (kept as its string).
        layer : str or None
            The layer in the file.
        baris : int or None
            The 1-based row number.
        kolom : str or None
            The column concerned.
        masalah : str
            What is wrong, short.
        rincian : str
            Details.
        dipakai : bool
            Whether the row still went into the analysis.
        """
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
        """Append every problem of ``other``.

        Parameters
        ----------
        other : ProblemLog
            Its problems are appended, in order.
        """
        self.items.extend(other.items)

    def unused_rows(self, berkas: object) -> set[int]:
        """Row numbers of ``berkas`` that were reported and not used.

        Parameters
        ----------
        berkas : str or os.PathLike
            The input file.

        Returns
        -------
        set of int
            1-based row numbers.
        """
        name = str(berkas)
        return {p.baris for p in self.items if p.berkas == name and not p.dipakai and p.baris}

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame with the columns of ``masalah.csv``.

        Returns
        -------
        DataFrame
            One row per problem, in the order recorded; ``baris`` as nullable ``Int64``.
        """
        df = pd.DataFrame([asdict(p) for p in self.items], columns=COLUMNS)
        return df.astype({"baris": "Int64"})

    def __len__(self) -> int:
        return len(self.items)
