"""`netcheck exposure`, `netcheck diff` and `netcheck reachable-set` (`query --all`): complete
answers as boxes of packets (issue #4).

Each command parses, calls `netcheck.questions`, renders with `netcheck.report.sets` and
exits: 0 answered (diff: nothing became reachable), 1 diff: something became reachable,
2 bad input or usage, 3 some answer is unknown (solver limit, unsupported component).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from netcheck.cli.common import ExitCode, err_console, fail, print_diagnostics
from netcheck.errors import NetcheckError

__all__ = ["diff_command", "exposure_command", "query_all", "reachable_set_command", "register"]


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _console() -> Console:
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=160)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal (else nothing)."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _load(path: Path, strict: bool, onprem: list[str], fmt: OutputFormat) -> Any:
    from netcheck.api import load

    snap = load(path, strict=strict, onprem_cidrs=tuple(onprem))
    warnings = [d for d in snap.diagnostics if d.severity.value != "note"]
    if warnings and fmt is OutputFormat.TEXT:
        print_diagnostics(warnings)
    return snap


def _emit(answer: Any, fmt: OutputFormat, render: Callable[[Any, Console], None]) -> None:
    from netcheck.report.sets import to_json

    if fmt is OutputFormat.JSON:
        sys.stdout.write(to_json(answer) + "\n")
    else:
        render(answer, _console())


EXPOSURE_HELP = """Everything the origin reaches: for every interface-bearing resource
(instances, RDS, load balancers, endpoints, NAT gateways… interfaces grouped by owner) the
exact protocols, destination ports and source ranges that get through (connections: the
reply must come back), with a witness per box; resources nothing reaches get a one-line
reason.

Examples:

  netcheck exposure fixtures/three-tier

  netcheck exposure SNAPSHOT --from 198.51.100.0/24 --format json

  netcheck exposure SNAPSHOT --from bastion

Exit codes: 0 answered, 2 bad input, 3 some resource's answer is unknown.
"""


def exposure_command(
    snapshot: Path = typer.Argument(..., help="Snapshot folder or JSON file."),
    origin: str = typer.Option(
        "internet", "--from", help="`internet`, a CIDR, or a resource / address of the snapshot."
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", "-f"),
    onprem: list[str] = typer.Option([], "--onprem", help="Declare an on-premises CIDR."),
    strict: bool = typer.Option(False, "--strict", help="Treat load warnings as errors."),
    timeout: int = typer.Option(120, "--timeout", help="Solver time limit per interface class, s."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    from netcheck.questions import exposure
    from netcheck.report.sets import render_exposure

    try:
        snap = _load(snapshot, strict, onprem, output_format)
        with _progress("solving interfaces") as progress:
            ex = exposure(snap, origin, progress=progress, timeout_ms=timeout * 1000)
    except NetcheckError as e:
        fail(e, debug=debug)
        return
    _emit(ex, output_format, render_exposure)
    if any(r.status != "complete" for r in ex.resources):
        raise typer.Exit(ExitCode.UNKNOWN)
    raise typer.Exit(ExitCode.OK)


SET_HELP = """Every packet from SRC to DST that gets through, as boxes: protocol x destination
ports x source ranges (x source ports, destination addresses where they matter), each with a witness
replayed by the concrete walker. The union is exact. SRC/DST as in `netcheck query`.
TCP/UDP packets and ICMP echo requests (--icmp-type 8) are connections (the reply must come
back); other ICMP packets are one-way.

Example:

  netcheck reachable-set fixtures/three-tier --from internet --to web-1

