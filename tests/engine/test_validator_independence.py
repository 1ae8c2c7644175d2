"""The validator shares no code with the solver: validate.py and validation_*.py import only the
standard library and each other (not engine.scheduling, which the solver's rules come from),
and no solver module imports them."""

from __future__ import annotations

import ast
from pathlib import Path

import engine

MATCHING = Path(engine.__file__).resolve().parent / "matching"
VALIDATOR = {"validate", "validation_model", "validation_rules", "validation_shape", "validation_time"}


def _engine_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.split(".")[0] == "engine"}


def test_validator_imports_only_itself() -> None:
    files = [MATCHING / f"{name}.py" for name in sorted(VALIDATOR)]
    assert all(f.exists() for f in files)
    allowed = {f"engine.matching.{name}" for name in VALIDATOR}
    foreign = {f.name: sorted(_engine_imports(f) - allowed) for f in files}
    assert {k: v for k, v in foreign.items() if v} == {}


def test_no_solver_module_imports_the_validator() -> None:
    solver_files = [f for f in MATCHING.glob("*.py") if f.stem not in VALIDATOR]
    assert len(solver_files) > 5
    users = {
        f.name
        for f in solver_files
        if any(m.rsplit(".", 1)[-1] in VALIDATOR for m in _engine_imports(f))
    }
    assert users == set()


def test_scan_sees_a_scheduling_import() -> None:
    probe = MATCHING / "constraints.py"
    assert "engine.scheduling.span_rules" in _engine_imports(probe)
