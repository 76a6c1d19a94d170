"""The project config: a valid TOML loads; every mistake names its key."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from kotaku_map.config import (
    DEFAULT_SLIVER_AREA_M2,
    DEFAULT_SLIVER_WIDTH_M,
    Columns,
    Config,
    config_from_dict,
    load_config,
)
from kotaku_map.errors import ConfigError

FULL = """\
title = "Peta keterpaduan Kota Pekalongan"

[boundaries]
path = "batas/kel_3375.geojson"
code = "kode"
kelurahan = "nama"
kecamatan = "nama_kec"
kabkota = "nama_kab"
crs = "EPSG:4326"

[[programs]]
name = "NSUP"
path = "nsup.gpkg"
layer = "lokasi_2017"
kind = "polygons"
year = 2017

[[programs]]
name = "NUSP-2"
path = "nusp2.xlsx"
kind = "table"
sheet = "lokasi"
columns = { code = "kode_kel", kelurahan = "kelurahan", kecamatan = "kecamatan" }

[slum]
path = "/data/sk_kumuh.csv"
kind = "table"
area = "luas_ha"
level = "tingkat"
columns = { kelurahan = "kelurahan" }

[analysis]
sliver_width_m = 3
sliver_area_m2 = 50.5
assume_crs = "EPSG:4326"
fuzzy_threshold = 90
overrides = { "Kraton Lor" = "33.75.01.1001" }

