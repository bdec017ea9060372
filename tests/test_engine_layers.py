"""Layering of netcheck, checked by tools rather than by a hand-kept list of modules.

- The import-linter contracts of pyproject.toml (`[tool.importlinter]`: the layers
  cli > api > report > policy > questions > explain > solve | walk > compile > load > model >
  errors | version, the walker imports only the model, z3 only in compile/ and solve/, nothing
  below the API imports it, no cycles) hold. `lint-imports` runs the same contracts in CI.
- Only `compile/packet.py` creates Z3 variables (the symbolic packet); the solver's tracking
  literals (Boolean constants naming a constraint for the unsat core) live in solve/. Every
  module of the package is read, found by globbing.
"""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "netcheck"
PACKET_MODULE = PACKAGE / "compile" / "packet.py"

# z3 functions that declare an uninterpreted constant (a variable) rather than a value.
VARIABLES = {
    "BitVec",
    "BitVecs",
    "Const",
    "Consts",
    "FreshConst",
    "FreshInt",
    "FreshReal",
    "Int",
    "Ints",
    "Real",
    "Reals",
    "Array",
    "Function",
}
BOOLEANS = {"Bool", "Bools", "FreshBool"}


def modules() -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py"))
    assert PACKET_MODULE in found and len(found) > 50  # the glob sees the whole package
    return found


def z3_constructors(path: Path) -> set[str]:
    """The z3 functions from VARIABLES | BOOLEANS that `path` calls, however z3 is imported
    (`import z3`, `import z3 as x`, `from z3 import BitVec as bv`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    module_aliases: set[str] = set()
    name_aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            module_aliases |= {a.asname or a.name for a in node.names if a.name == "z3"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "z3":
            name_aliases |= {a.asname or a.name: a.name for a in node.names}
    called: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if (
            isinstance(f, ast.Attribute)
            and isinstance(f.value, ast.Name)
            and f.value.id in module_aliases
        ):
            called.add(f.attr)
        elif isinstance(f, ast.Name) and f.id in name_aliases:
            called.add(name_aliases[f.id])
    return called & (VARIABLES | BOOLEANS)


def test_import_contracts_hold(monkeypatch):
    # Run from the repository so import-linter analyses this tree (it puts the cwd on sys.path).
    monkeypatch.chdir(REPO)
    status = lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True)
    assert status == 0, "import-linter contracts are broken (see the captured output above)"


def test_only_the_packet_module_creates_variables():
    for path in modules():
        if path == PACKET_MODULE:
            continue
        rel = path.relative_to(REPO)
        made = z3_constructors(path)
        assert not made & VARIABLES, f"{rel} creates Z3 variables: {sorted(made & VARIABLES)}"
        if made & BOOLEANS:
            assert path.parent.name == "solve", f"{rel} creates Z3 Booleans outside solve/"


def test_the_variable_check_sees_every_import_style(tmp_path):
    src = tmp_path / "m.py"
    src.write_text(
        "import z3\nimport z3 as zz\nfrom z3 import BitVec as bv, And\n"
        "a = z3.Int('a')\nb = zz.Bool('b')\nc = bv('c', 32)\n"
        "d = And(True)\ne = z3.BitVecVal(1, 8)\n"
    )
    assert z3_constructors(src) == {"Int", "Bool", "BitVec"}
    assert "BitVec" in z3_constructors(PACKET_MODULE)
