"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Input: a `CheckResult`. Output: a SARIF log (dict or JSON text): one run, the rules with
descriptions, help and `security-severity`, one result per finding located at the snapshot
file and the line of the offending resource's JSON path (its provenance), with the JSON path as
a logical location, the witness path as a code flow, and suppressed findings marked as such.

GitHub requires a line for an annotation; `json_path_line` finds the line on which the value at
a JSON path (`$.Reservations[0].Instances[1]`) starts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netcheck.model.base import Provenance

if TYPE_CHECKING:
    from netcheck.policy.model import Rule
    from netcheck.policy.result import CheckResult, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/netcheck/netcheck"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_PATH_TOKEN = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def _path_tokens(path: str) -> list[str | int] | None:
    if not path.startswith("$"):
        return None
    tokens: list[str | int] = []
    pos = 1
    while pos < len(path):
        m = _PATH_TOKEN.match(path, pos)
        if m is None:
            return None
        tokens.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    return tokens


class _Scanner:
    """Just enough of a JSON reader to know where each value starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def ws(self) -> None:
        t = self.text
        while self.i < len(t) and t[self.i] in " \t\r\n":
            self.i += 1

    def string(self) -> str:
        m = re.compile(r'"((?:[^"\\]|\\.)*)"').match(self.text, self.i)
        if m is None:
            raise ValueError("string expected")
        self.i = m.end()
        return str(json.loads(m.group(0)))

    def skip(self) -> None:
        """Skip one value."""
        self.ws()
        c = self.text[self.i]
        if c == '"':
            self.string()
        elif c in "{[":
            close = "}" if c == "{" else "]"
            self.i += 1
            self.ws()
            if self.text[self.i] == close:
                self.i += 1
                return
            while True:
                if c == "{":
                    self.ws()
                    self.string()
                    self.ws()
                    self.i += 1  # ':'
                self.skip()
                self.ws()
                sep = self.text[self.i]
                self.i += 1
                if sep == close:
                    return
        else:
            m = re.compile(r"[^,\]\}\s]+").match(self.text, self.i)
            if m is None:
                raise ValueError("value expected")
            self.i = m.end()

    def find(self, tokens: list[str | int]) -> int | None:
        """Offset where the value at `tokens` starts, or None."""
        self.ws()
        for tok in tokens:
            c = self.text[self.i]
            self.i += 1
            if c == "{" and isinstance(tok, str):
                while True:
                    self.ws()
                    if self.text[self.i] == "}":
                        return None
                    key = self.string()
                    self.ws()
                    self.i += 1  # ':'
                    self.ws()
                    if key == tok:
                        break
                    self.skip()
                    self.ws()
                    if self.text[self.i] == "}":
                        return None
                    self.i += 1  # ','
            elif c == "[" and isinstance(tok, int):
                for _ in range(tok):
                    self.ws()
                    if self.text[self.i] == "]":
                        return None
                    self.skip()
                    self.ws()
                    if self.text[self.i] == "]":
                        return None
                    self.i += 1  # ','
                self.ws()
                if self.text[self.i] == "]":
                    return None
            else:
                return None
        return self.i


def json_path_line(text: str, path: str) -> int | None:
    """The 1-based line where the value at JSON path `path` starts in `text` (None when the
    path is not there or the text is not JSON)."""
    tokens = _path_tokens(path)
    if tokens is None:
        return None
    try:
        offset = _Scanner(text).find(tokens)
    except (ValueError, IndexError):
        return None
    return None if offset is None else text.count("\n", 0, offset) + 1


def _artifact_uri(file: str, base: Path) -> tuple[str, bool]:
    """A URI for `file` relative to `base` when it is inside it (True), else absolute."""
    p = Path(file)
    absolute = p if p.is_absolute() else (Path.cwd() / p)
    try:
        return absolute.resolve().relative_to(base.resolve()).as_posix(), True
    except ValueError:
        return absolute.resolve().as_uri(), False


def _location(where: Provenance, base: Path, lines: dict[str, str | None]) -> dict[str, Any]:
    uri, relative = _artifact_uri(where.file, base)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if where.file not in lines:
        try:
            lines[where.file] = Path(where.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            lines[where.file] = None
    text = lines[where.file]
    line = json_path_line(text, where.path) if text is not None else None
    physical["region"] = {"startLine": line or 1}
    loc: dict[str, Any] = {"physicalLocation": physical}
    logical = {"fullyQualifiedName": where.path, "kind": "object"}
    if where.resource_id:
        logical["name"] = where.resource_id
    loc["logicalLocations"] = [logical]
    return loc


def _rule(rule: Rule) -> dict[str, Any]:
    refs = rule.references
    tags = ["security", "network", f"severity:{rule.severity.value}"]
    tags += [f"CIS {c}" for c in refs.cis]
    help_md = [f"**{rule.title}**", "", rule.rationale.strip()]
    if rule.fix:
        help_md += ["", f"**Fix:** {rule.fix.strip()}"]
    ref_lines = [f"- CIS AWS Foundations {c}" for c in refs.cis]
    ref_lines += [f"- Prowler `{p}`" for p in refs.prowler]
    ref_lines += [f"- Checkov `{c}`" for c in refs.checkov]
    ref_lines += [f"- {u}" for u in refs.urls]
    if ref_lines:
        help_md += ["", "**Covers:**", *ref_lines]
    help_text = rule.rationale.strip() + (f"\n\nFix: {rule.fix.strip()}" if rule.fix else "")
    out: dict[str, Any] = {
        "id": rule.id,
        "name": re.sub(r"[^A-Za-z0-9]+", " ", rule.title).title().replace(" ", ""),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale.strip()},
        "help": {"text": help_text, "markdown": "\n".join(help_md)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
        "properties": {
            "tags": tags,
            "security-severity": rule.severity.score,
            "precision": "very-high",
            "problem.severity": "error" if _LEVEL[rule.severity.value] == "error" else "warning",
        },
    }
    if refs.urls:
        out["helpUri"] = refs.urls[0]
    return out


def _code_flow(f: Finding) -> list[dict[str, Any]]:
    def flow(hops: Any, label: str) -> dict[str, Any]:
        return {
            "message": {"text": label},
            "locations": [
                {
                    "location": {
                        "message": {
                            "text": f"{h.kind} {h.component_id}"
                            + (f" rule {h.rule}" if h.rule else "")
                            + f": {h.action}"
                            + (f" ({h.detail})" if h.detail else "")
                        }
                    }
                }
                for h in hops
            ],
        }

    flows = [flow(f.path, "forward path")]
    if f.return_path:
        flows.append(flow(f.return_path, "return path"))
    return [{"message": {"text": f"witness: {f.packet or f.question}"}, "threadFlows": flows}]


def _result(
    f: Finding,
    index: dict[str, int],
    base: Path,
    cache: dict[str, str | None],
    suppression: tuple[str, str] | None = None,
) -> dict[str, Any]:
    text = f.message
    if f.path:
        text += f". Witness path: {f.path_text}"
    if f.blockers:
        text += ". Blocked by: " + ", ".join(f"{b.component_id} ({b.code})" for b in f.blockers)
    if f.fix:
        text += f". Fix: {f.fix}"
    where = f.location or Provenance(file=f.snapshot or ".", path="$", resource_id=f.resource_id)
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": _LEVEL[f.severity.value],
        "message": {"text": text},
        "locations": [_location(where, base, cache)],
        "partialFingerprints": {"netcheckFinding/v1": f.fingerprint},
        "properties": {
            "resource": f.resource_id,
            "question": f.question.model_dump(mode="json"),
            "verdict": f.verdict,
        },
    }
    if f.path:
        out["codeFlows"] = _code_flow(f)
    if suppression is not None:
        out["suppressions"] = [{"kind": "external", "justification": suppression[1]}]
    return out


def sarif_log(result: CheckResult, base: Path | None = None) -> dict[str, Any]:
    """The SARIF log of a check. File URIs are relative to `base` (default: the current
    folder, i.e. the repository root in CI) with `uriBaseId` `%SRCROOT%`."""
    from netcheck.version import __version__

    base = base or Path.cwd()
    rules = sorted(result.rules, key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(rules)}
    cache: dict[str, str | None] = {}
    results = [_result(f, index, base, cache) for f in result.findings]
    results += [
        _result(s.finding, index, base, cache, ("external", str(s.suppression.reason)))
        for s in result.suppressed
        if s.finding.rule_id in index
    ]
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"{u.rule_id} {u.resource_id}: {u.question}: {u.reason}"},
        }
        for u in result.undecided
    ] + [
        {"level": "warning", "message": {"text": f"expired suppression: {s}"}}
        for s in result.expired_suppressions
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "netcheck",
                "informationUri": INFORMATION_URI,
                "semanticVersion": __version__,
                "version": __version__,
                "rules": [_rule(r) for r in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}},
        "invocations": [invocation],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def sarif_json(result: CheckResult, base: Path | None = None) -> str:
    return json.dumps(sarif_log(result, base), indent=2) + "\n"