Exit codes: 0 answered, 2 bad input, 3 unknown.
"""


def query_all(
    snapshot: Path,
    src: str,
    dst: str,
    *,
    protocol: str = "any",
    port: str | None = None,
    src_port: str | None = None,
    icmp_type: int | None = None,
    icmp_code: int | None = None,
    one_way: bool = False,
    output_format: str = "text",
    onprem: list[str] | tuple[str, ...] = (),
    strict: bool = False,
    timeout: int = 120,
    debug: bool = False,
) -> None:
    """`netcheck query … --all`: print the reachable set instead of one witness, then exit
    (0 answered, 2 bad input, 3 unknown)."""
    from netcheck.questions import reachable_set
    from netcheck.report.sets import render_set

    fmt = OutputFormat(str(output_format))
    try:
        snap = _load(snapshot, strict, list(onprem), fmt)
        rs = reachable_set(
            snap,
            src,
            dst,
            protocol=protocol,
            port=port,
            src_port=src_port,
            icmp_type=icmp_type,
            icmp_code=icmp_code,
            one_way=one_way,
            timeout_ms=timeout * 1000,
        )
    except NetcheckError as e:
        fail(e, debug=debug)
        return
    _emit(rs, fmt, render_set)
    raise typer.Exit(ExitCode.OK if rs.status == "complete" else ExitCode.UNKNOWN)


def reachable_set_command(
    snapshot: Path = typer.Argument(..., help="Snapshot folder or JSON file."),
    src: str = typer.Option(..., "--from", help="Source: id, Name tag, IP/CIDR or `internet`."),
    dst: str = typer.Option(..., "--to", help="Destination: id, Name tag, IP/CIDR or `internet`."),
    protocol: str = typer.Option("any", "--protocol", "-p", help="tcp, udp, icmp, any, or N."),
    port: str | None = typer.Option(None, "--port", help="Destination port N or range N-M."),
    src_port: str | None = typer.Option(None, "--src-port", help="Source port N or N-M."),
    icmp_type: int | None = typer.Option(
        None, "--icmp-type", help="ICMP type 0-255 (implies icmp; 8 = ping, a connection)."
    ),
    icmp_code: int | None = typer.Option(None, "--icmp-code", help="ICMP code 0-255."),
    one_way: bool = typer.Option(False, "--one-way", help="Forward packets only."),
    output_format: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", "-f"),
    onprem: list[str] = typer.Option([], "--onprem", help="Declare an on-premises CIDR."),
    strict: bool = typer.Option(False, "--strict", help="Treat load warnings as errors."),
    timeout: int = typer.Option(120, "--timeout", help="Solver time limit, seconds."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    query_all(
        snapshot,
        src,
        dst,
        protocol=protocol,
        port=port,
        src_port=src_port,
        icmp_type=icmp_type,
        icmp_code=icmp_code,
        one_way=one_way,
        output_format=output_format.value,
        onprem=onprem,
        strict=strict,
        timeout=timeout,
        debug=debug,
    )


DIFF_HELP = """What a change opens and closes: for each source/destination pair (matched by resource
id) the packets reachable in NEW but not OLD, and the reverse, as boxes — each with a witness
walked in the snapshot where it gets through and the reason the other snapshot stops it.
Without --to, every interface-bearing resource of either snapshot is a destination.

Examples:

  netcheck diff before/ after/

  netcheck diff before/ after/ --from internet --to web-1 --format json

Exit codes: 0 nothing became reachable, 1 something became reachable, 2 bad input,
3 some answer is unknown (and nothing became reachable).
"""


def diff_command(
    old: Path = typer.Argument(..., help="The snapshot before the change."),
    new: Path = typer.Argument(..., help="The snapshot after the change."),
    src: str = typer.Option("internet", "--from", help="Source (default: internet)."),
    dst: str | None = typer.Option(None, "--to", help="Destination (default: every resource)."),
    output_format: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", "-f"),
    onprem: list[str] = typer.Option([], "--onprem", help="Declare an on-premises CIDR."),
    strict: bool = typer.Option(False, "--strict", help="Treat load warnings as errors."),
    timeout: int = typer.Option(120, "--timeout", help="Solver time limit per pair, seconds."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    from netcheck.questions import diff
    from netcheck.report.sets import render_diff

    try:
        a = _load(old, strict, onprem, output_format)
        b = _load(new, strict, onprem, output_format)
        with _progress("comparing pairs") as progress:
            d = diff(a, b, src=src, dst=dst, progress=progress, timeout_ms=timeout * 1000)
    except NetcheckError as e:
        fail(e, debug=debug)
        return
    d = d.model_copy(update={"old": str(old), "new": str(new)})
    _emit(d, output_format, render_diff)
    if d.changed:
        raise typer.Exit(ExitCode.FINDINGS)
    raise typer.Exit(ExitCode.OK if d.status == "complete" else ExitCode.UNKNOWN)


def register(app: typer.Typer) -> None:
    app.command("exposure", help=EXPOSURE_HELP)(exposure_command)
    app.command("diff", help=DIFF_HELP)(diff_command)
    app.command("reachable-set", help=SET_HELP)(reachable_set_command)
