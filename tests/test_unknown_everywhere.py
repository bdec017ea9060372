"""Issue #9 §4: an answer the model cannot give is `unknown` in every question — query,
reachable-set, exposure, diff and check — never "not reachable" or "no change".

The snapshot is fixtures/three-tier in describe-* shapes with one change: the public subnets'
default route goes to an appliance's network interface (app-1's ENI), a route target whose
forwarding netcheck does not model. An internet packet reaches web-1 through the internet
gateway, but its reply leaves by the appliance: whether the connection works is not known.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

import netcheck
from netcheck.cli import app
from netcheck.questions import diff, exposure, reachable_set

PUBLIC_RTB = "rtb-0e87ce260be7a6198"
APPLIANCE_ENI = "eni-0128c492c974254fc"  # app-1's interface, used as a route target
WEB_SG = "sg-0ac485de9170fa064"
WEB_1, WEB_2, BASTION = "i-064d0a088d0d68e56", "i-099afb9c8a7d0b4e6", "i-004d2b6fddfa05798"
NOT_MODELLED = "forwarding through it is not modelled"


def _three_tier() -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for f in sorted((FIXTURES / "three-tier").glob("*.json")):
        for key, value in json.loads(f.read_text()).items():
            doc.setdefault(key, [])
            doc[key] += value if isinstance(value, list) else [value]
    return doc


def _through_appliance(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for rt in doc["RouteTables"]:
        if rt["RouteTableId"] == PUBLIC_RTB:
            for route in rt["Routes"]:
                if route.get("DestinationCidrBlock") == "0.0.0.0/0":
                    del route["GatewayId"]
                    route["NetworkInterfaceId"] = APPLIANCE_ENI
    return doc


def _rdp_opened(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for sg in doc["SecurityGroups"]:
        if sg["GroupId"] == WEB_SG:
            sg["IpPermissions"].append(
                {
                    "IpProtocol": "tcp",
                    "FromPort": 3389,
                    "ToPort": 3389,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": [],
                }
            )
    return doc


@pytest.fixture(scope="module")
def before() -> netcheck.Snapshot:
    return netcheck.load(_through_appliance(_three_tier()))


@pytest.fixture(scope="module")
def after() -> netcheck.Snapshot:
    return netcheck.load(_rdp_opened(_through_appliance(_three_tier())))


def _write(tmp_path: Path, name: str, doc: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return str(path)


def test_query_is_unknown(before):
    answer = before.query("internet", WEB_1, protocol="tcp", port=443)
    assert answer.verdict == "unknown"
    assert NOT_MODELLED in (answer.reason or "")


def test_reachable_set_is_not_complete(before):
    rs = reachable_set(before, "internet", WEB_1)
    assert not rs.boxes
    assert rs.status == "unknown"
    assert rs.unknown_paths and NOT_MODELLED in (rs.reason or "")


def test_exposure_lists_the_resources_under_unknown(before):
    ex = exposure(before, "internet")
    by_id = {r.id: r for r in ex.resources}
    for rid in (WEB_1, WEB_2, BASTION):
        r = by_id[rid]
        assert not r.reachable
        assert r.status == "unknown", rid
        assert NOT_MODELLED in (r.reason or ""), r.reason
        # No security group is blamed for what the route table decides.
        assert "ENI_SG_RULES_MISMATCH" not in (r.reason or "")
    summary = ex.summary()
    assert summary["unknown"] == 3
    assert summary["not_reachable"] == len(ex.resources) - 3


def test_exposure_is_precise_where_the_groups_decide():
    """An interface in the same subnet whose groups let nothing in from the internet is
    proven unreachable: the unknown return path concerns only packets its groups admit."""
    doc = _through_appliance(_three_tier())
    for eni in doc["NetworkInterfaces"]:
        if eni["NetworkInterfaceId"] == "eni-06fd1632f35c342a6":  # web-2
            eni["Groups"] = [{"GroupId": "sg-closed", "GroupName": "closed"}]
    vpc = next(sg["VpcId"] for sg in doc["SecurityGroups"] if sg["GroupId"] == WEB_SG)
    doc["SecurityGroups"].append(
        {
            "GroupId": "sg-closed",
            "GroupName": "closed",
            "Description": "no ingress",
            "VpcId": vpc,
            "OwnerId": "482915306741",
            "IpPermissions": [],
            "IpPermissionsEgress": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": [],
                }
            ],
        }
    )
    ex = exposure(netcheck.load(doc), "internet")
    web2 = next(r for r in ex.resources if r.id == WEB_2)
    assert web2.status == "complete" and not web2.reachable
    web1 = next(r for r in ex.resources if r.id == WEB_1)
    assert web1.status == "unknown"


def test_diff_reports_the_pair_undecided(before, after):
    d = diff(before, after)
    assert d.status == "unknown"
    web1 = next(p for p in d.pairs if p.dst == WEB_1)
    assert web1.status == "unknown" and NOT_MODELLED in (web1.reason or "")


def test_diff_of_identical_snapshots_is_no_change_despite_unknown_paths():
    """Two loads of the same snapshot: nothing changed, so nothing is undecided either (a CI
    gate on an estate with an appliance route must not fail when nothing changed)."""
    a = netcheck.load(_through_appliance(_three_tier()))
    b = netcheck.load(_through_appliance(_three_tier()))
    d = diff(a, b)
    assert d.pairs == () and d.status == "complete" and d.pairs_compared > 0


def test_diff_names_the_side_whose_path_is_unknown(before):
    """Old has the unknown return path, new routes through the internet gateway and lets
    RDP in: whether RDP is newly reachable depends on what the appliance did in old."""
    plain = netcheck.load(_rdp_opened(_three_tier()))
    d = diff(before, plain, dst=WEB_1)
    (pair,) = d.pairs
    assert pair.status == "unknown"
    assert "in the old snapshot" in (pair.reason or "")


def test_cli_exit_3_in_every_question(tmp_path):
    a = _write(tmp_path, "before.json", _through_appliance(_three_tier()))
    b = _write(tmp_path, "after.json", _rdp_opened(_through_appliance(_three_tier())))
    runner = CliRunner()
    cases = [
        ["query", a, "--from", "internet", "--to", WEB_1, "--protocol", "tcp", "--port", "443"],
        ["reachable-set", a, "--from", "internet", "--to", WEB_1],
        ["exposure", a],
        ["diff", a, b],
        ["check", b],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 3, (args, result.stdout)
    ex = json.loads(runner.invoke(app, ["exposure", a, "--format", "json"]).stdout)
    web1 = next(r for r in ex["resources"] if r["id"] == WEB_1)
    assert web1["status"] != "complete"
    out = runner.invoke(app, ["exposure", a]).stdout
    assert "unknown —" in out
