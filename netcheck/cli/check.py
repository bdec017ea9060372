"""`netcheck check` (policy rules against snapshots, for pre-commit and CI) and `netcheck rules`
(validate, list, schema).

Parses the options, reads the repository config (`.netcheck.toml` or `[tool.netcheck]` in
`pyproject.toml`), calls `netcheck.policy`, renders with `netcheck.report.findings` / `sarif` /
`junit`, and exits: 0 no findings, 1 findings, 2 bad input or rule error, 3 a rule could not be
decided (and nothing was found).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from netcheck.cli.common import ExitCode, err_console, fail, print_diagnostics
from netcheck.errors import NetcheckError, RuleError


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


CHECK_HELP = """Check snapshots against policy rules; every finding shows a real path.

Rules are the built-in pack (NC-001…, `netcheck rules list`) plus any --rules files. A rule
fires only when the engine finds a packet that breaks it, and the finding carries the witness
path (or, for `reachable` rules, the proof of what blocks it) and a fix hint.

With no SNAPSHOT, the snapshots named in the config are checked: `.netcheck.toml`, or
`[tool.netcheck]` in `pyproject.toml`, in this folder or a parent (`snapshots`, `rules`,
`select`, `skip`, `suppress` with a mandatory reason and optional expiry date).

Examples:

  netcheck check fixtures/three-tier

  netcheck check network/ --select NC-001,NC-007 --format sarif --output netcheck.sarif

  netcheck check --rules policy/ --no-builtin --format junit -o report.xml

