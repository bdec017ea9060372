"""SMT-LIB 2 export: one file per failed candidate path of a point query (`--emit-smt2`).

Input: a folder and `(name, script)` pairs from the solve stage (`Outcome.smt2`: z3's
declarations and assertions of the candidate, e.g. `src0-path1`). Output: `<folder>/<name>.smt2`
files — the logic (`QF_BV`), the script, `(check-sat)` — and their paths, in order. Any
SMT-LIB solver (cvc5, z3) answers `unsat` for each: the proof can be checked independently.
Example::

    write_smt2(Path("proof"), [("src0-path0", "(declare-fun fwd#1.src_ip () ...)...")])
    # -> ["proof/src0-path0.smt2"]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["LOGIC", "write_smt2"]

# Every formula is over fixed-width header fields: quantifier-free bit vectors.
LOGIC = "QF_BV"


def write_smt2(folder: Path, scripts: Iterable[tuple[str, str]]) -> list[str]:
    """Write each script as `<name>.smt2` in `folder` (created if missing); the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    for name, script in scripts:
        f = folder / f"{name}.smt2"
        f.write_text(f"(set-logic {LOGIC})\n" + script + "(check-sat)\n")
        out.append(str(f))
    return out
