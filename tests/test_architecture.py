"""The architecture: imports only run downward, and no private name crosses a module.

The contracts live in ``[tool.importlinter]`` in pyproject.toml; the private-names contract
type in ``tools/private_names.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `tools` is found from the checkout, as lint-imports finds it

from tools.private_names import PrivateNamesContract, private_name_uses  # noqa: E402


def test_import_contracts_are_kept():
    # lint-imports in a subprocess: it reads pyproject.toml and puts the checkout on sys.path
    # itself; PYTHONPATH makes it analyse this checkout's src, whatever is installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.update(NO_COLOR="1", COLUMNS="200")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--no-logo",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"import contracts broken:\n{run.stdout}\n{run.stderr}"
    assert "broken" in run.stdout and "0 broken" in run.stdout, run.stdout


PLANTED = {
    "__init__.py": "",
    "a.py": """
        _SECRET = 1


        def _helper():
            return 2


        def public():
            return _helper() + _SECRET  # its own: fine
    """,
    "_impl.py": "THING = 3\n",
    "b.py": """
        import plant.a
        import plant.a as pa
        from plant import _impl
        from plant.a import (
            public,
            _helper,
        )

        from . import a
        from ._impl import THING
        from .a import __name__ as a_name


        def f():
            return a._SECRET + plant.a._SECRET + pa._helper() + public() + THING + _impl.THING
    """,
    "sub/__init__.py": "_local = 4\n",
    "sub/c.py": """
        from ..a import _SECRET, public
        from . import _local


        def g():
            return _local + _SECRET + public()
    """,
}


@pytest.fixture
def plant(tmp_path, monkeypatch):
    for name, text in PLANTED.items():
        path = tmp_path / "plant" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return grimp.build_graph("plant", cache_dir=None)


def test_the_private_names_contract_catches_planted_private_names(plant):
    uses = private_name_uses(plant, ["plant"])
    found = [(u["importer"], u["line"], u["name"], u["how"]) for u in uses]
    assert found == [
        ("plant.b", 6, "plant.a._helper", "import"),  # in the middle of a 4-line import
        ("plant.b", 15, "plant.a._SECRET", "attribute"),  # a._SECRET
        ("plant.b", 15, "plant.a._SECRET", "attribute"),  # plant.a._SECRET
        ("plant.b", 15, "plant.a._helper", "attribute"),  # pa._helper
        ("plant.sub.c", 1, "plant.a._SECRET", "import"),  # relative, two levels up
        ("plant.sub.c", 2, "plant.sub._local", "import"),  # a name of the parent package
    ]


def test_the_private_names_contract_reports_through_import_linter(plant):
    contract = PrivateNamesContract("private", {"root_packages": ["plant"]}, {})
    check = contract.check(plant, verbose=False)
    assert not check.kept
    assert len(check.metadata["uses"]) == 6
