"""engine/ imports only the standard library, numpy and scipy (never the service layers)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import engine

FORBIDDEN = {"neo4j", "arq", "strawberry", "starlette", "redis", "graph", "api", "workers"}
ENGINE_DIR = Path(engine.__file__).resolve().parent


def _imported_roots(tree: ast.AST) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_engine_module_imports_a_service_layer() -> None:
    files = sorted(ENGINE_DIR.rglob("*.py"))
    assert len(files) > 5
    offenders = {}
    for f in files:
        bad = _imported_roots(ast.parse(f.read_text(encoding="utf-8"))) & FORBIDDEN
        if bad:
            offenders[str(f.relative_to(ENGINE_DIR.parent))] = sorted(bad)
    assert offenders == {}


def test_scan_catches_a_forbidden_import() -> None:
    assert _imported_roots(ast.parse("import neo4j\nfrom graph.driver import x\n")) == {"neo4j", "graph"}


def test_importing_engine_loads_no_service_layer() -> None:
    before = set(sys.modules)
    for mod in pkgutil.walk_packages([str(ENGINE_DIR)], prefix="engine."):
        importlib.import_module(mod.name)
    loaded = {name.split(".")[0] for name in set(sys.modules) - before}
    assert not (loaded & FORBIDDEN), sorted(loaded & FORBIDDEN)