[output]
dir = "keluaran"
lang = "en"
maps = false
"""

MINIMAL = {
    "boundaries": {"path": "kel.geojson"},
    "programs": [{"name": "NSUP", "path": "nsup.geojson"}],
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "proyek" / "kotaku.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def with_(**changes) -> dict:
    data = copy.deepcopy(MINIMAL)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for p in parents:
            node = node[int(p)] if p.isdigit() else node.setdefault(p, {})
        node[last] = value
    return data


def test_full_config_loads_with_paths_relative_to_its_folder(tmp_path):
    path = write(tmp_path, FULL)
    cfg = load_config(path)
    base = path.parent
    assert isinstance(cfg, Config)
    assert cfg.path == path
    assert cfg.title == "Peta keterpaduan Kota Pekalongan"
    assert cfg.boundaries.path == base / "batas" / "kel_3375.geojson"
    assert cfg.boundaries.kecamatan == "nama_kec"
    nsup, nusp = cfg.programs
    assert (nsup.name, nsup.path, nsup.layer, nsup.kind, nsup.year) == (
        "NSUP",
        base / "nsup.gpkg",
        "lokasi_2017",
        "polygons",
        2017,
    )
    assert (nusp.kind, nusp.sheet) == ("table", "lokasi")
    assert nusp.columns == Columns(code="kode_kel", kelurahan="kelurahan", kecamatan="kecamatan")
    assert cfg.slum is not None
    assert (cfg.slum.name, cfg.slum.path, cfg.slum.area) == (
        "kumuh",
        Path("/data/sk_kumuh.csv"),
        "luas_ha",
    )
    assert cfg.analysis.sliver_width_m == 3.0 and isinstance(cfg.analysis.sliver_width_m, float)
    assert cfg.analysis.sliver_area_m2 == 50.5
    assert cfg.analysis.overrides == {"Kraton Lor": "33.75.01.1001"}
    assert cfg.output.dir == base / "keluaran"
    assert (cfg.output.lang, cfg.output.maps, cfg.output.xlsx) == ("en", False, True)
    assert cfg.to_dict()["programs"][1]["columns"]["code"] == "kode_kel"


def test_output_dir_argument_overrides_the_config(tmp_path):
    cfg = load_config(write(tmp_path, FULL), output_dir=tmp_path / "lain")
    assert cfg.output.dir == tmp_path / "lain"


def test_defaults():
    cfg = config_from_dict(MINIMAL, base="/proyek")
    assert cfg.analysis.sliver_width_m == DEFAULT_SLIVER_WIDTH_M == 5.0
    assert cfg.analysis.sliver_area_m2 == DEFAULT_SLIVER_AREA_M2 == 100.0
    assert cfg.analysis.assume_crs is None
    assert cfg.output.dir == Path("output")
    assert cfg.programs[0].kind == "polygons"
    assert cfg.programs[0].path == Path("/proyek/nsup.geojson")
    assert cfg.boundaries.code == "kode" and cfg.boundaries.kelurahan == "nama"
    assert cfg.slum is None


def test_config_with_bom_loads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_text(FULL, encoding="utf-8-sig")  # Notepad's "UTF-8"
    assert load_config(path).title == "Peta keterpaduan Kota Pekalongan"


def test_slum_only_config_is_enough():
    cfg = config_from_dict({"boundaries": {"path": "k.gpkg"}, "slum": {"path": "s.gpkg"}})
    assert cfg.programs == () and cfg.slum is not None and cfg.slum.name == "kumuh"


@pytest.mark.parametrize(
    "data,match",
    [
        (
            {**MINIMAL, "sliver": 1},
            r"unknown key 'sliver' in the config; expected one of \['analysis', 'boundaries'",
        ),
        (
            {**MINIMAL, "progams": []},
            r"unknown key 'progams' in the config \(did you mean 'programs'\?\)",
        ),
        (
            with_(programs__0__colums={"code": "k"}),
            r"unknown key 'programs\[0\]\.colums' in the config \(did you mean 'columns'\?\)",
        ),
        (
            with_(programs__0__columns={"kode": "k"}),
            r"unknown key 'programs\[0\]\.columns\.kode' in the config \(did you mean 'code'\?\)",
        ),
        (
            with_(analysis__sliver_widht_m=3),
            r"unknown key 'analysis\.sliver_widht_m' .*did you mean 'sliver_width_m'",
        ),
        (
            with_(analysis__sliver_width_m="5"),
            r"key 'analysis\.sliver_width_m' must be a number, got str '5'",
        ),
        (
            with_(programs__0__path=5),
            r"key 'programs\[0\]\.path' must be a path \(string\), got int 5",
        ),
        (
            with_(programs__0__year=True),
            r"key 'programs\[0\]\.year' must be an integer, got bool True",
        ),
        (with_(output__maps="ya"), r"key 'output\.maps' must be true or false, got str 'ya'"),
        (with_(output__atlas="ya"), r"key 'output\.atlas' must be true or false, got str 'ya'"),
        (
            with_(output__paper="A5"),
            r"key 'output\.paper' was 'A5' but is expected to be in \['A4', 'A3'\]",
        ),
        (
            with_(output__orientation="tegak"),
            r"key 'output\.orientation' was 'tegak' but is expected to be in "
            r"\['landscape', 'portrait'\]",
        ),
        (
            with_(output__dpi=30),
            r"key 'output\.dpi' must be a number between 72 and 600, got 30",
        ),
        (with_(output__dpi=150.5), r"key 'output\.dpi' must be an integer, got float 150\.5"),
        (
            with_(programs__0__kind="polygon"),
            r"key 'programs\[0\]\.kind' was 'polygon' but is expected to be in "
            r"\['polygons', 'table'\]",
        ),
        (
            with_(output__lang="jv"),
            r"key 'output\.lang' was 'jv' but is expected to be in \['id', 'en'\]",
        ),
        ({"programs": MINIMAL["programs"]}, r"missing section \[boundaries\]"),
        (
            {"boundaries": {"layer": "kel"}, "programs": MINIMAL["programs"]},
            r"missing key 'boundaries\.path'",
        ),
        (with_(programs=[{"name": "NSUP"}]), r"missing key 'programs\[0\]\.path'"),
        (with_(programs=[{"path": "a.gpkg"}]), r"missing key 'programs\[0\]\.name'"),
        (
            with_(programs={"name": "NSUP", "path": "a.gpkg"}),
            r"key 'programs' must be an array of tables \(\[\[programs\]\]\), got dict",
        ),
        (with_(programs=["nsup.gpkg"]), r"key 'programs\[0\]' must be a table, got str"),
        (
            with_(
                programs=[{"name": "NSUP", "path": "a.gpkg"}, {"name": "NSUP", "path": "b.gpkg"}]
            ),
            r"key 'programs\[1\]\.name' is 'NSUP', the same name as programs\[0\]\.name 'NSUP'; "
            r"program names must be unique",
        ),
        (
            with_(programs=[{"name": "NUSP-2", "path": "a.gpkg"}, {"name": "nusp 2", "path": "b"}]),
            r"key 'programs\[1\]\.name' is 'nusp 2', a name that differs only in case",
        ),
        (with_(programs=[{"name": " ", "path": "a.gpkg"}]), r"key 'programs\[0\]\.name' is empty"),
        (
            {"boundaries": {"path": "k.gpkg"}, "programs": []},
            r"the config references no program and no slum layer: "
            r"add \[\[programs\]\] and/or \[slum\]",
        ),
        ({"boundaries": {"path": "k.gpkg"}}, r"the config references no program and no slum layer"),
        (
            with_(slum={"path": "s.csv", "kind": "table", "columns": {"kelurahan": "kel"}}),
            r"key 'slum\.area' is required when slum\.kind = 'table'",
        ),
        (
            with_(slum={"path": "s.csv", "kind": "table", "area": "luas"}),
            r"key 'slum\.columns' needs 'code' or 'kelurahan' when slum\.kind = 'table'",
        ),
        (
            with_(slum={"path": "s.gpkg", "name": "SK Kumuh"}),
            r"key 'slum\.name' was 'SK Kumuh' but the slum layer is always called 'kumuh'",
        ),
        (
            with_(programs=[{"name": "NUSP-2", "path": "a.xlsx", "kind": "table"}]),
            r"key 'programs\[0\]\.columns' needs 'code' or 'kelurahan' for a program given as a "
            r"table \(program 'NUSP-2'\)",
        ),
        (
            with_(
                programs=[
                    {
                        "name": "NUSP-2",
                        "path": "a.xlsx",
                        "kind": "table",
                        "columns": {"kecamatan": "kec"},
                    }
                ]
            ),
            r"key 'programs\[0\]\.columns' needs 'code' or 'kelurahan'",
        ),
        (
            with_(analysis__sliver_width_m=-1),
            r"key 'analysis\.sliver_width_m' must be a number between 0 and 1000, got -1\.0",
        ),
        (
            with_(analysis__sliver_area_m2=-0.5),
            r"key 'analysis\.sliver_area_m2' must be a number between 0 and 1e\+06, got -0\.5",
        ),
        (
            with_(analysis__sliver_area_m2=float("nan")),
            r"key 'analysis\.sliver_area_m2' must be a number between 0 and 1e\+06, got nan",
        ),
        (
            with_(analysis__fuzzy_threshold=150),
            r"key 'analysis\.fuzzy_threshold' must be a number between 0 and 100, got 150\.0",
        ),
        (
            with_(analysis__overrides={"Kraton Lor": 3375011001}),
            r"key 'analysis\.overrides\.Kraton Lor' must be a string "
            r"\(a Kemendagri code\), got int",
        ),
        (
            with_(analysis__overrides=["33.75.01.1001"]),
            r"key 'analysis\.overrides' must be a table of name = code, got list",
        ),
        # numbers that cannot be meant (issue 14): every number has a range
        (
            with_(output__simplify_m=1e9),
            r"key 'output\.simplify_m' must be a number between 0 and 100, got 1000000000\.0",
        ),
        (
            with_(output__overview_simplify_m=float("inf")),
            r"key 'output\.overview_simplify_m' must be a number between 0 and 5000, got inf",
        ),
        (
            with_(output__map_size_budget_mb=-1),
            r"key 'output\.map_size_budget_mb' must be a number between 0 and 10000, got -1\.0",
        ),
        (
            with_(analysis__sliver_width_m=5000),
            r"key 'analysis\.sliver_width_m' must be a number between 0 and 1000, got 5000\.0",
        ),
        (
            with_(analysis__min_presence_ha=1e308),
            r"key 'analysis\.min_presence_ha' must be a number between 0 and 100000, got 1e\+308",
        ),
        (
            with_(programs__0__year=19),
            r"key 'programs\[0\]\.year' must be a number between 1945 and 2100, got 19",
        ),
        (
            with_(slum={"path": "s.gpkg", "year": 20190}),
            r"key 'slum\.year' must be a number between 1945 and 2100, got 20190",
        ),
        (
            with_(slum={"path": "s.gpkg"}, sync={"workbook": "sk.xlsx", "tolerance_pct": -5}),
            r"key 'sync\.tolerance_pct' must be a number between 0 and 1000, got -5\.0",
        ),
        (with_(analysis=5), r"key 'analysis' must be a table, got int"),
        ({**MINIMAL, "title": 3}, r"key 'title' must be a string, got int"),
    ],
)
def test_config_errors_name_the_key(data, match):
    with pytest.raises(ConfigError, match=match):
        config_from_dict(data)


def test_errors_name_the_config_file(tmp_path):
    path = write(tmp_path, FULL.replace('kind = "polygons"', 'kind = "poligon"'))
    with pytest.raises(
        ConfigError,
        match=rf"{path.name}: key 'programs\[0\]\.kind' was "
        r"'poligon' but is expected to be in \['polygons', 'table'\]",
    ):
        load_config(path)


def test_invalid_toml(tmp_path):
    path = write(tmp_path, "[boundaries]\npath = batas.geojson\n")
    with pytest.raises(ConfigError, match=r"kotaku\.toml: not valid TOML: .*line 2"):
        load_config(path)


def test_config_not_utf8(tmp_path):
    path = tmp_path / "cp1252.toml"
    path.write_bytes('title = "Kota Tanjungbalai é"\n'.encode("cp1252"))
    with pytest.raises(ConfigError, match=r"cp1252\.toml: not valid TOML: the file is not UTF-8"):
        load_config(path)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match=r"config file '.*tidak_ada\.toml' does not exist"):
        load_config(tmp_path / "tidak_ada.toml")
    with pytest.raises(ConfigError, match=r"config file '.*' is a folder; expected a \.toml"):
        load_config(tmp_path)


def test_min_presence_defaults_to_zero_and_must_not_be_negative():
    base = {"boundaries": {"path": "k.gpkg"}, "programs": [{"name": "A", "path": "a.gpkg"}]}
    assert config_from_dict(base).analysis.min_presence_ha == 0.0
    with pytest.raises(ConfigError, match=r"analysis\.min_presence_ha"):
        config_from_dict({**base, "analysis": {"min_presence_ha": -1}})


def test_atlas_options_default_off_and_only_an_atlas_build_records_them():
    cfg = config_from_dict(MINIMAL)
    assert (cfg.output.atlas, cfg.output.paper, cfg.output.orientation, cfg.output.dpi) == (
        False,
        "A4",
        "landscape",
        150,
    )
    # a build without the atlas keeps the manifest it had before the atlas existed
    assert not {"atlas", "paper", "orientation", "dpi"} & set(cfg.to_dict()["output"])
    on = config_from_dict(
        with_(
            output__atlas=True, output__paper="A3", output__orientation="portrait", output__dpi=96
        )
    )
    assert {k: on.to_dict()["output"][k] for k in ("atlas", "paper", "orientation", "dpi")} == {
        "atlas": True,
        "paper": "A3",
        "orientation": "portrait",
        "dpi": 96,
    }


def test_slum_lingkungan_columns_one_or_several(tmp_path):
    text = FULL.replace(
        'columns = { kelurahan = "kelurahan" }',
        'columns = { kelurahan = "kelurahan" }\n'
        'lingkungan = { id = ["Kode_Kel", "RW", "RT"], name = "kawasan" }',
    )
    cfg = load_config(write(tmp_path, text))
    assert cfg.slum.lingkungan.id == ("Kode_Kel", "RW", "RT")
    assert cfg.slum.lingkungan.name == ("kawasan",)
    assert cfg.to_dict()["slum"]["lingkungan"]["id"] == ["Kode_Kel", "RW", "RT"]
    # named nowhere: the manifest's config stays as it was before lingkungan existed
    assert "lingkungan" not in load_config(write(tmp_path, FULL)).to_dict()["slum"]


@pytest.mark.parametrize(
    "value, message",
    [
        ("{ id = 3 }", "must be a column name or a list of column names"),
        ('{ id = ["a", ""] }', "must be a column name or a list of column names"),
        ('{ kode = "a" }', "unknown key 'slum.lingkungan.kode'"),
    ],
)
def test_slum_lingkungan_columns_refused(tmp_path, value, message):
    text = FULL.replace(
        'columns = { kelurahan = "kelurahan" }',
        f'columns = {{ kelurahan = "kelurahan" }}\nlingkungan = {value}',
    )
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_config(write(tmp_path, text))


def test_lingkungan_columns_belong_to_slum(tmp_path):
    text = FULL.replace("year = 2017\n", 'year = 2017\nlingkungan = { id = "RT" }\n')
    with pytest.raises(ConfigError, match=r"programs\[0\].lingkungan.*belongs in \[slum\]"):
        load_config(write(tmp_path, text))
