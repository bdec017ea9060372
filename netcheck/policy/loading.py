"""Reading rule files: YAML (safe loader only) -> validated `Rule`s, or diagnostics that name
the file, the line and the field.

Input: paths (files or folders of `*.yaml` / `*.yml`). Output: `Rule`s in file order, or
`RuleError` whose `diagnostics` list every problem of every file (not just the first):

    error: rules/custom.yaml:7:5 rules[0].ports[1] [NC-101]: port '70000' is outside 0-65535

Validation is the pydantic model in `netcheck.policy.model`; `rules/schema.json` is generated
from the same model, so an editor using the schema and `netcheck rules validate` agree (the
few cross-field checks — `only-through` needs `through`, … — are only in the model).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from netcheck.errors import Diagnostic, RuleError, Severity
from netcheck.policy.model import Rule, RuleFile

RULE_SUFFIXES = (".yaml", ".yml")


def builtin_rules_path() -> Path:
    """The folder of the built-in pack, shipped inside the package."""
    return Path(str(resources.files("netcheck.policy") / "rules"))


def rule_files(paths: Iterable[Path | str]) -> list[Path]:
    """The rule files named by `paths` (folders are searched recursively), sorted per folder.
    A path that does not exist raises `RuleError`."""
    out: list[Path] = []
    missing: list[Diagnostic] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in RULE_SUFFIXES))
        elif p.is_file():
            out.append(p)
        else:
            missing.append(_diag(str(p), "no such rule file or folder"))
    if missing:
        raise RuleError("rule path not found", tuple(missing))
    unique: dict[Path, Path] = {}
    for f in out:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


def _diag(
    file: str,
    message: str,
    *,
    line: int | None = None,
    column: int | None = None,
    field: str | None = None,
    rule_id: str | None = None,
) -> Diagnostic:
    return Diagnostic(
        severity=Severity.ERROR,
        message=message,
        file=file,
        path=field,
        resource_id=rule_id,
        line=line,
        column=column,
    )


def _duplicate_keys(node: yaml.Node, file: str, out: list[Diagnostic]) -> None:
    """YAML silently keeps the last of two equal keys; a rule file must not rely on that."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    out.append(
                        _diag(
                            file,
                            f"duplicate key {key.value!r} (first on line {seen[key.value]})",
                            line=key.start_mark.line + 1,
                            column=key.start_mark.column + 1,
                        )
                    )
                else:
                    seen[key.value] = key.start_mark.line + 1
            _duplicate_keys(value, file, out)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _duplicate_keys(item, file, out)


def _walk(root: yaml.Node, loc: Sequence[int | str]) -> tuple[yaml.Node, list[int | str], bool]:
    """Follow a pydantic error location through the YAML nodes. Returns the deepest node
    reached, the part of `loc` that names data (not union branch tags), and whether a union
    branch tag contradicts the node's shape (that branch's errors are noise)."""
    node = root
    path: list[int | str] = []
    noise = False
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    node = value
                    path.append(part)
                    break
            else:
                if part == "str":
                    noise = True
                elif part[:1].isupper() or "[" in part:
                    continue  # a model name or validator tag, not a key
                else:
                    path.append(part)  # a missing required field
            continue
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part < len(node.value):
                node = node.value[part]
            path.append(part)
            continue
        if isinstance(node, yaml.ScalarNode) and isinstance(part, str) and part[:1].isupper():
            noise = True  # the mapping branch of a union, given a string
    return node, path, noise


def _field_text(path: Sequence[int | str]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "$"


def _rule_id_at(data: Any, path: Sequence[int | str]) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
            rid = rules[path[1]].get("id")
            return rid if isinstance(rid, str) else None
    return None


def _validation_diagnostics(
    error: ValidationError, root: yaml.Node, data: Any, file: str
) -> list[Diagnostic]:
    kept: dict[tuple[object, ...], Diagnostic] = {}
    fallback: dict[tuple[object, ...], Diagnostic] = {}
    for e in error.errors():
        node, path, noise = _walk(root, e["loc"])
        message = str(e["msg"]).removeprefix("Value error, ")
        d = _diag(
            file,
            message,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            field=_field_text(path),
            rule_id=_rule_id_at(data, path),
        )
        key = (d.line, d.path, d.message)
        (fallback if noise else kept).setdefault(key, d)
    return list((kept or fallback).values())


def read_rule_file(path: Path) -> tuple[list[Rule], list[Diagnostic]]:
    """One file's rules, or the diagnostics that say why it cannot be used."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return [], [_diag(file, f"cannot read: {e}")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        return [], [
            _diag(
                file,
                f"not valid YAML: {problem}",
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
        ]
    if root is None:
        return [], [_diag(file, "empty rule file: expected a mapping with `rules:`")]
    problems: list[Diagnostic] = []
    _duplicate_keys(root, file, problems)
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as e:
        problems.extend(_validation_diagnostics(e, root, data, file))
        return [], problems
    return (list(parsed.rules), problems) if not problems else ([], problems)


def check_rule_files(paths: Iterable[Path | str]) -> tuple[list[Rule], list[Diagnostic]]:
    """Every rule of `paths` and every problem found (bad files, duplicate ids across files).
    The rules are only complete when the diagnostics are empty."""
    rules: list[Rule] = []
    problems: list[Diagnostic] = []
    where: dict[str, str] = {}
    for f in rule_files(paths):
        found, diags = read_rule_file(f)
        problems.extend(diags)
        for r in found:
            if r.id in where:
                problems.append(
                    _diag(str(f), f"rule id {r.id} is already used in {where[r.id]}", rule_id=r.id)
                )
                continue
            where[r.id] = str(f)
            rules.append(r)
    return rules, problems


def load_rules(*paths: Path | str, builtin: bool = False) -> tuple[Rule, ...]:
    """The rules of `paths` (files or folders), plus the built-in pack when `builtin` (or when
    no path is given). Raises `RuleError` listing every problem.

        rules = load_rules("rules/custom.yaml", builtin=True)
    """
    todo: list[Path | str] = list(paths)
    if builtin or not todo:
        todo.insert(0, builtin_rules_path())
    rules, problems = check_rule_files(todo)
    if problems:
        n = len(problems)
        raise RuleError(f"{n} problem{'s' if n != 1 else ''} in rule files", tuple(problems))
    return tuple(rules)
