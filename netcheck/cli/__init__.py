"""The `netcheck` command line: one module per group of subcommands, each a thin typer
function that parses, calls the API, picks a reporter and exits with a documented code.

Exit codes (every subcommand):
  0  answered / usable / no findings
  1  findings, or the verdict differs from --expect
  2  bad input or usage
  3  unknown verdict or solver timeout
"""

from __future__ import annotations

import typer

from netcheck.cli.audit import register as register_audit
from netcheck.cli.check import register as register_check
from netcheck.cli.inventory import register as register_inventory
from netcheck.cli.query import register as register_query

app = typer.Typer(
    name="netcheck",
    help=(
        "Reachability and security analysis for AWS VPC networks.\n\n"
        "A SNAPSHOT is a folder of `aws ec2 describe-*` JSON files (searched recursively), a "
        "single JSON file holding several describe-* keys, or netcheck's own JSON.\n\n"
        "Exit codes: 0 ok, 1 findings / --expect mismatch, 2 bad input or usage, 3 unknown."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

register_inventory(app)
register_query(app)
register_check(app)
register_audit(app)


def main() -> None:
    """Console-script entry point."""
    app()
