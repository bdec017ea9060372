"""`netcheck check` and the policy API: expectations, selection, suppressions, configuration,
exit codes and the text / JSON / JUnit reports."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import typer
from conftest import FIXTURES
from typer.testing import CliRunner

import netcheck
from netcheck.api import load
from netcheck.cli.check import register
from netcheck.explain.answer import Answer, Query, Verdict
from netcheck.policy import (
    CheckResult,
    RuleError,
    Suppression,
    apply_suppressions,
    check,
    find_config,
    load_rules,
)
from netcheck.policy.config import read_config
from netcheck.report.findings import findings_text
from netcheck.report.junit import junit_xml

POLICY = FIXTURES / "policy"
SSH_OPEN = POLICY / "ssh-open" / "snapshot.json"
CLEAN = POLICY / "clean" / "snapshot.json"
WEB = "i-0a00000000000web1"
PRIVATE_1 = "i-055eb177e6d26b536"  # nat-gateway fixture: private subnet, egress via NAT


def rules_file(tmp_path: Path, body: str, name: str = "custom.yaml") -> Path:
    p = tmp_path / name
    p.write_text("rules:\n" + textwrap.indent(textwrap.dedent(body), "  "), encoding="utf-8")
    return p


EGRESS_VIA = """\
- id: XY-001
  title: Private servers reach the internet only through {through}
  severity: low
  rationale: Egress is inspected there.
  from: {{type: [instance], public_subnet: false}}
  to: internet
  protocol: tcp
  ports: [443]
  expect: only-through
  through: [{through}]
