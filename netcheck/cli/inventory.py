"""`netcheck validate`, `netcheck show`, `netcheck schema`: load a snapshot, report what is
in it and what is wrong with it, and print the JSON Schema of netcheck's own format.

Parses the options, calls `netcheck.load`, renders with `netcheck.report.inventory`, exits:
0 usable, 2 bad input or usage (an unusable snapshot, a bad option).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from netcheck.cli.common import ExitCode, err_console, fail, print_diagnostics
from netcheck.errors import Diagnostic, NetcheckError, Severity, SnapshotError
from netcheck.inputs import LoadResult, dumps_network, load_snapshot
from netcheck.model import Network
from netcheck.report.inventory import print_inventory, summary_line, validation_json

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


SNAPSHOT_ARG = typer.Argument(
    ...,
    help="A folder of describe-* JSON (searched recursively), one JSON file, or netcheck JSON.",
    show_default=False,
)
FORMAT_OPT = typer.Option(OutputFormat.TEXT, "--format", "-f", help="Output format.")
DEBUG_OPT = typer.Option(False, "--debug", help="Show tracebacks instead of short errors.")
ONPREM_OPT = typer.Option(
    [],
    "--onprem",
    help="An on-premises CIDR (repeatable); adds to the ranges of the snapshot's VPNs.",
    show_default=False,
)


def _stdout() -> Console:
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=160)
    return console


def _guard(func: F) -> F:
    """Turn an unexpected exception into a short message and exit 2 (traceback with --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except NetcheckError as exc:
            fail(exc, debug=debug)
        except OSError as exc:
            if debug:
                raise
            err_console.print(f"error: {exc}", style="bold red", markup=False)
            sys.exit(ExitCode.BAD_INPUT)
        except Exception as exc:
            if debug:
                raise
            err_console.print(
                f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for the "
                "traceback and please report it",
                style="bold red",
                markup=False,
            )
            sys.exit(ExitCode.BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def _print_plain(diagnostics: Sequence[Diagnostic], console: Console) -> None:
    for d in diagnostics:
        style = {"error": "bold red", "warning": "yellow"}.get(d.severity.value, "dim")
        console.print(str(d), style=style, markup=False, soft_wrap=True)


@_guard
def validate(
    snapshot: Path = SNAPSHOT_ARG,
    strict: bool = typer.Option(False, "--strict", help="Warnings count as errors."),
    onprem: list[str] = ONPREM_OPT,
    output_format: OutputFormat = FORMAT_OPT,
    debug: bool = DEBUG_OPT,
) -> None:
    """Check that a snapshot loads: every problem with its file, JSON path and resource id.

    Prints the diagnostics (errors, warnings, notes) and a one-line summary of what was
    loaded. Exit code 0 when the snapshot is usable, 2 when it is not (any error, or any
    warning with --strict).

    Examples:

      netcheck validate snapshots/prod/

      netcheck validate prod.json --strict --onprem 192.168.0.0/16

      netcheck validate snapshots/prod/ --format json | jq '.diagnostics[] | .message'
    """
    result: LoadResult | None = None
    try:
        result = load_snapshot(snapshot, strict=strict, onprem_cidrs=onprem)
        diagnostics = result.diagnostics
    except SnapshotError as exc:
        if output_format is not OutputFormat.JSON:
            raise
        diagnostics = exc.diagnostics
    network = result.network if result else None
    if output_format is OutputFormat.JSON:
        print(validation_json(str(snapshot), network, diagnostics))
        raise typer.Exit(ExitCode.OK if network is not None else ExitCode.BAD_INPUT)
    assert network is not None
    console = _stdout()
    _print_plain(diagnostics, console)
    n_warn = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    n_note = len(diagnostics) - n_warn
    console.print(
        f"ok: {snapshot} is usable ({n_warn} warning{'s' if n_warn != 1 else ''}, "
        f"{n_note} note{'s' if n_note != 1 else ''}): {summary_line(network)}",
        markup=False,
        soft_wrap=True,
    )


@_guard
def show(
    snapshot: Path = SNAPSHOT_ARG,
    onprem: list[str] = ONPREM_OPT,
    output_format: OutputFormat = FORMAT_OPT,
    debug: bool = DEBUG_OPT,
) -> None:
    """Show what a snapshot contains, sorted by id.

    Text: tables of VPCs (CIDRs), subnets (AZ, CIDR, route table, network ACL), interfaces
    (private and public IPs, security groups, owner), gateways (internet, NAT, VPN,
    endpoints), peering connections, transit gateways with their attachments and route
    tables. JSON: the normalised model in netcheck's own format (load it back with any
    command). Load warnings go to stderr; run `netcheck validate` for all diagnostics.

    Examples:

      netcheck show snapshots/prod/

      netcheck show snapshots/prod/ --format json > prod.netcheck.json
    """
    result = load_snapshot(snapshot, onprem_cidrs=onprem)
    print_diagnostics([d for d in result.diagnostics if d.severity is not Severity.NOTE])
    if output_format is OutputFormat.JSON:
        sys.stdout.write(dumps_network(result.network))
        return
    print_inventory(result.network, _stdout())


@_guard
def schema(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the schema to this file instead of stdout."
    ),
    debug: bool = DEBUG_OPT,
) -> None:
    """Print the JSON Schema of netcheck's own snapshot format.

    The format is what `netcheck show --format json` writes; `netcheck validate` and every
    other command read it back.

    Examples:

      netcheck schema

      netcheck schema --output netcheck-network.schema.json
    """
    text = json.dumps(Network.model_json_schema(), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output}", markup=False)


def register(app: typer.Typer) -> None:
    """Add `validate`, `show` and `schema` to the `netcheck` app."""
    app.command("validate")(validate)
    app.command("show")(show)
    app.command("schema")(schema)
