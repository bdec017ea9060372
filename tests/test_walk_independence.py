"""The walker is the independent oracle: it may import only the model, the errors and
itself (no z3, nothing from compile/solve/explain), and it must not share code with them."""

from __future__ import annotations

import ast
from pathlib import Path

import netcheck.walk

WALK = Path(netcheck.walk.__file__).parent
ALLOWED = ("netcheck.model", "netcheck.errors", "netcheck.walk")
STDLIB = {"__future__", "collections", "dataclasses", "ipaddress", "typing"}


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_walker_imports_only_the_model_and_itself():
    files = sorted(WALK.rglob("*.py"))
    assert len(files) >= 5
    for f in files:
        for name in _imports(f):
            top = name.split(".")[0]
            ok = name.startswith(ALLOWED) or top in STDLIB or top == "pydantic"
            assert ok, f"{f.name} imports {name}"
