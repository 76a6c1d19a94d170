"""Tests for kotaku_map.codes, .names and .matching: joining tables to kelurahan boundaries."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from realdata import real

from kotaku_map.codes import classify_code, parse_kemendagri_code
from kotaku_map.errors import ConfigError, InputError
from kotaku_map.matching import MATCH_COLUMNS, METHODS, match_table
from kotaku_map.names import normalise_kabkota, normalise_name

STANDARD = {
    "nama": "kelurahan",
    "nama_kec": "kecamatan",
    "nama_kab": "kabkota",
    "kode_kab": "kode_kabkota",
}


def read_boundaries(relative: str, layer: str | None = None) -> pd.DataFrame:
    import pyogrio

    frame = pyogrio.read_dataframe(real(relative), layer=layer, read_geometry=False)
    return frame.rename(columns=STANDARD)[
        ["kode", "kelurahan", "kecamatan", "kabkota", "kode_kabkota"]
    ]


@pytest.fixture(scope="module")
def jateng() -> pd.DataFrame:
    """Every desa/kelurahan of Jawa Tengah: Kota and Kabupaten Semarang and Pekalongan."""
    return read_boundaries("boundaries/desa_kel_33_prov_jawa_tengah.gpkg", layer="desa_kel")


@pytest.fixture(scope="module")
def pekalongan() -> pd.DataFrame:
    return read_boundaries("boundaries/kel_3375_kota_pekalongan.geojson")


@pytest.fixture()
def small() -> pd.DataFrame:
    """Hand-made boundaries: the same name in two kecamatan, a near-twin pair, no NA."""
    return pd.DataFrame(
        {
            "kode": [
                "33.74.02.1004",
                "33.74.14.1005",
                "35.01.01.2001",
                "35.01.01.2002",
                "33.75.01.1002",
            ],
            "kelurahan": ["Purwosari", "Purwosari", "Sidomulyo", "Sidomulya", "Medono"],
            "kecamatan": ["Semarang Utara", "Mijen", "Donorojo", "Donorojo", "Pekalongan Barat"],
            "kabkota": [
                "Kota Semarang",
                "Kota Semarang",
                "Kabupaten Pacitan",
                "Kabupaten Pacitan",
                "Kota Pekalongan",
            ],
            "kode_kabkota": ["33.74", "33.74", "35.01", "35.01", "33.75"],
        }
    )


# --------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("33.75.01.1002", "33.75.01.1002"),
        ("3375011002", "33.75.01.1002"),
        (3375011002, "33.75.01.1002"),
        (3375011002.0, "33.75.01.1002"),
        (np.int64(3375011002), "33.75.01.1002"),
        ("3375011002.0", "33.75.01.1002"),  # a float written out as text by a CSV export
        ("3.375011002E+09", "33.75.01.1002"),
        (" 33.75.01.1002\t", "33.75.01.1002"),
        ("33 75 01 1002", "33.75.01.1002"),
        ("'3375011002", "33.75.01.1002"),  # Excel's text marker
        ("33.75.1.1002", "33.75.01.1002"),  # lost leading zero of a dotted part
        ("33.1.1.2001", "33.01.01.2001"),
        ("33.1", "33.10"),  # kab code through a float: 33.10 -> 33.1
        (33.1, "33.10"),
        (11.01, "11.01"),
        ("1101", "11.01"),  # undotted: never read as 01.01 (no province starts with 0)
        ("33.75", "33.75"),
        ("33.75.1", "33.75.01"),
        ("337501", "33.75.01"),
        ("33", "33"),
        ("91.03.01.3007", "91.03.01.3007"),  # desa adat: village part 3xxx
    ],
)
def test_parse_kemendagri_code_accepts_and_repairs(value, expected):
    assert parse_kemendagri_code(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        float("nan"),
        pd.NA,
        True,
        "abc",
        "33750401",  # SIM KOTAKU Kode_Kel: 8 digits, no scheme
        "3375010004",  # BPS Medono: village part 0004
        "33.75.01.2",  # village part too short to repair
        "33.75.01.10021",
        "01.01",  # province never starts with 0
        "33.00.01.1002",
        "33.75.00.1002",
        "33.75.01.1000",
        "33.75.010.004",  # BPS dotted
        "375011002",  # 9 digits
    ],
)
def test_parse_kemendagri_code_refuses_what_it_cannot_read(value):
    assert parse_kemendagri_code(value) is None


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("33.75.01.1002", "kemendagri"),
        ("3375011002", "kemendagri"),
        (3375011002.0, "kemendagri"),
        ("33.75.1.1002", "kemendagri"),
        ("337501", "kemendagri"),
        ("33.75", "kemendagri"),
        ("3375030005", "bps"),  # BPS MFD 2018: JENGGOT
        ("3375010004", "bps"),  # BPS MFD 2018: MEDONO
        ("33.75.030.005", "bps"),
        ("3375030", "bps"),  # BPS kecamatan (7 digits)
        ("33750401", "unknown"),  # SIM KOTAKU Kode_Kel
        ("abc", "unknown"),
        (None, "unknown"),
        ("0075010004", "unknown"),
    ],
)
def test_classify_code(value, scheme):
    assert classify_code(value) == scheme


@pytest.mark.slow
def test_classify_code_on_real_bps_villages_of_kota_pekalongan():
    path = real("codes/bps_mfd2018/villages.csv")
    bps = pd.read_csv(path, header=None, names=["code", "parent", "name"], dtype=str)
    codes = bps.loc[bps["code"].str.startswith("3375"), "code"]
    assert len(codes) == 27
    assert {classify_code(c) for c in codes} == {"bps"}


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kel. Kricak", "KRICAK"),
        ("Kelurahan Kricak", "kricak"),
        ("Desa Mlilir", "Mlilir"),
        ("Ds. Mlilir", "Mlilir"),
        ("Kel/Desa Mlilir", "Mlilir"),
        ("Tanjung Balai", "Tanjungbalai"),
        ("Tg. Balai", "Tanjungbalai"),
        ("Bau-Bau", "Baubau"),
        ("Sapuro-Kebulen", "Sapuro  Kebulen"),
        ("11 Ulu", "Sebelas Ulu"),
        ("26 Ilir", "Dua Puluh Enam Ilir"),
        ("26 Ilir", "Duapuluh Enam Ilir"),
        ("12 Ulu", "Dua Belas Ulu"),
        ("Sukamaju II", "Sukamaju 2"),
        ("Sukamaju 02", "Sukamaju 2"),
        ("Sei Sikambing", "Sungai Sikambing"),
        ("Ma'rang", "Marang"),
        ("Bénténg", "Benteng"),
    ],
)
def test_normalise_name_equal_variants(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("3-4 Ulu", "34 Ulu"),
        ("Kauman", "Kauman Baru"),
        ("Kota Baru", "Baru"),  # 'Kota' is part of a kelurahan name, not a prefix
    ],
)
def test_normalise_name_keeps_different_names_apart(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_normalise_name_levels_strip_their_own_prefixes():
    assert normalise_name("Kec. Pekalongan Barat", level="kecamatan") == "pekalonganbarat"
    assert normalise_name("Kecamatan Pekalongan Barat", level="kecamatan") == "pekalonganbarat"
    assert normalise_name("Kodya Pekalongan", level="kabkota") == "pekalongan"
    assert normalise_name("Kelurahan", level="kelurahan") == "kelurahan"  # nothing left: keep
    assert normalise_name(None) == ""
    assert normalise_name(float("nan")) == ""


def test_normalise_name_rejects_unknown_level():
    with pytest.raises(ValueError, match=r"level was 'desa' but is expected to be in"):
        normalise_name("Kricak", level="desa")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kota Pekalongan", ("kota", "pekalongan")),
        ("Kabupaten Pekalongan", ("kabupaten", "pekalongan")),
        ("KAB. PEKALONGAN", ("kabupaten", "pekalongan")),
        ("Kab Semarang", ("kabupaten", "semarang")),
        ("Kodya Semarang", ("kota", "semarang")),
        ("Kotamadya Semarang", ("kota", "semarang")),
        ("Kota Adm. Jakarta Pusat", ("kota", "jakartapusat")),
        ("Kabupaten Kotabaru", ("kabupaten", "kotabaru")),
        ("Semarang", (None, "semarang")),
        (None, (None, "")),
    ],
)
def test_normalise_kabkota_keeps_kota_and_kabupaten_apart(name, expected):
    assert normalise_kabkota(name) == expected


# --------------------------------------------------------------------------- match_table: shape


def test_match_table_output_columns_index_and_input_untouched(small):
    table = pd.DataFrame({"kel": ["Medono", "Medono", "Xyz"]}, index=[7, 7, 9])
    before = table.copy()
    out = match_table(table, small, name="kel")
    assert tuple(out.columns) == MATCH_COLUMNS
    assert out.index.tolist() == [7, 7, 9]
    pd.testing.assert_frame_equal(table, before)
    assert out["metode"].tolist() == ["nama", "nama", "tidak cocok"]
    assert set(out["metode"]) <= set(METHODS)
    assert out["skor"].dtype == "float64"
    assert out["kode"].isna().tolist() == [False, False, True]
    assert out.loc[9, "catatan"].startswith("tidak ada nama mirip")


# --------------------------------------------------------------------------- real cases


@pytest.mark.slow
def test_real_yogyakarta_baseline_all_33_match_the_right_kelurahan():
    table = pd.read_csv(real("kumuh/yogyakarta_baseline_2017_33kel.csv"))
    bnd = read_boundaries("boundaries/kel_3471_kota_yogyakarta.geojson")
    out = match_table(table, bnd, name="kelurahan", source="yogyakarta_baseline_2017_33kel.csv")
    assert len(out) == 33
    assert out["kode"].notna().all()
    assert out["kode"].is_unique
    by_name = dict(zip(table["kelurahan"], out["kode"], strict=True))
    # the rows as published with typos, checked by hand against the boundaries
    assert by_name["Keluraha Karangwaru"] == "34.71.01.1002"  # Karangwaru, Tegalrejo
    assert by_name["BKeluranan Suryatmajan"] == "34.71.04.1001"  # Suryatmajan, Danurejan
    assert by_name["Tegal Panggung"] == "34.71.04.1002"  # Tegalpanggung, Danurejan
    methods = dict(zip(table["kelurahan"], out["metode"], strict=True))
    assert methods["Keluraha Karangwaru"] == "fuzzy"
    assert methods["BKeluranan Suryatmajan"] == "fuzzy"
    assert methods["Tegal Panggung"] == "nama_normal"
    assert out["metode"].value_counts().to_dict() == {"nama": 30, "fuzzy": 2, "nama_normal": 1}
    # every other row carries the exact boundary name
    exact = out["metode"] == "nama"
    assert (table.loc[exact, "kelurahan"] == out.loc[exact, "kelurahan_cocok"]).all()


@pytest.mark.slow
def test_real_yogyakarta_typo_suryamatjan_matches_suryatmajan():
    bnd = read_boundaries("boundaries/kel_3471_kota_yogyakarta.geojson")
    out = match_table(pd.DataFrame({"kel": ["Suryamatjan"]}), bnd, name="kel")
    assert out.loc[0, "kode"] == "34.71.04.1001"
    assert out.loc[0, "metode"] == "fuzzy"
    assert out.loc[0, "skor"] == pytest.approx(90.9, abs=0.1)
    assert out.loc[0, "kandidat"].startswith("Suryatmajan (Danurejan, 34.71.04.1001) 90.9")


PEKALONGAN_CODES = {
    "Podosugih": "33.75.01.1003",
    "Medono": "33.75.01.1002",
    "Tirto": "33.75.01.1009",
    "Pringrejo": "33.75.01.1012",
    "Bendan Kergon": "33.75.01.1006",
    "Pasir Kraton Kramat": "33.75.01.1008",
    "Sapuro Kebulen": "33.75.01.1004",
    "Jenggot": "33.75.04.1004",
    "Kuripan Yosorejo": "33.75.04.1008",
    "Sokoduwet": "33.75.04.1010",
    "Kuripan Kertoharjo": "33.75.04.1006",
    "Buaran Kradenan": "33.75.04.1003",
    "Banyurip": "33.75.04.1002",
    "Klego": "33.75.02.1008",
    "Poncol": "33.75.02.1007",
    "Gamer": "33.75.02.1009",
    "Kauman": "33.75.02.1004",
    "Noyontaansari": "33.75.02.1002",
    "Kali Baros": "33.75.02.1012",
    "Setono": "33.75.02.1010",
    "Bandengan": "33.75.03.1009",
    "Degayu": "33.75.03.1007",
    "Kandang Panjang": "33.75.03.1003",
    "Panjang Wetan": "33.75.03.1004",
    "Panjang Baru": "33.75.03.1010",
    "Padukuhan Kraton": "33.75.03.1006",
    "Krapyak": "33.75.03.1002",
}


@pytest.mark.slow
def test_real_pekalongan_kawasan_sheet_all_27_match(pekalongan):
    path = real("kumuh/pekalongan_kumuh.xlsx")
    sheet = pd.read_excel(path, sheet_name="kawasan")  # first row is the header, no title rows
    assert len(sheet) == 27
    out = match_table(
        sheet, pekalongan, name="kawasan", kecamatan="wilayah", source=path.name, layer="kawasan"
    )
    assert out["kode"].tolist() == [PEKALONGAN_CODES[k] for k in sheet["kawasan"]]
    assert out["metode"].value_counts().to_dict() == {"nama": 26, "nama_normal": 1}
    assert (
        out.loc[sheet["kawasan"] == "Pasir Kraton Kramat", "kelurahan_cocok"].item()
        == "Pasirkratonkramat"
    )


@pytest.mark.slow
def test_real_pekalongan_simkotaku_rt_layer_falls_back_to_names_per_kecamatan(pekalongan):
    import pyogrio

    path = real("kumuh/pekalongan_rt_kumuh_simkotaku2020.geojson")
    rt = pyogrio.read_dataframe(path, read_geometry=False)
    assert len(rt) == 438
    assert classify_code(rt["Kode_Kel"].iloc[0]) == "unknown"
    out = match_table(
        rt, pekalongan, code="Kode_Kel", name="Kelurahan", kecamatan="Kecamatan", source=path.name
    )
    assert out["kode"].notna().all()
    assert out["catatan"].str.contains("bukan kode Kemendagri").all()
    assert (out["metode"] != "kode").all()
    assert out["metode"].value_counts().to_dict() == {"nama": 350, "nama_normal": 83, "fuzzy": 5}
    pairs = dict(zip(rt["Kelurahan"], out["kode"], strict=True))
    assert pairs["Sekoduwet"] == "33.75.04.1010"  # Sokoduwet
    assert pairs["Noyotaansari"] == "33.75.02.1002"  # Noyontaansari
    assert pairs["Kalibaros"] == "33.75.02.1012"  # Kali Baros
    assert pairs["Pasir Kraton Kramat"] == "33.75.01.1008"
    # every kelurahan lies in the kecamatan the row says
    kec = dict(zip(pekalongan["kode"], pekalongan["kecamatan"], strict=True))
    assert (out["kode"].map(kec).to_numpy() == rt["Kecamatan"].to_numpy()).all()


# --------------------------------------------------------------------------- hard cases


@pytest.mark.slow
def test_same_name_in_two_kecamatan_needs_the_kecamatan(jateng):
    table = pd.DataFrame(
        {
            "kel": ["Purwosari", "Purwosari", "Purwosari", "Mangunharjo"],
            "kec": ["Semarang Utara", "Kec. Mijen", None, "Tugu"],
            "kota": ["Kota Semarang"] * 4,
        }
    )
    out = match_table(table, jateng, name="kel", kecamatan="kec", kabkota="kota")
    assert out["kode"].tolist()[:2] == ["33.74.02.1004", "33.74.14.1005"]
    assert out.loc[3, "kode"] == "33.74.16.1007"
    assert out.loc[2, "metode"] == "ambigu"
    assert pd.isna(out.loc[2, "kode"]) and pd.isna(out.loc[2, "kelurahan_cocok"])
    assert "33.74.02.1004" in out.loc[2, "kandidat"] and "33.74.14.1005" in out.loc[2, "kandidat"]
    assert "ada di 2 kelurahan" in out.loc[2, "catatan"]


def test_same_name_without_any_parent_is_ambiguous(small):
    out = match_table(pd.DataFrame({"kel": ["Purwosari"]}), small, name="kel")
    assert out.loc[0, "metode"] == "ambigu"
    assert "beri kecamatan" in out.loc[0, "catatan"]


@pytest.mark.slow
def test_kota_and_kabupaten_of_the_same_name_never_cross(jateng):
    table = pd.DataFrame(
        {
            "kel": ["Kauman", "Kauman", "Kauman", "Rowosari", "Rowosari", "Mlilir"],
            "kab": [
                "Kota Pekalongan",
                "KAB. PEKALONGAN",
                "Pekalongan",
                "Kota Semarang",
                "Kabupaten Semarang",
                "Semarang",
            ],
        }
    )
    out = match_table(table, jateng, name="kel", kabkota="kab")
    assert out["kode"].tolist()[:2] == ["33.75.02.1004", "33.26.16.2016"]
    assert out.loc[2, "metode"] == "ambigu"  # Kauman is in both Kota and Kabupaten Pekalongan
    assert "tanpa 'Kota'/'Kabupaten'" in out.loc[2, "catatan"]
    assert out["kode"].tolist()[3:5] == ["33.74.10.1002", "33.22.06.2003"]
    assert out.loc[5, "kode"] == "33.22.20.2001"  # Mlilir only exists in Kabupaten Semarang


@pytest.mark.slow
def test_kabkota_given_as_code_restricts_the_candidates(jateng):
    out = match_table(
        pd.DataFrame({"kel": ["Kauman"], "kab": ["33.75"]}), jateng, name="kel", kabkota="kab"
    )
    assert out.loc[0, "kode"] == "33.75.02.1004"


@pytest.mark.slow
def test_unknown_kabkota_is_reported_and_not_matched(pekalongan):
    out = match_table(
        pd.DataFrame({"kel": ["Medono"], "kab": ["Kota Surabaya"]}),
        pekalongan,
        name="kel",
        kabkota="kab",
    )
    assert out.loc[0, "metode"] == "tidak cocok"
    assert out.loc[0, "catatan"] == "kab/kota 'Kota Surabaya' tidak ada di batas wilayah"


@pytest.mark.slow
def test_kota_given_where_only_the_kabupaten_exists_is_not_matched(jateng):
    out = match_table(
        pd.DataFrame({"kel": ["Mlilir"], "kab": ["Kota Semarang"]}),
        jateng,
        name="kel",
        kabkota="kab",
    )
    assert out.loc[0, "metode"] == "tidak cocok"  # Mlilir is in Kabupaten Semarang


@pytest.mark.slow
def test_bps_codes_are_never_joined_on_digits(pekalongan):
    path = real("codes/bps_mfd2018/villages.csv")
    bps = pd.read_csv(path, header=None, names=["code", "parent", "name"], dtype=str)
    table = bps[bps["code"].str.startswith("3375")].reset_index(drop=True)
    out = match_table(table, pekalongan, code="code", name="name", source=path.name)
    assert (out["metode"] != "kode").all()
    assert out["catatan"].str.contains("kode BPS, bukan Kemendagri").all()
    assert out["kode"].notna().all()
    jenggot = table.index[table["name"] == "JENGGOT"][0]
    assert table.loc[jenggot, "code"] == "3375030005"  # BPS kecamatan 030 is Pekalongan Selatan
    assert out.loc[jenggot, "kode"] == "33.75.04.1004"  # and Kemendagri 04 is Pekalongan Selatan


@pytest.mark.slow
def test_bps_code_that_is_also_a_kemendagri_code_is_caught_by_the_name(jateng):
    # BPS 3322101001 is MLILIR; Kemendagri 33.22.10.1001 is Ngampin (another village)
    table = pd.DataFrame(
        {"kode": ["3322101001"], "nama": ["MLILIR"], "kab": ["Kabupaten Semarang"]}
    )
    out = match_table(table, jateng, code="kode", name="nama", kabkota="kab")
    assert out.loc[0, "kode"] == "33.22.20.2001"
    assert out.loc[0, "metode"] == "nama"  # exact is case-insensitive
    assert (
        "kode 33.22.10.1001 milik 'Ngampin', bukan 'MLILIR': kode diabaikan"
        in out.loc[0, "catatan"]
    )


@pytest.mark.slow
def test_a_column_of_bps_codes_is_read_as_bps_even_without_names(jateng):
    path = real("codes/bps_mfd2018/villages.csv")
    bps = pd.read_csv(path, header=None, names=["code", "parent", "name"], dtype=str)
    table = bps[bps["code"].str.startswith("3322")].reset_index(drop=True)
    assert table["code"].isin(jateng["kode"].str.replace(".", "", regex=False)).any()  # collisions
    out = match_table(table, jateng, code="code")
    assert (out["metode"] == "tidak cocok").all()
    assert out["catatan"].str.contains("kode BPS").all()


@pytest.mark.slow
@pytest.mark.parametrize(
    "code",
    [
        "33.75.01.1002",
        "3375011002",
        3375011002,
        3375011002.0,
        "3375011002.0",
        " 33.75.01.1002 ",
        "33.75.1.1002",
    ],
)
def test_mangled_kemendagri_codes_match_by_code(pekalongan, code):
    table = pd.DataFrame({"kode": pd.Series([code], dtype=object)})
    out = match_table(table, pekalongan, code="kode")
    assert out.loc[0, "kode"] == "33.75.01.1002"
    assert out.loc[0, "metode"] == "kode"
    assert out.loc[0, "skor"] == 100.0


@pytest.mark.slow
def test_repaired_dotted_code_is_reported(pekalongan):
    out = match_table(pd.DataFrame({"kode": ["33.75.1.1002"]}), pekalongan, code="kode")
    assert out.loc[0, "catatan"] == "kode '33.75.1.1002' dibaca sebagai 33.75.01.1002"


@pytest.mark.slow
def test_code_from_another_edition_is_reported_and_falls_back_to_the_name(pekalongan):
    table = pd.DataFrame({"kode": ["33.75.01.1099", "33.75.01.1099"], "nama": ["Medono", None]})
    out = match_table(table, pekalongan, code="kode", name="nama")
    assert out.loc[0, "kode"] == "33.75.01.1002"
    assert out.loc[0, "metode"] == "nama"
    assert out.loc[0, "catatan"] == "kode 33.75.01.1099 tidak ada di batas wilayah (edisi lain?)"
    assert out.loc[1, "metode"] == "tidak cocok"
    assert "nama kosong" in out.loc[1, "catatan"]


@pytest.mark.slow
def test_code_level_above_kelurahan_is_reported(pekalongan):
    out = match_table(pd.DataFrame({"kode": ["33.1"]}), pekalongan, code="kode")
    assert out.loc[0, "metode"] == "tidak cocok"
    assert "kode 33.10 adalah kode kab/kota, bukan kelurahan" in out.loc[0, "catatan"]


@pytest.mark.slow
def test_code_contradicting_the_name_is_not_trusted(pekalongan):
    table = pd.DataFrame({"kode": ["33.75.01.1002"], "nama": ["Tirto"]})
    out = match_table(table, pekalongan, code="kode", name="nama")
    assert out.loc[0, "kode"] == "33.75.01.1009"
    assert "milik 'Medono', bukan 'Tirto'" in out.loc[0, "catatan"]


@pytest.mark.slow
def test_code_outside_the_given_kecamatan_is_not_trusted(pekalongan):
    table = pd.DataFrame({"kode": ["33.75.01.1002"], "kec": ["Pekalongan Utara"]})
    out = match_table(table, pekalongan, code="kode", kecamatan="kec")
    assert out.loc[0, "metode"] == "tidak cocok"
    assert "di luar kecamatan/kab-kota baris ini" in out.loc[0, "catatan"]


@pytest.mark.slow
def test_boundaries_without_codes_still_match_names(pekalongan):
    bnd = pekalongan.assign(kode=pd.NA)
    out = match_table(
        pd.DataFrame({"k": ["33.75.01.1002"], "n": ["Medono"]}), bnd, code="k", name="n"
    )
    assert out.loc[0, "metode"] == "nama"
    assert out.loc[0, "kelurahan_cocok"] == "Medono"
    assert pd.isna(out.loc[0, "kode"])
    assert "batas wilayah tanpa kode" in out.loc[0, "catatan"]


def test_fuzzy_near_tie_is_ambiguous_with_candidates(small):
    out = match_table(pd.DataFrame({"kel": ["Sidomuly"]}), small, name="kel")
    assert out.loc[0, "metode"] == "ambigu"
    assert pd.isna(out.loc[0, "kode"])
    first, second, _ = out.loc[0, "kandidat"].split("; ")  # up to 3, best first
    assert {first, second} == {
        "Sidomulyo (Donorojo, 35.01.01.2001) 94.1",
        "Sidomulya (Donorojo, 35.01.01.2002) 94.1",
    }
    assert "sama mirip dengan dua kelurahan (94.1 dan 94.1)" in out.loc[0, "catatan"]


def test_a_score_is_compared_at_the_precision_it_is_shown_with(small):
    # "Sidomulxo" against "Sidomulyo": rapidfuzz gives 88.888..., shown as 88.9: a threshold
    # of 88.9 accepts it, 89 does not, and the note says "88.9 < 89", never "89 < 89"
    table = pd.DataFrame({"kel": ["Sidomulxo"], "kec": ["Donorojo"]})
    out = match_table(table, small, name="kel", kecamatan="kec", threshold=89)
    assert out.loc[0, "skor"] == 88.9
    assert out.loc[0, "catatan"] == "tidak ada nama mirip (skor terbaik 88.9 < 89)"


@pytest.mark.slow
def test_fuzzy_below_threshold_is_unmatched_with_candidates(pekalongan):
    table = pd.DataFrame({"kel": ["Sekoduwet"], "kec": ["Pekalongan Selatan"]})
    out = match_table(table, pekalongan, name="kel", kecamatan="kec", threshold=95)
    assert out.loc[0, "metode"] == "tidak cocok"
    assert out.loc[0, "skor"] == pytest.approx(88.9, abs=0.1)
    assert out.loc[0, "kandidat"].startswith("Sokoduwet (Pekalongan Selatan, 33.75.04.1010) 88.9")
    assert out.loc[0, "catatan"] == "tidak ada nama mirip (skor terbaik 88.9 < 95)"


@pytest.mark.slow
def test_kecamatan_typo_is_matched_fuzzily_first(pekalongan):
    table = pd.DataFrame({"kel": ["Kauman"], "kec": ["Pekalongan Timr"]})
    out = match_table(table, pekalongan, name="kel", kecamatan="kec")
    assert out.loc[0, "kode"] == "33.75.02.1004"
    assert out.loc[0, "metode"] == "nama"
    assert "kecamatan 'Pekalongan Timr' dibaca sebagai 'Pekalongan Timur'" in out.loc[0, "catatan"]


@pytest.mark.slow
def test_unknown_kecamatan_falls_back_to_the_kabkota_and_says_so(pekalongan):
    table = pd.DataFrame({"kel": ["Kauman"], "kec": ["Batang"]})
    out = match_table(table, pekalongan, name="kel", kecamatan="kec")
    assert out.loc[0, "kode"] == "33.75.02.1004"
    assert (
        "kecamatan 'Batang' tidak ada di batas wilayah: dicocokkan tanpa kecamatan"
        in out.loc[0, "catatan"]
    )


@pytest.mark.slow
def test_overrides_win_and_are_validated(pekalongan):
    table = pd.DataFrame({"kel": ["Kampung Arab", "kampung  ARAB", "Medono"]})
    out = match_table(table, pekalongan, name="kel", overrides={"Kampung Arab": "33.75.02.1004"})
    assert out["metode"].tolist() == ["manual", "manual", "nama"]
    assert out["kode"].tolist() == ["33.75.02.1004", "33.75.02.1004", "33.75.01.1002"]
    assert out.loc[0, "catatan"] == "ditetapkan manual (overrides)"
    with pytest.raises(InputError, match=r"t\.csv: override 'Kampung Arab' -> '33\.75\.09\.1001'"):
        match_table(
            table,
            pekalongan,
            name="kel",
            source="t.csv",
            overrides={"Kampung Arab": "33.75.09.1001"},
        )


# --------------------------------------------------------------------------- errors


def test_match_table_needs_a_code_or_a_name_column(small):
    with pytest.raises(
        ConfigError, match=r"^kawasan\.csv: match_table needs a code column or a name"
    ):
        match_table(pd.DataFrame({"a": [1]}), small, source="kawasan.csv")


def test_overrides_need_a_name_column(small):
    with pytest.raises(ConfigError, match=r"overrides map names to codes, so they need name="):
        match_table(pd.DataFrame({"k": ["33.75.01.1002"]}), small, code="k", overrides={"x": "y"})


def test_threshold_outside_0_100_is_a_config_error(small):
    with pytest.raises(ConfigError, match=r"threshold was 120 but is expected in 0-100"):
        match_table(pd.DataFrame({"k": ["x"]}), small, name="k", threshold=120)


def test_missing_column_names_source_layer_and_suggests_the_closest(small):
    table = pd.DataFrame({"Kelurahan": ["Medono"], "Kecamatan": ["Pekalongan Barat"]})
    with pytest.raises(
        InputError,
        match=r"^kumuh\.xlsx, layer 'kawasan', column 'kelurahan': column not found; "
        r"the table has \['Kelurahan', 'Kecamatan'\]; did you mean 'Kelurahan'\?",
    ):
        match_table(table, small, name="kelurahan", source="kumuh.xlsx", layer="kawasan")
    with pytest.raises(
        InputError, match=r"column 'kecamtan': column not found.*did you mean 'Kecamatan'"
    ):
        match_table(table, small, name="Kelurahan", kecamatan="kecamtan")


def test_boundaries_without_the_needed_columns_are_an_input_error(small):
    with pytest.raises(InputError, match=r"^boundaries: column\(s\) \['kecamatan'\] not found"):
        match_table(
            pd.DataFrame({"k": ["Medono"], "c": ["x"]}),
            small.drop(columns="kecamatan"),
            name="k",
            kecamatan="c",
        )


# --------------------------------------------------------------------------- scale


@pytest.mark.slow
def test_match_table_scales_to_a_province(jateng):
    rng = np.random.default_rng(0)
    table = jateng.sample(20_000, replace=True, random_state=1).reset_index(drop=True)
    typo = rng.random(len(table)) < 0.05
    table.loc[typo, "kelurahan"] = [s[:-1] + "x" for s in table.loc[typo, "kelurahan"]]
    start = time.perf_counter()
    out = match_table(table, jateng, name="kelurahan", kecamatan="kecamatan", kabkota="kabkota")
    elapsed = time.perf_counter() - start
    assert elapsed < 20
    wrong = out["kode"].notna() & (out["kode"] != table["kode"])
    assert wrong.sum() <= len(table) * 0.001
    assert (out["kode"] == table["kode"]).mean() > 0.95