"""


def test_only_through_passes_when_the_witness_passes_the_component(tmp_path):
    rules = load_rules(rules_file(tmp_path, EGRESS_VIA.format(through="nat-gateway")))
    result = check(load(FIXTURES / "nat-gateway"), rules)
    assert result.findings == () and result.undecided == ()
    assert result.questions >= 2  # private-1 and isolated-1 were both asked


def test_only_through_fails_when_the_witness_avoids_the_component(tmp_path):
    rules = load_rules(rules_file(tmp_path, EGRESS_VIA.format(through="vpc-endpoint")))
    (f,) = check(load(FIXTURES / "nat-gateway"), rules).findings
    assert f.resource_id == PRIVATE_1
    assert "avoids vpc-endpoint" in f.message
    assert any(h.kind == "nat-gateway" for h in f.path)


def test_reachable_rule_that_fails_carries_the_proof(tmp_path):
    body = """\
    - id: XY-002
      title: The internet reaches the private app server on 8080
      severity: info
      rationale: A deliberately wrong expectation.
      from: internet
      to: i-0a00000000000app1
      protocol: tcp
      ports: [8080]
      expect: reachable
    """
    (f,) = check(load(CLEAN), load_rules(rules_file(tmp_path, body))).findings
    assert f.verdict == "unreachable" and not f.path
    assert f.blockers and all(b.code for b in f.blockers)
    assert "Blocked by:" in f.fix
    assert "proof (blocked by)" in findings_text(CheckResult(rules=(), findings=(f,), questions=1))


def test_select_and_skip():
    snap = load(SSH_OPEN)
    assert [r.id for r in check(snap, select=["NC-001"]).rules] == ["NC-001"]
    assert "NC-001" not in {r.id for r in check(snap, skip=["NC-00[1-8]"]).rules}
    with pytest.raises(RuleError, match="matches no rule"):
        check(snap, select=["NC-999"])


def test_check_accepts_a_network_or_a_path():
    # `netcheck.check` (the API) loads a path or wraps a Network; `netcheck.policy.check` takes
    # what answers questions (the policy layer does not know the API).
    by_path = netcheck.check(SSH_OPEN, select=["NC-001"])
    by_network = netcheck.check(load(SSH_OPEN).network, select=["NC-001"])
    assert [f.resource_id for f in by_path.findings] == [WEB]
    assert by_network.findings[0].fingerprint == by_path.findings[0].fingerprint


def test_suppressions_reason_expiry_and_reporting():
    result = check(load(SSH_OPEN), select=["NC-001"])
    live = Suppression(rule="NC-001", resource="web", reason="IP-restricted upstream")
    gone = Suppression(rule="NC-00*", reason="old waiver", expires=date(2020, 1, 1))
    unused = Suppression(rule="NC-007", reason="no database here")
    out = apply_suppressions(result, [gone, live, unused], today=date(2026, 1, 1))
    assert out.findings == () and out.exit_code == 0
    assert out.suppressed[0].suppression == live
    assert out.expired_suppressions == (gone,)
    assert out.unused_suppressions == (unused,)
    # Expired: the finding comes back.
    out = apply_suppressions(result, [gone], today=date(2026, 1, 1))
    assert len(out.findings) == 1 and out.expired_suppressions == (gone,)
    text = findings_text(out)
    assert "expired suppression (no longer applied): NC-00* until 2020-01-01" in text
    with pytest.raises(ValueError):
        Suppression(rule="NC-001", reason="  ")


class UnknownEngine:
    """An engine that cannot decide anything (a timeout everywhere)."""

    def __init__(self, network):
        self.network = network

    def query(self, src, dst, **kwargs):
        return Answer(verdict=Verdict.UNKNOWN, query=Query(src=src, dst=dst), reason="timeout")


def test_undecided_is_exit_3_and_reported():
    result = check(UnknownEngine(load(SSH_OPEN).network), select=["NC-001"])
    assert result.findings == () and result.undecided
    assert result.exit_code == 3
    assert "timeout" in findings_text(result)
    root = ET.fromstring(junit_xml(result))
    assert root.get("errors") == "1"


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        pass

    return app


def run(args: list[str]):
    return CliRunner().invoke(cli(), args)


def test_cli_exit_codes(tmp_path):
    assert run(["check", str(CLEAN)]).exit_code == 0
    res = run(["check", str(SSH_OPEN), "--select", "NC-001"])
    assert res.exit_code == 1
    assert "NC-001 [high] i-0a00000000000web1 (web)" in res.output
    assert "igw-0a0000000000000a1" in res.output  # the witness path
    assert "fix:" in res.output
    assert run(["check", str(tmp_path / "missing")]).exit_code == 2
    bad = rules_file(tmp_path, "- id: bad\n")
    res = run(["check", str(CLEAN), "--rules", str(bad)])
    assert res.exit_code == 2 and "custom.yaml" in res.output
    assert run(["check", str(CLEAN), "--select", "NC-999"]).exit_code == 2


def test_cli_json_and_junit(tmp_path):
    out = tmp_path / "report.json"
    res = run(["check", str(SSH_OPEN), "--select", "NC-001", "-f", "json", "-o", str(out)])
    assert res.exit_code == 1
    doc = json.loads(out.read_text())
    assert doc["summary"]["findings"] == 1 and doc["summary"]["exit_code"] == 1
    (f,) = doc["findings"]
    assert f["rule_id"] == "NC-001" and f["resource_id"] == WEB
    assert f["path"][0]["component_id"] == "igw-0a0000000000000a1"
    assert f["location"]["path"].startswith("$.Reservations[0].Instances[0]")
    res = run(["check", str(SSH_OPEN), "-f", "junit"])
    root = ET.fromstring(res.output)
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(load_rules())
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("classname") for c in failed] == ["netcheck.NC-001"]
    assert "igw-0a0000000000000a1" in (failed[0].find("failure").text or "")


def write_repo(tmp_path: Path, config: str, name: str = ".netcheck.toml") -> Path:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "snapshot.json").write_text(SSH_OPEN.read_text())
    (tmp_path / name).write_text(textwrap.dedent(config))
    return tmp_path


def test_config_makes_check_work_without_arguments(tmp_path, monkeypatch):
    repo = write_repo(
        tmp_path,
        """\
        snapshots = ["net/snapshot.json"]
        select = ["NC-001"]
        """,
    )
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")  # found from a sub-folder too
    res = run(["check"])
    assert res.exit_code == 1 and "NC-001" in res.output


def test_pyproject_suppression_with_reason(tmp_path, monkeypatch):
    repo = write_repo(
        tmp_path,
        """\
        [project]
        name = "infra"

        [tool.netcheck]
        snapshots = ["net/snapshot.json"]
        select = ["NC-001"]

        [[tool.netcheck.suppress]]
        rule = "NC-001"
        resource = "i-0a00000000000web1"
        reason = "bastion until the SSM migration"
        expires = 2999-01-01
        """,
        "pyproject.toml",
    )
    monkeypatch.chdir(repo)
    cfg = find_config()
    assert cfg.suppress[0].reason.startswith("bastion")
    res = run(["check"])
    assert res.exit_code == 0, res.output
    assert "[suppressed]" in res.output and "bastion until" in res.output


def test_suppression_without_reason_is_a_config_error(tmp_path, monkeypatch):
    repo = write_repo(
        tmp_path,
        """\
        snapshots = ["net/snapshot.json"]
        [[suppress]]
        rule = "NC-001"
        """,
    )
    with pytest.raises(RuleError) as e:
        read_config(repo / ".netcheck.toml")
    (d,) = e.value.diagnostics
    assert d.path == "suppress.0.reason" and "needs a reason" in d.message
    monkeypatch.chdir(repo)
    res = run(["check"])
    assert res.exit_code == 2 and "suppress.0.reason" in res.output


def test_no_snapshot_and_no_config_is_bad_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run(["check"])
    assert res.exit_code == 2 and "no snapshot given" in res.output


def test_output_is_deterministic():
    a = check(load(POLICY / "default-sg-used" / "snapshot.json")).to_dict()
    b = check(load(POLICY / "default-sg-used" / "snapshot.json")).to_dict()
    assert a == b
    ids = [(f["rule_id"], f["resource_id"]) for f in a["findings"]]
    assert ids == sorted(ids)


def test_rule_naming_an_unknown_endpoint_is_a_rule_error(tmp_path):
    body = """\
    - id: XY-003
      title: Nothing reaches the payments host
      severity: high
      rationale: It does not exist in this snapshot.
      from: internet
      to: payments-host
      expect: unreachable
    """
    result = check(load(CLEAN), load_rules(rules_file(tmp_path, body)))
    assert result.exit_code == 2
    (d,) = result.errors
    assert "unknown endpoint 'payments-host'" in d.message and d.message.startswith("XY-003")
    res = run(["check", str(CLEAN), "--no-builtin", "--rules", str(tmp_path / "custom.yaml")])
    assert res.exit_code == 2 and "payments-host" in res.output


def test_several_snapshots_in_one_run():
    res = run(["check", str(CLEAN), str(SSH_OPEN), "--select", "NC-001", "-f", "json"])
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert doc["snapshots"] == [str(CLEAN), str(SSH_OPEN)]
    assert [f["snapshot"] for f in doc["findings"]] == [str(SSH_OPEN)]
