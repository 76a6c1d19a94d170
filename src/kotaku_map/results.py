"""Named results of the analysis: one :class:`CityResult` per kabupaten/kota.

Every GeoDataFrame in a result is in EPSG:4326 (display); hectares were computed
in a local equal-area projection (see :mod:`kotaku_map.crs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from . import schema

__all__ = ["CityResult", "example_result"]


@dataclass(frozen=True)
class CityResult:
    """What the analysis found in one kabupaten/kota.

    Its fields, in order, are the constructor's parameters.

    Parameters
    ----------
    kode : str
        Kemendagri code of the kab/kota (``"33.75"``), or its name where no code is known.
    nama : str
        Name of the kab/kota (``"Kota Pekalongan"``).
    programs : tuple of str
        Program names in config order.
    kelurahan : GeoDataFrame
        One row per kelurahan: ``kode, kelurahan, kecamatan, kabkota, kode_kabkota,
        luas_ha, program,
        status, kumuh_ha, tercakup_ha, tumpang_tindih_ha, celah_ha, sliver_ha,
        metode_cocok`` and one ``wk_<program>_ha`` column per program.
    wilayah_kerja : GeoDataFrame
        Work areas: ``program, baris_sumber, jumlah_baris, kode, kelurahan, luas_ha``; a
        program given as polygons has one row per source row and kelurahan (``baris_sumber``
        its row number), a program given as a list one row per kelurahan (``baris_sumber``
        the rows listing it, ``"4; 17; 230"``, ``jumlah_baris`` how many).
    kumuh : GeoDataFrame
        Slum areas clipped to the city: ``tingkat, luas_ha, baris_sumber, kode, kelurahan``.
    tumpang_tindih : GeoDataFrame
        Overlaps (not slivers) per kelurahan and program combination:
        ``program, kode, kelurahan, luas_ha``.
    celah : GeoDataFrame
        Coverage gaps (not slivers) per kelurahan: ``kode, kelurahan, luas_ha``.
    sliver : GeoDataFrame
        Overlap and gap pieces too thin or small to be real:
        ``jenis ("tumpang tindih" | "celah"), program, sebab ("kecil" | "sempit" |
        "batas kelurahan"), kode, kelurahan, luas_ha, lebar_m``.
    ringkasan : dict
        The city's totals (see ``docs/keluaran.md``).
    lingkungan : GeoDataFrame
        One row per slum delineation (source row of ``[slum]``): its kelurahan, coverage
        and status (:mod:`kotaku_map.lingkungan`); empty without slum.
    seconds : dict
        Wall seconds this city took, per step (``analisis``; ``tulis`` once written);
        shown by ``kotaku-map build -v``, written to no output (outputs stay reproducible).
    """

    kode: str
    nama: str
    programs: tuple[str, ...]
    kelurahan: gpd.GeoDataFrame
    wilayah_kerja: gpd.GeoDataFrame
    kumuh: gpd.GeoDataFrame
    tumpang_tindih: gpd.GeoDataFrame
    celah: gpd.GeoDataFrame
    sliver: gpd.GeoDataFrame
    ringkasan: dict = field(default_factory=dict)
    lingkungan: gpd.GeoDataFrame = field(
        default_factory=lambda: gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326))
    )
    seconds: dict = field(default_factory=dict, compare=False)

    def __setstate__(self, state: dict) -> None:
        """Unpickle, also a result pickled by an older version (fields added since get defaults)."""
        state = dict(state)
        state.setdefault("seconds", {})
        state.setdefault("lingkungan", gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326)))
        self.__dict__.update(state)

    def __repr__(self) -> str:
        r = self.ringkasan
        return (
            f"CityResult({self.kode!r}, {self.nama!r}, kelurahan={len(self.kelurahan)}, "
            f"kumuh_ha={r.get('kumuh_ha', float('nan')):.2f}, "
            f"tumpang_tindih_ha={r.get('tumpang_tindih_ha', float('nan')):.2f}, "
            f"celah_ha={r.get('celah_ha', float('nan')):.2f})"
        )

    @property
    def table(self) -> pd.DataFrame:
        """The per-kelurahan table without geometry."""
        return pd.DataFrame(self.kelurahan.drop(columns="geometry"))


def example_result() -> CityResult:
    """A tiny two-kelurahan city (Kota Contoh) for examples and doctests.

    Returns
    -------
    CityResult
        Two 0.01° kelurahan, one NSUP location, one slum without program.

    Examples
    --------
    >>> example_result().nama
    'Kota Contoh'
    """
    from shapely import box

    a, b = box(110.40, -6.91, 110.41, -6.90), box(110.41, -6.91, 110.42, -6.90)
    kel = gpd.GeoDataFrame(
        {
            "kode": ["33.74.01.1001", "33.74.01.1002"],
            "kelurahan": ["Satu", "Dua"],
            "kecamatan": ["Kec A", "Kec A"],
            "kabkota": ["Kota Contoh"] * 2,
            "luas_ha": [121.0, 121.0],
            "program": ["NSUP", ""],
            "status": ["NSUP", schema.STATUS_GAP],
            "kumuh_ha": [10.0, 5.0],
            "tercakup_ha": [10.0, 0.0],
            "tumpang_tindih_ha": [0.0, 0.0],
            "celah_ha": [0.0, 5.0],
            "sliver_ha": [0.0, 0.0],
            "metode_cocok": ["kode", "nama"],
            "wk_nsup_ha": [121.0, 0.0],
        },
        geometry=[a, b],
        crs=4326,
    )
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=4326))
    kumuh = gpd.GeoDataFrame(
        {
            "tingkat": ["kumuh ringan", "kumuh berat"],
            "luas_ha": [10.0, 5.0],
            "baris_sumber": [1, 2],
            "kode": ["33.74.01.1001", "33.74.01.1002"],
            "kelurahan": ["Satu", "Dua"],
        },
        geometry=[box(110.402, -6.908, 110.405, -6.905), box(110.412, -6.908, 110.414, -6.906)],
        crs=4326,
    )
    return CityResult(
        "33.74",
        "Kota Contoh",
        ("NSUP",),
        kel,
        empty,
        kumuh,
        empty,
        empty,
        empty,
        {"jumlah_kelurahan": 2, "kumuh_ha": 15.0},
    )
