"""`netcheck validate`, `show`, `schema`: exit codes, output, and no traceback on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcheck.cli import app
from netcheck.inputs import load_snapshot
from netcheck.model import Network

DATA = Path(__file__).parent / "data"
KITCHEN_SINK = DATA / "kitchen-sink.json"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_usable_snapshot():
    result = run("validate", KITCHEN_SINK)
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(
        f"ok: {KITCHEN_SINK} is usable (0 warnings, 12 notes): 2 VPCs, 3 subnets"
    )
    assert "8 interfaces, 2 instances" in last
    assert "left out: state 'stopped'" in result.stdout


def test_validate_peer_snapshot(hybrid_cloud):
    result = run("validate", hybrid_cloud, "--strict")
    assert result.exit_code == 0, result.output
    assert "4 VPCs, 8 subnets" in result.stdout and "4 instances" in result.stdout
    assert "2 transit gateways" in result.stdout


def test_validate_malformed_json_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "Vpcs.json"
    bad.write_text('{"Vpcs": [\n  {"VpcId": "vpc-1",}\n]}')
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    no_traceback(result)
    assert f"error: {bad}:2:21" in result.stderr
    assert "malformed JSON" in result.stderr
    assert "is not usable: 1 error" in result.stderr


def test_validate_strict_turns_warnings_into_errors(tmp_path):
    doc = json.loads(KITCHEN_SINK.read_text())
    doc["Vpcs"][0]["Colour"] = "red"
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(doc))
    loose = run("validate", path)
    assert loose.exit_code == 0
    assert (
        f"warning: {path} $.Vpcs[0].Colour [vpc-0a]: unknown field Colour ignored" in loose.stdout
    )
    strict = run("validate", path, "--strict")
    assert strict.exit_code == 2
    no_traceback(strict)
    assert f"error: {path} $.Vpcs[0].Colour [vpc-0a]: unknown field Colour ignored" in strict.stderr


def test_validate_json_format(tmp_path):
    ok = run("validate", KITCHEN_SINK, "--format", "json")
    assert ok.exit_code == 0
    doc = json.loads(ok.stdout)
    assert doc["usable"] is True and doc["counts"]["vpcs"] == 2
    assert doc["severity_counts"] == {"error": 0, "warning": 0, "note": 12}

    bad = json.loads(KITCHEN_SINK.read_text())
    bad["Subnets"][2]["VpcId"] = "vpc-0gone"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 2
    no_traceback(result)
    doc = json.loads(result.stdout)
    assert doc["usable"] is False and doc["counts"] is None
    (err,) = [d for d in doc["diagnostics"] if d["severity"] == "error"]
    assert (err["file"], err["path"], err["resource_id"]) == (
        str(path),
        "$.Subnets[2].VpcId",
        "subnet-0b1",
    )


def test_validate_onprem(tmp_path):
    result = run("validate", KITCHEN_SINK, "--onprem", "10.250.0.0/16", "--onprem", "bad")
    assert result.exit_code == 2
    no_traceback(result)
    assert "invalid on-prem CIDR 'bad'" in result.stderr


def test_missing_snapshot_exits_2():
    result = run("validate", "/nonexistent/snapshot")
    assert result.exit_code == 2
    no_traceback(result)
    assert "not found" in result.stderr


def test_debug_shows_the_exception(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{")
    result = run("validate", bad, "--debug")
    assert result.exit_code != 0
    assert result.exception is not None and not isinstance(result.exception, SystemExit)


def test_show_text_lists_inventory_sorted(test_nat_gateway):
    result = run("show", test_nat_gateway)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for needle in (
        "vpc-0008a7b45e3ddf1dd",
        "10.1.0.0/16",
        "rtb-0e169c4a1e0b27b55 (main)",
        "acl-0792adae678b88f85",
        "18.216.129.140",
        "nat-gateway nat-07ab4846da51f4612",
        "10.1.250.210 -> 3.135.127.225",
        "igw-071753b9c23d8a9b2",
    ):
        assert needle in out, needle
    subnets = ["subnet-02ff259e663e9613e", "subnet-0428892a357fa1f94", "subnet-06f469bcee42e408e"]
    positions = [out.index(s) for s in subnets]
    assert positions == sorted(positions)
    assert run("show", test_nat_gateway).stdout == out  # deterministic


def test_show_tgw_sections(hybrid_cloud):
    out = run("show", hybrid_cloud).stdout
    assert "Transit gateways" in out and "TGW route tables" in out
    assert "tgw-attach-0881ce2eb93cd63a8 (vpn vpn-01c45673532d3e33e)" in out
    assert "10.20.0.0/16 -> tgw-attach-0648110513acd6de5 (propagated)" in out
    assert "tgw-attach-0cc6cf6a578b754e3" not in out  # deleting: left out


def test_show_json_is_netcheck_json_and_loads_back(tmp_path):
    result = run("show", KITCHEN_SINK, "--format", "json")
    assert result.exit_code == 0
    path = tmp_path / "net.json"
    path.write_text(result.stdout)
    assert load_snapshot(path).network == load_snapshot(KITCHEN_SINK).network
    assert run("validate", path).exit_code == 0


def test_show_bad_snapshot_exits_2(tmp_path):
    (tmp_path / "a.json").write_text('{"Subnets": [{"SubnetId": "subnet-1"}]}')
    result = run("show", tmp_path)
    assert result.exit_code == 2
    no_traceback(result)
    assert "missing required field VpcId" in result.stderr


def test_schema_stdout_and_file(tmp_path):
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == Network.model_json_schema()
    assert "vpcs" in schema["properties"] and "schema_version" in schema["properties"]
    out = tmp_path / "schema.json"
    result = run("schema", "--output", out)
    assert result.exit_code == 0
    assert json.loads(out.read_text()) == schema


def test_schema_validates_netcheck_json():
    jsonschema = pytest.importorskip("jsonschema")
    doc = json.loads(run("show", KITCHEN_SINK, "--format", "json").stdout)
    jsonschema.validate(doc, json.loads(run("schema").stdout))


@pytest.mark.parametrize("command", ["validate", "show", "schema"])
def test_help_teaches_with_examples(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout and f"netcheck {command}" in result.stdout


GOLDEN = DATA / "golden" / "show-kitchen-sink.txt"


def test_show_text_matches_golden_file():
    """Regenerate with NETCHECK_UPDATE_GOLDEN=1 after an intended change of the layout."""
    result = run("show", KITCHEN_SINK)
    assert result.exit_code == 0
    # rich pads table titles with spaces; compare without trailing whitespace.
    text = "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n"
    if os.environ.get("NETCHECK_UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()


def _netcheck(*args: object) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process (what a user sees, nothing swallowed by a runner)."""
    code = "from netcheck.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=DATA.parent.parent,
        check=False,
    )


def test_process_malformed_file_exit_2_no_traceback():
    bad = DATA / "bad" / "trailing-comma.json"
    proc = _netcheck("validate", bad)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"error: {bad}:4:3 $: malformed JSON" in proc.stderr


def test_process_dangling_references():
    bad = DATA / "bad" / "dangling.json"
    proc = _netcheck("validate", bad)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.splitlines()
    assert (
        f"error: {bad} $.Subnets[1].VpcId [subnet-2]: the subnet's VPC vpc-404 is not in the "
        "snapshot" in lines
    )
    assert (
        f"warning: {bad} $.RouteTables[0].Routes[1].NatGatewayId [rtb-1]: NAT gateway nat-404 is "
        "not in the snapshot; the route is active, so AWS has the target: paths along it are "
        "unknown" in lines
    )
    assert (
        f"warning: {bad} $.NetworkAcls[0].Associations[0].SubnetId [acl-1]: associated subnet "
        "subnet-404 is not in the snapshot" in lines
    )
