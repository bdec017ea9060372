"""netcheck's exception tree and load diagnostics.

Input: nothing (imported by every layer). Output: `NetcheckError` and its subclasses, and
`Diagnostic`, a problem found in the input (file, JSON path, resource id, severity).

Every exception netcheck raises on purpose is a `NetcheckError` (a test walks the package to
keep it so); the CLI turns `InputError` into exit code 2 and a message without a traceback,
and the engine turns `UnsupportedFeature` and `SolverGaveUp` into the verdict `unknown`.

    NetcheckError
    ├── InputError            bad input: a snapshot, a query, a rule file (exit code 2)
    │   ├── SnapshotError     the snapshot cannot be used; carries the diagnostics
    │   ├── QueryError        an unknown / ambiguous endpoint, a bad port… (with suggestions)
    │   └── RuleError         rule or config files that cannot be used; carries the diagnostics
    ├── UnsupportedFeature    the model does not cover something on a path (→ verdict unknown)
    │   ├── MissingResource   a path needs a resource the snapshot lacks (UNKNOWN_RESOURCE)
    │   └── TooManyChoices    too many alternatives to enumerate exactly (→ verdict unknown)
    └── SolverGaveUp          the solver hit its deadline or answered unknown (→ verdict unknown)

New classes are appended at the end of the file (so parallel changes do not collide).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Diagnostic(BaseModel):
    """A problem (or a note) about the input: where it is and what is wrong."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    message: str
    file: str | None = None
    path: str | None = None
    resource_id: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            where += f" {self.path}"
        rid = f" [{self.resource_id}]" if self.resource_id else ""
        return f"{self.severity.value}: {where}{rid}: {self.message}"


class NetcheckError(Exception):
    """Base of every error netcheck raises on purpose."""


class InputError(NetcheckError):
    """Bad input from the user (exit code 2)."""


class SnapshotError(InputError):
    """A snapshot that cannot be analysed; `diagnostics` says why (all of it, not just the
    first problem)."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class QueryError(InputError):
    """A query that cannot be answered as asked (unknown or ambiguous endpoint, bad port)."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        if suggestions:
            message += " (did you mean: " + ", ".join(suggestions) + "?)"
        super().__init__(message)
        self.suggestions = suggestions


class UnsupportedFeature(NetcheckError):
    """A component or setting the model does not cover; becomes an `unknown` verdict.

    `code` is an AWS Reachability Analyzer style code (`UNSUPPORTED_COMPONENT`, …).
    """

    def __init__(self, component_id: str, reason: str, code: str = "UNSUPPORTED_COMPONENT"):
        super().__init__(f"{component_id}: {reason}")
        self.component_id = component_id
        self.reason = reason
        self.code = code


class RuleError(InputError):
    """Rule files or a netcheck configuration that cannot be used (exit code 2);
    `diagnostics` says where and why (every problem of every file, not just the first)."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class MissingResource(UnsupportedFeature):
    """A resource a path needs is not in the snapshot (the path ends `unknown`)."""

    def __init__(self, resource_id: str, reason: str) -> None:
        super().__init__(resource_id, reason, "UNKNOWN_RESOURCE")
        self.resource_id = resource_id


class SolverGaveUp(NetcheckError):
    """The solver hit the question's deadline or answered unknown; the verdict (or the set's
    status) becomes unknown with this message as the reason."""


class TooManyChoices(UnsupportedFeature):
    """The NAT gateways on a set's paths leave too many source-port choices to expand (one
    exploration per combination); the set's status becomes unknown — pin their ports."""

    def __init__(self, nat_gateway_ids: tuple[str, ...], choices: int) -> None:
        reason = (
            f"{len(nat_gateway_ids)} NAT gateways with {choices} port choices each: too many "
            "to expand; pin their ports"
        )
        super().__init__(",".join(nat_gateway_ids), reason)
        # The message is the reason alone (reports have always shown it that way).
        self.args = (reason,)
