"""The public API: what `import kotaku_map` offers, and that it is what `__all__` says."""

import inspect

import kotaku_map as km


def test_all_is_sorted_and_exactly_the_public_names():
    public = {
        name
        for name, obj in vars(km).items()
        if not name.startswith("_") and not inspect.ismodule(obj) and name != "annotations"
    }
    assert km.__all__ == sorted(km.__all__)
    assert set(km.__all__) == public


def test_every_public_function_has_a_numpy_docstring():
    for name in km.__all__:
        obj = getattr(km, name)
        assert obj.__doc__ and obj.__doc__.strip(), name


def test_five_lines_on_the_demo(tmp_path):
    result = km.build(km.make_demo(tmp_path / "demo"), write=False)
    kota = result.cities[0]
    assert kota.nama == "Kota Contoh (FIKTIF)"
    assert set(kota.kelurahan["status"]) >= {"NSUP", "NUSP-2", "NSUP + NUSP-2"}
    m = km.city_map(kota)
    assert "leaflet" in m.html.lower()
    assert not list((tmp_path).glob("output"))
    written = result.write(tmp_path / "out")
    assert (tmp_path / "out" / "manifest.json") in written


def test_a_sliver_threshold_moves_pieces_between_classes(tmp_path):
    inputs = km.load_inputs(km.load_config(km.make_demo(tmp_path / "demo")))
    strict = km.analyse(
        inputs.kelurahan, inputs.programs, inputs.slum, sliver_width_m=0.0, sliver_area_m2=0.0
    )[0]
    default = km.analyse(inputs.kelurahan, inputs.programs, inputs.slum)[0]
    assert len(strict.sliver) == 0
    assert len(default.sliver) > 0
    assert default.ringkasan["celah_ha"] < strict.ringkasan["celah_ha"]
    assert default.ringkasan["kumuh_ha"] == strict.ringkasan["kumuh_ha"]
