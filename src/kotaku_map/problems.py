"""The problems report: every input row that could not be used, and why.

Nothing is lost silently: a row that is dropped, repaired or only partly used is
recorded here with its file, layer, column and 1-based row number, and the role the file
played (``peran``: a program's name, ``kumuh``, ``batas``, ``sinkronisasi``): one file may
serve two roles (a SK Kumuh workbook listing a program's kelurahan and reconciled under
``[sync]``), and its rows are then reported once per role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

import pandas as pd

__all__ = ["Problem", "ProblemLog"]

#: columns of ``masalah.csv``
COLUMNS = ["berkas", "layer", "peran", "baris", "kolom", "masalah", "rincian", "dipakai"]


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
    peran : str or None
        The role the file played (a program's name, ``kumuh``, ``batas``, ``sinkronisasi``).
    """

    berkas: str
    layer: str | None
    baris: int | None
    kolom: str | None
    masalah: str
    rincian: str = ""
    dipakai: bool = False
    peran: str | None = None


@dataclass
class ProblemLog:
    """An append-only list of :class:`Problem`.

    Parameters
    ----------
    items : list of Problem, optional
        The problems recorded so far (none by default).
    role : str, optional
        The role stamped on the problems added without one (see :meth:`acting_as`).

    Examples
    --------
    >>> log = ProblemLog()
    >>> with log.acting_as("kumuh"):
    ...     log.add("kumuh.geojson", None, 3, None, "geometri kosong")
    >>> log.to_frame()[["peran", "baris", "masalah"]].to_dict("records")
    [{'peran': 'kumuh', 'baris': 3, 'masalah': 'geometri kosong'}]
    """

    items: list[Problem] = field(default_factory=list)
    role: str | None = None

    @contextmanager
    def acting_as(self, role: str) -> Iterator[ProblemLog]:
        """Stamp ``role`` on every problem added inside the block (unless given one).

        Parameters
        ----------
        role : str
            A program's name, ``kumuh``, ``batas`` or ``sinkronisasi``.

        Yields
        ------
        ProblemLog
            This log.
        """
        before, self.role = self.role, role
        try:
            yield self
        finally:
            self.role = before

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
        peran: str | None = None,
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
        peran : str, optional
            The role the file played (default: the role of :meth:`acting_as`).
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
                peran if peran is not None else self.role,
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

    def unused_rows(self, berkas: object, peran: str | None = None) -> set[int]:
        """Row numbers of ``berkas`` that were reported and not used.

        Parameters
        ----------
        berkas : str or os.PathLike
            The input file.
        peran : str, optional
            Only the rows reported in this role (default: in any role).

        Returns
        -------
        set of int
            1-based row numbers.
        """
        name = str(berkas)
        return {
            p.baris
            for p in self.items
            if p.berkas == name
            and not p.dipakai
            and p.baris
            and (peran is None or p.peran in (peran, None))
        }

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
