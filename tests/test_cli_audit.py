"""CLI: `netcheck exposure`, `netcheck diff`, `netcheck reachable-set` (registered by
`netcheck.cli.audit.register`): exit codes, JSON output, no tracebacks."""

from __future__ import annotations

import json
import shutil

import pytest
import typer
from conftest import FIXTURES
from typer.testing import CliRunner

from netcheck.cli.audit import register

THREE_TIER = str(FIXTURES / "three-tier")


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    a = typer.Typer()
    register(a)
    return a


def run(app: typer.Typer, *args: str):
    return CliRunner().invoke(app, list(args))


def test_exposure_json(app):
    r = run(app, "exposure", THREE_TIER, "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {"resources", "summary"} <= set(d)
    assert any(x["reachable"] for x in d["resources"])


def test_exposure_text_has_summary(app):
    r = run(app, "exposure", THREE_TIER)
    assert r.exit_code == 0 and "summary" in r.stdout and "not reachable" in r.stdout


def test_exposure_bad_origin_exits_2(app):
    r = run(app, "exposure", THREE_TIER, "--from", "no-such-thing")
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_reachable_set_json(app):
    r = run(app, "reachable-set", THREE_TIER, "--from", "internet", "--to", "web-1", "-f", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [b["dst_ports"] for b in d["boxes"]] == [[[80, 80], [443, 443]]]


def test_diff_exit_codes(app, tmp_path):
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(THREE_TIER, old)
    shutil.copytree(THREE_TIER, new)
    same = run(app, "diff", str(old), str(new), "--to", "web-1")
    assert same.exit_code == 0, same.output
    sgs = json.loads((new / "SecurityGroups.json").read_text())
    web = next(g for g in sgs["SecurityGroups"] if g["GroupId"] == "sg-0ac485de9170fa064")
    web["IpPermissions"].append(
        {
            "IpProtocol": "tcp",
            "FromPort": 8443,
            "ToPort": 8443,
            "IpRanges": [{"CidrIp": "203.0.113.0/24"}],
            "Ipv6Ranges": [],
            "PrefixListIds": [],
            "UserIdGroupPairs": [],
        }
    )
    (new / "SecurityGroups.json").write_text(json.dumps(sgs))
    opened = run(app, "diff", str(old), str(new), "--to", "web-1", "--format", "json")
    assert opened.exit_code == 1, opened.output
    d = json.loads(opened.stdout)
    assert d["changed"] is True
    [pair] = d["pairs"]
    assert [(b["protocol"], b["dst_ports"], b["src_cidrs"]) for b in pair["added"]] == [
        ("tcp", [[8443, 8443]], ["203.0.113.0/24"])
    ]
    assert "ENI_SG_RULES_MISMATCH" in pair["added"][0]["blocked_in_old"]
    closed = run(app, "diff", str(new), str(old), "--to", "web-1")
    assert closed.exit_code == 0 and "no longer reachable" in closed.stdout
