"""Layering of the engine: z3 appears only in compile/ and solve/, only compile/packet.py
creates Z3 variables, and each layer imports only layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "netcheck"
ENGINE = {
    "compile": [
        "packet",
        "steps",
        "filters",
        "routing",
        "base",
        "index",
        *(f"hops/{p.stem}" for p in sorted((ROOT / "compile" / "hops").glob("*.py"))),
        "explore",
        "query",
        "topology",
    ],
    "solve": ["engine", "results"],
    "explain": ["answer", "build"],
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_z3_only_in_compile_and_solve():
    for layer in ("explain",):
        for name in ENGINE[layer]:
            assert not any(
                m == "z3" or m.startswith("z3.") for m in imports(ROOT / layer / f"{name}.py")
            )
    for extra in ("api.py", "model/endpoints.py"):
        assert "z3" not in imports(ROOT / extra)


def test_only_the_packet_module_creates_variables():
    for layer, names in ENGINE.items():
        for name in names:
            text = (ROOT / layer / f"{name}.py").read_text()
            if (layer, name) != ("compile", "packet"):
                assert "BitVec(" not in text, f"{layer}/{name}.py creates Z3 variables"


def test_layers_import_only_below():
    below = {
        "compile": ("netcheck.model", "netcheck.errors", "netcheck.compile"),
        "solve": ("netcheck.model", "netcheck.errors", "netcheck.compile", "netcheck.solve"),
        "explain": (
            "netcheck.model",
            "netcheck.errors",
            "netcheck.solve",
            "netcheck.explain",
            "netcheck.walk",
        ),
    }
    for layer, names in ENGINE.items():
        for name in names:
            for m in imports(ROOT / layer / f"{name}.py"):
                if m.startswith("netcheck"):
                    assert m.startswith(below[layer]), f"{layer}/{name}.py imports {m}"
