"""Packages whose public names are imported on first use (PEP 562).

A package's ``__init__`` lists its public names and the module of each; a name is imported when
it is first read (``sarkit.planning.plan_search``, ``from sarkit.planning import plan_search``),
so importing one module of the package (``sarkit.planning.regions``, which the drift's summary
needs) does not import all the others (the planner's scipy solvers and graph searches), and
``sarkit --help`` stays fast.

    __getattr__, __dir__, __all__ = lazy_exports(__name__, {"plan": ["plan_search"]})
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str,
    names: Mapping[str, Iterable[str]],
    modules: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of a package that imports on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : mapping of str to iterable of str
        Each module and the public names it defines: a submodule by its name in the package
        (``"plan"``), another package's module by its full name (``"sarkit.mass.event"``).
    modules : iterable of str
        Submodules that are also reached as attributes (``sarkit.files.geojson``) before
        anything has imported them.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)``, to assign in the package's ``__init__``.
    """
    where = {name: module if "." in module else f"{package}.{module}"
             for module, listed in names.items() for name in listed}
    submodules = frozenset(modules)
    public = sorted(where)

    def __getattr__(name: str) -> Any:
        if name in where:
            return getattr(importlib.import_module(where[name]), name)
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(public) | submodules)

    return __getattr__, __dir__, public
