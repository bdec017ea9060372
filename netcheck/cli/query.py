"""`netcheck query`: can SRC reach DST? A witness (packet and hops) or a proof (blockers).

Parses the options, calls `netcheck.api`, renders with `netcheck.report.answer`, and exits:
0 answered, 1 the verdict differs from `--expect`, 2 bad input or usage, 3 unknown.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from netcheck.cli.common import ExitCode, fail, print_diagnostics
from netcheck.errors import NetcheckError


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Expectation(StrEnum):
    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"


QUERY_HELP = """Can SRC reach DST? Answers with a witness or a proof.

SRC and DST accept a resource id (i-, eni-, subnet-, vpc-, igw-, nat-, vpce-, pcx-,
tgw-attach-, an RDS DB identifier), a Name tag value, an IP address or CIDR (addresses of the
network resolve to their interfaces, others are outside hosts), or the word `internet`.
A source of 0.0.0.0/0 means every outside address.

Omitted --protocol/--port/--src-port/--icmp-type are free: the verdict is reachable if at least
one packet gets through, and the witness shows which. TCP/UDP are checked as connections (the
reply must get back as the reply, NACLs are checked again); so is ping, `--protocol icmp
--icmp-type 8`: the echo request out and the echo reply (type 0) back. ICMP without a type, or
another type, is one-way (some ICMP packet gets there). --one-way checks the forward packet
only. A path through a NAT gateway is reachable only if it works whatever source port the NAT
picks; otherwise the answer is unknown.

Examples:

  netcheck query fixtures/three-tier --from internet --to db --protocol tcp --port 3306

  netcheck query fixtures/three-tier --from web-1 --to app-1 --port 8080 --format json

  netcheck query SNAPSHOT --from 0.0.0.0/0 --to i-0abc --port 22 --expect unreachable

  netcheck query fixtures/three-tier --from internet --to web-1 --all

  netcheck query fixtures/three-tier --from web-1 --to app-1 --protocol icmp --icmp-type 8

Exit codes: 0 answered, 1 verdict differs from --expect, 2 bad input, 3 unknown.
"""


def query_command(
    snapshot: Path = typer.Argument(
        ..., help="Snapshot folder or JSON file (describe-* output or netcheck JSON)."
    ),
    src: str = typer.Option(..., "--from", help="Source: id, Name tag, IP/CIDR or `internet`."),
    dst: str = typer.Option(..., "--to", help="Destination: id, Name tag, IP/CIDR or `internet`."),
    protocol: str = typer.Option(
        "any", "--protocol", "-p", help="tcp, udp, icmp, any, or an IP protocol number."
    ),
    port: str | None = typer.Option(None, "--port", help="Destination port N or range N-M."),
    src_port: str | None = typer.Option(None, "--src-port", help="Source port N or range N-M."),
    icmp_type: int | None = typer.Option(
        None, "--icmp-type", help="ICMP type 0-255 (implies icmp; 8 = ping, a connection)."
    ),
    icmp_code: int | None = typer.Option(None, "--icmp-code", help="ICMP code 0-255."),
    one_way: bool = typer.Option(False, "--one-way", help="Check the forward packet only."),
    all_: bool = typer.Option(
        False, "--all", help="Print every packet that gets through (boxes) instead of one witness."
    ),
    all_blockers: bool = typer.Option(
        False, "--all-blockers", help="List every setting that blocks each path, not the first."
    ),
    emit_smt2: Path | None = typer.Option(
        None, "--emit-smt2", help="Write each path's formula as SMT-LIB 2 into this folder."
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", "-f"),
    expect: Expectation | None = typer.Option(
        None, "--expect", help="Exit 1 unless the verdict is this (for CI)."
    ),
    onprem: list[str] = typer.Option(
        [], "--onprem", help="Declare an on-premises CIDR (repeatable)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Treat load warnings as errors."),
    timeout: int = typer.Option(30, "--timeout", help="Solver time limit per query, seconds."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    if all_:
        from netcheck.cli.audit import query_all

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
        return
    from netcheck.api import load

    try:
        net = load(snapshot, strict=strict, onprem_cidrs=tuple(onprem))
        answer = net.query(
            src,
            dst,
            protocol=protocol,
            port=port,
            src_port=src_port,
            icmp_type=icmp_type,
            icmp_code=icmp_code,
            one_way=one_way,
            all_blockers=all_blockers,
            emit_smt2=emit_smt2,
            timeout_ms=timeout * 1000,
        )
    except NetcheckError as e:
        fail(e, debug=debug)
        return
    warnings = [d for d in net.diagnostics if d.severity.value != "note"]
    if warnings and output_format is OutputFormat.TEXT:
        print_diagnostics(warnings)

    from netcheck.report.answer import answer_json, render_answer_text

    if output_format is OutputFormat.JSON:
        sys.stdout.write(answer_json(answer) + "\n")
    else:
        # Piped output gets a wide fixed width so ids and messages are not folded.
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=160)
        render_answer_text(answer, console)

    verdict = answer.verdict.value
    if verdict == "unknown":
        raise typer.Exit(ExitCode.UNKNOWN)
    if expect is not None and verdict != expect.value:
        raise typer.Exit(ExitCode.FINDINGS)
    raise typer.Exit(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command("query", help=QUERY_HELP)(query_command)
