"""Collecting load problems: where they are (file, JSON path, resource id) and how bad.

Input: calls from the readers below. Output: a `Collector` holding `Diagnostic`s (sorted by
file, then path) and the notes that matter to an analysis (resources left out, assumptions),
which end up in `Network.notes`.

The loader never stops at the first problem: every reader reports into one collector and
returns `None` for a value it could not read, so the caller carries on with the next one.
"""

from __future__ import annotations

import re

from netcheck.errors import Diagnostic, Severity
from netcheck.model import Provenance


class Loc:
    """A place in the input: file, JSON path (`$.RouteTables[3].Routes[1]`), resource id.

    Immutable by convention. A slotted class with a plain `__init__` rather than a frozen
    dataclass: one is made per JSON element, so construction speed matters."""

    __slots__ = ("file", "path", "resource_id")

    def __init__(self, file: str, path: str = "$", resource_id: str | None = None) -> None:
        self.file = file
        self.path = path
        self.resource_id = resource_id

    def __repr__(self) -> str:
        return f"Loc({self.file!r}, {self.path!r}, {self.resource_id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Loc) and (self.file, self.path, self.resource_id) == (
            other.file,
            other.path,
            other.resource_id,
        )

    def __hash__(self) -> int:
        return hash((self.file, self.path, self.resource_id))

    def key(self, name: str) -> Loc:
        return Loc(self.file, f"{self.path}.{name}", self.resource_id)

    def index(self, i: int) -> Loc:
        return Loc(self.file, f"{self.path}[{i}]", self.resource_id)

    def rid(self, resource_id: str | None) -> Loc:
        return Loc(self.file, self.path, resource_id)

    def provenance(self) -> Provenance:
        return Provenance(file=self.file, path=self.path, resource_id=self.resource_id)

    def __str__(self) -> str:
        rid = f" [{self.resource_id}]" if self.resource_id else ""
        return f"{self.file} {self.path}{rid}"


def _natural(text: str | None) -> tuple[object, ...]:
    """Sort key that orders `$.X[2]` before `$.X[10]`."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def sort_key(d: Diagnostic) -> tuple[object, ...]:
    return (
        d.file or "",
        _natural(d.path),
        d.line or 0,
        _SEVERITY_ORDER[d.severity],
        d.resource_id or "",
        d.message,
    )


class Collector:
    """Accumulates diagnostics; `analysis_notes` are copied into `Network.notes`."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self.analysis_notes: list[str] = []

    def add(
        self,
        severity: Severity,
        message: str,
        loc: Loc | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        analysis: bool = False,
    ) -> None:
        d = Diagnostic(
            severity=severity,
            message=message,
            file=loc.file if loc else None,
            path=loc.path if loc else None,
            resource_id=loc.resource_id if loc else None,
            line=line,
            column=column,
        )
        self.items.append(d)
        if analysis:
            self.analysis_notes.append(str(d))

    def error(
        self,
        message: str,
        loc: Loc | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.add(Severity.ERROR, message, loc, line=line, column=column)

    def warning(self, message: str, loc: Loc | None = None, *, analysis: bool = False) -> None:
        self.add(Severity.WARNING, message, loc, analysis=analysis)

    def note(self, message: str, loc: Loc | None = None, *, analysis: bool = False) -> None:
        self.add(Severity.NOTE, message, loc, analysis=analysis)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        unique = {
            (d.severity, d.message, d.file, d.path, d.resource_id, d.line): d for d in self.items
        }
        return tuple(sorted(unique.values(), key=sort_key))
