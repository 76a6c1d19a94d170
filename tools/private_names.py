"""An import-linter contract type: no private name crosses a module.

A name that starts with one underscore (``_helper``, ``_CACHE``) belongs to the module that
defines it. Another module of the package may neither import it
(``from .crs import _wgs84``) nor reach it through a module it imported
(``from . import crs`` then ``crs._wgs84()``). Dunder names (``__version__``) are public.
Private *modules* are the job of import-linter's built-in ``private_modules`` contract.

Linters skip this inside one package (ruff PLC2701 and pylint's ``import-private-name``
exempt imports from the same root), hence a contract on import-linter's graph. grimp gives
each import's first line only, so the statement found there is parsed with :mod:`ast`:
a private name on the third line of a parenthesised import is caught too.

Registered in ``pyproject.toml``::

    [tool.importlinter]
    contract_types = ["private_names: tools.private_names.PrivateNamesContract"]

    [[tool.importlinter.contracts]]
    name = "No private name crosses a module"
    type = "private_names"
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from typing import Any

import grimp
from importlinter import Contract, ContractCheck, output

__all__ = ["PrivateNamesContract", "is_private", "private_name_uses"]


def is_private(name: str) -> bool:
    """Whether ``name`` is private: one leading underscore, and not a dunder.

    Parameters
    ----------
    name : str
        A bare name (no dots).

    Returns
    -------
    bool
        True for ``_x`` and ``__x``, False for ``x`` and ``__x__``.

    Examples
    --------
    >>> [is_private(n) for n in ("_wgs84", "area_ha", "__version__")]
    [True, False, False]
    """
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_name_uses(graph: grimp.ImportGraph, root_packages: list[str]) -> list[dict[str, Any]]:
    """Every use of a private name of one module by another module of ``root_packages``.

    Parameters
    ----------
    graph : grimp.ImportGraph
        An import graph holding the root packages (as import-linter builds it).
    root_packages : list of str
        The packages whose modules are checked; imports from elsewhere are not.

    Returns
    -------
    list of dict
        One dict per use, sorted: ``importer`` (module), ``line`` (1-based), ``name``
        (the private name, qualified by the module that owns it) and ``how``
        (``"import"`` or ``"attribute"``).
    """
    modules = {m for m in graph.modules if m.split(".")[0] in root_packages}
    uses: list[dict[str, Any]] = []
    for importer in sorted(modules):
        lines = {
            detail["line_number"]
            for imported in graph.find_modules_directly_imported_by(importer) & modules
            for detail in graph.get_import_details(importer=importer, imported=imported)
        }
        if lines:
            uses += _uses_in(importer, lines, modules)
    return sorted(uses, key=lambda u: (u["importer"], u["line"], u["name"]))


def _uses_in(importer: str, lines: set[int], modules: set[str]) -> list[dict[str, Any]]:
    """The private names that ``importer`` takes from other modules of ``modules``."""
    path = _source(importer)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    bound: dict[str, str] = {}  # local name -> module it is bound to
    uses = []

    def use(line: int, name: str, how: str) -> None:
        uses.append({"importer": importer, "line": line, "name": name, "how": how})

    statements = (
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno in lines
    )
    for node in statements:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:  # `import a.b.c` binds `a`; `a.b.c._x` is resolved through it
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
            continue
        base = _absolute(node, package)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            if full in modules:  # a module, not a name: private modules are not ours
                bound[alias.asname or alias.name] = full
            elif is_private(alias.name) and base != importer:
                use(alias.lineno, full, "import")  # the name's own line, in a long import
    for attr in ast.walk(tree):
        if isinstance(attr, ast.Attribute) and is_private(attr.attr):
            owner = _dotted(attr.value, bound)
            if owner in modules and owner != importer:
                use(attr.lineno, f"{owner}.{attr.attr}", "attribute")
    return uses


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The absolute module of a ``from ... import`` statement in ``package``."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - (node.level - 1)])
    return f"{base}.{node.module}" if node.module else base


def _dotted(node: ast.expr, bound: dict[str, str]) -> str | None:
    """The module an expression like ``s`` or ``kotaku_map.crs`` names, if any."""
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value, bound)
        return f"{head}.{node.attr}" if head else None
    return None


def _source(module: str) -> Path:
    """The ``.py`` file of ``module``, found from its root package without importing it."""
    root, *rest = module.split(".")
    spec = importlib.util.find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{root} is not an importable package")
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*rest)
    return folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")


class PrivateNamesContract(Contract):
    """No module of the root packages uses a private name of another of their modules.

    Takes no options beyond import-linter's ``name`` and ``type``.

    Parameters
    ----------
    name : str
        The contract's name, as shown in the report.
    session_options : dict
        import-linter's session options (``root_packages`` is read).
    contract_options : dict
        This contract's options (none).
    """

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        """Find every private name that crosses a module.

        Parameters
        ----------
        graph : grimp.ImportGraph
            The import graph import-linter built for the root packages.
        verbose : bool
            Unused (the check is quick).

        Returns
        -------
        ContractCheck
            Kept when nothing crosses; its ``metadata["uses"]`` lists what does.
        """
        options = self.session_options
        roots = options.get("root_packages") or [options["root_package"]]
        uses = private_name_uses(graph, list(roots))
        return ContractCheck(kept=not uses, metadata={"uses": uses})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Print one line per private name used across modules.

        Parameters
        ----------
        check : ContractCheck
            What :meth:`check` returned.
        """
        output.print_error("Private names used outside their module:", bold=False)
        output.new_line()
        for use in check.metadata["uses"]:
            output.print_error(
                f"- {use['importer']} (l.{use['line']}) {use['how']}s {use['name']}", bold=False
            )
        output.new_line()
