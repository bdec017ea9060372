"""Helpers shared by the CLI subcommands: exit codes, error printing, `--debug` handling."""

from __future__ import annotations

import sys
from enum import IntEnum

from rich.console import Console

from netcheck.errors import Diagnostic, NetcheckError, SnapshotError


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    UNKNOWN = 3


err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for d in diagnostics:
        style = {"error": "bold red", "warning": "yellow"}.get(d.severity.value, "dim")
        err_console.print(str(d), style=style, markup=False)


def fail(error: NetcheckError, *, debug: bool = False) -> None:
    """Print an input error without a traceback (unless --debug) and exit 2."""
    if isinstance(error, SnapshotError):
        print_diagnostics(error.diagnostics)
    err_console.print(f"error: {error}", style="bold red", markup=False)
    if debug:
        raise error
    sys.exit(ExitCode.BAD_INPUT)
