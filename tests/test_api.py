"""The public API: what `import kotaku_map` offers, and that it is what `__all__` says."""

import importlib
import inspect
import pkgutil

import pytest
from numpydoc.validate import validate

import kotaku_map as km


def test_all_is_sorted_and_exactly_the_public_names():
    public = {
        name
        for name, obj in vars(km).items()
        if not name.startswith("_") and not inspect.ismodule(obj) and name != "annotations"
    }
    assert km.__all__ == sorted(km.__all__)
    assert set(km.__all__) == public


# numpydoc.validate checks held to, for every public function, class and method
NUMPYDOC_CHECKS = {
    "GL08": "no docstring",
    "SS01": "no summary",
    "PR01": "a parameter is not documented",
    "PR02": "a documented parameter does not exist",
    "RT01": "no Returns section, but the function returns something",
}


def _public_objects() -> dict[str, object]:
    """Qualified name -> object, for each function and class (and the public methods of each
    class) in the `__all__` of every module of the package, defined in the package; a module
    without `__all__` exports its names without a leading underscore."""
    names = ["kotaku_map"] + [m.name for m in pkgutil.walk_packages(km.__path__, "kotaku_map.")]
    found: dict[str, object] = {}
    for module_name in names:
        module = importlib.import_module(module_name)
        # a module without __all__ (cli, schema) exports its public names
        public = getattr(module, "__all__", [n for n in vars(module) if not n.startswith("_")])
        for name in public:
            obj = getattr(module, name)
            is_function = inspect.isfunction(inspect.unwrap(obj))
            if not (is_function or inspect.isclass(obj)):
                continue  # constants, type aliases, modules
            if not obj.__module__.startswith("kotaku_map"):
                continue
            qualname = f"{obj.__module__}.{obj.__qualname__}"
            found[qualname] = obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(member, (staticmethod, classmethod, property)) or (
                        inspect.isfunction(inspect.unwrap(member))
                    ):
                        found[f"{qualname}.{attr}"] = getattr(obj, attr)
    return found


PUBLIC = _public_objects()


def test_the_docstring_check_sees_every_module():
    modules = {getattr(obj, "__module__", None) for obj in PUBLIC.values()}
    assert {"kotaku_map.analysis", "kotaku_map.render.city", "kotaku_map.writers.tables"} <= modules
    assert len(PUBLIC) > 150


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_every_public_function_has_a_numpy_docstring(qualname):
    errors = [
        f"{code} ({NUMPYDOC_CHECKS[code]}): {message}"
        for code, message in validate(qualname)["errors"]
        if code in NUMPYDOC_CHECKS
    ]
    assert errors == [], f"{qualname}:\n" + "\n".join(errors)


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
