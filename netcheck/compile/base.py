"""Small shared pieces of the compile stage kept under their historical names: the ranges
the internet does not carry, `is_public`, `available` and `MissingResource`.

Input: nothing. Output: `NON_PUBLIC`, `is_public`, `available`, `MissingResource` (now in
`netcheck.errors`). The symbolic walk itself lives in `compile/hops/` (one module per hop
kind) behind the `compile/explore.Explorer` facade.
"""

from __future__ import annotations

from netcheck.compile.hops.context import available
from netcheck.compile.hops.internet import NON_PUBLIC, is_public
from netcheck.errors import MissingResource

__all__ = ["NON_PUBLIC", "MissingResource", "available", "is_public"]