Exit codes: 0 no findings, 1 findings, 2 bad input or rule error, 3 a rule could not be
decided (unknown verdict or timeout, and no findings).
"""


def _ids(values: list[str]) -> list[str]:
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def _render(result: object, fmt: CheckFormat) -> str:
    from netcheck.policy.result import CheckResult

    assert isinstance(result, CheckResult)
    if fmt is CheckFormat.JSON:
        from netcheck.report.findings import findings_json

        return findings_json(result)
    if fmt is CheckFormat.SARIF:
        from netcheck.report.sarif import sarif_json

        return sarif_json(result)
    if fmt is CheckFormat.JUNIT:
        from netcheck.report.junit import junit_xml

        return junit_xml(result)
    from netcheck.report.findings import findings_text

    return findings_text(result)


def _fail_input(e: NetcheckError, debug: bool) -> None:
    if isinstance(e, RuleError):
        print_diagnostics(e.diagnostics)
        err_console.print(f"error: {e}", style="bold red", markup=False)
        if debug:
            raise e
        sys.exit(ExitCode.BAD_INPUT)
    fail(e, debug=debug)


def check_command(
    snapshots: list[Path] = typer.Argument(
        None, help="Snapshot folders or files (default: `snapshots` from the config)."
    ),
    rules: list[Path] = typer.Option(
        [], "--rules", "-r", help="Rule file or folder, added to the built-in pack (repeatable)."
    ),
    no_builtin: bool = typer.Option(False, "--no-builtin", help="Leave out the built-in pack."),
    select: list[str] = typer.Option(
        [], "--select", help="Only these rule ids (comma-separated, globs allowed)."
    ),
    skip: list[str] = typer.Option([], "--skip", help="Leave out these rule ids."),
    output_format: CheckFormat = typer.Option(CheckFormat.TEXT, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    config: Path | None = typer.Option(
        None, "--config", help="Config file (default: nearest .netcheck.toml / pyproject.toml)."
    ),
    onprem: list[str] = typer.Option([], "--onprem", help="Declare an on-premises CIDR."),
    strict: bool = typer.Option(False, "--strict", help="Treat load warnings as errors."),
    timeout: int | None = typer.Option(None, "--timeout", help="Seconds per question."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    from netcheck.api import load
    from netcheck.policy import apply_suppressions, find_config, read_config, select_rules
    from netcheck.policy.evaluate import evaluate
    from netcheck.policy.loading import builtin_rules_path, check_rule_files
    from netcheck.policy.result import CheckResult

    try:
        cfg = read_config(config) if config is not None else find_config()
        if cfg is None:
            raise RuleError(f"{config} has no [tool.netcheck] section")
        paths = list(snapshots or []) or cfg.snapshot_paths()
        if not paths:
            raise RuleError(
                "no snapshot given and none configured (set `snapshots` in .netcheck.toml or "
                "[tool.netcheck] of pyproject.toml)"
            )
        rule_paths: list[Path] = list(rules) or cfg.rule_paths()
        if not no_builtin and cfg.builtin_rules:
            rule_paths.insert(0, builtin_rules_path())
        if not rule_paths:
            raise RuleError("no rules: --no-builtin without --rules")
        found, problems = check_rule_files(rule_paths)
        if problems:
            raise RuleError(f"{len(problems)} problem(s) in rule files", tuple(problems))
        chosen = select_rules(found, _ids(select) or cfg.select, _ids(skip) if skip else cfg.skip)
        timeout_ms = (timeout or cfg.timeout) * 1000
        result = CheckResult(rules=chosen)
        for path in paths:
            snap = load(path, strict=strict or cfg.strict, onprem_cidrs=tuple(onprem or cfg.onprem))
            warnings = [d for d in snap.diagnostics if d.severity.value != "note"]
            if warnings and output_format is CheckFormat.TEXT and output is None:
                print_diagnostics(warnings)
            part = evaluate(snap, chosen, timeout_ms=timeout_ms, snapshot=str(path))
            result = result.merge(part) if result.snapshots else part
        result = apply_suppressions(result, cfg.suppress)
    except NetcheckError as e:
        _fail_input(e, debug)
        return

    text = _render(result, output_format)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        summary = _render(result, CheckFormat.TEXT).rstrip("\n").rsplit("\n", 1)[-1]
        err_console.print(f"{summary} (report: {output})", markup=False)
    else:
        sys.stdout.write(text)
    raise typer.Exit(result.exit_code)


def validate_command(
    paths: list[Path] = typer.Argument(
        None, help="Rule files or folders (default: the configured rules and the built-in pack)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    """Check rule files against the rule schema; problems name the file, line and field."""
    from netcheck.policy import find_config
    from netcheck.policy.loading import builtin_rules_path, check_rule_files, rule_files

    try:
        todo = list(paths or [])
        if not todo:
            cfg = find_config()
            todo = [builtin_rules_path(), *cfg.rule_paths()]
        files = rule_files(todo)
        found, problems = check_rule_files(files)
    except NetcheckError as e:
        _fail_input(e, debug)
        return
    if problems:
        print_diagnostics(problems)
        err_console.print(
            f"{len(problems)} problem(s) in {len(files)} rule file(s)", style="bold red"
        )
        raise typer.Exit(ExitCode.BAD_INPUT)
    sys.stdout.write(f"{len(found)} rules in {len(files)} file(s): valid\n")
    raise typer.Exit(ExitCode.OK)


def list_command(
    paths: list[Path] = typer.Argument(None, help="Rule files or folders (default: built-in)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
) -> None:
    """List rules: id, severity, title."""
    from netcheck.policy.loading import load_rules

    try:
        found = load_rules(*(paths or []))
    except NetcheckError as e:
        _fail_input(e, debug)
        return
    for r in sorted(found, key=lambda r: r.id):
        sys.stdout.write(f"{r.id}  {r.severity.value:<8}  {r.title}\n")
    raise typer.Exit(ExitCode.OK)


def schema_command() -> None:
    """Print the JSON Schema of rule files (as committed in rules/schema.json)."""
    from netcheck.policy.schema import schema_text

    sys.stdout.write(schema_text())


def register(app: typer.Typer) -> None:
    app.command("check", help=CHECK_HELP)(check_command)
    rules_app = typer.Typer(
        name="rules",
        help="Policy rule files: validate, list, schema.",
        no_args_is_help=True,
        add_completion=False,
    )
    rules_app.command("validate")(validate_command)
    rules_app.command("list")(list_command)
    rules_app.command("schema")(schema_command)
    app.add_typer(rules_app, name="rules")
