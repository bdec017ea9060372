"""The benchmark estate generator (benchmarks/generate.py) at 100 interfaces: deterministic per
seed, AWS-shaped, every reference resolves, and netcheck's loader reads it without errors.

No timing here: the benchmark itself is `python -m benchmarks.run`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.estate import EstateParams
from benchmarks.generate import FILES, write_estate
from benchmarks.references import check_references

SIZE = 100


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_estate(EstateParams(interfaces=SIZE, seed=1), tmp_path_factory.mktemp("e100"))


def _items(folder: Path, name: str) -> list[dict]:
    items: list[dict] = json.loads((folder / f"{name}.json").read_text())[name]
    return items


def test_same_seed_writes_identical_bytes(estate: Path, tmp_path: Path) -> None:
    again = write_estate(EstateParams(interfaces=SIZE, seed=1), tmp_path / "again")
    for name in FILES:
        assert (again / f"{name}.json").read_bytes() == (estate / f"{name}.json").read_bytes()


def test_another_seed_writes_another_estate(estate: Path, tmp_path: Path) -> None:
    other = write_estate(EstateParams(interfaces=SIZE, seed=2), tmp_path / "seed2")
    assert (other / "Vpcs.json").read_bytes() != (estate / "Vpcs.json").read_bytes()


def test_writes_every_describe_file(estate: Path) -> None:
    assert sorted(p.stem for p in estate.glob("*.json")) == sorted(FILES)
    for name in FILES:
        assert list(json.loads((estate / f"{name}.json").read_text())) == [name]


def test_every_reference_resolves(estate: Path) -> None:
    assert check_references(estate) == []


@pytest.mark.parametrize(
    "params",
    [
        EstateParams(interfaces=60, seed=7, vpcs=3, subnets_per_vpc=5),
        EstateParams(interfaces=200, seed=3, vpcs=4, subnets_per_vpc=2),
    ],
    ids=["3-vpcs-5-subnets", "4-vpcs-2-subnets"],
)
def test_every_reference_resolves_for_other_shapes(params: EstateParams, tmp_path: Path) -> None:
    assert check_references(write_estate(params, tmp_path)) == []


def test_reference_check_reports_a_dangling_subnet(estate: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in FILES:
        (broken / f"{name}.json").write_bytes((estate / f"{name}.json").read_bytes())
    enis = json.loads((broken / "NetworkInterfaces.json").read_text())
    enis["NetworkInterfaces"][0]["SubnetId"] = "subnet-0000000000000dead"
    (broken / "NetworkInterfaces.json").write_text(json.dumps(enis))
    problems = check_references(broken)
    assert any("missing subnet subnet-0000000000000dead" in p for p in problems)


def test_estate_has_the_promised_shape(estate: Path) -> None:
    enis = _items(estate, "NetworkInterfaces")
    assert len(enis) == SIZE
    kinds = {e["InterfaceType"] for e in enis}
    assert kinds == {"interface", "nat_gateway", "transit_gateway"}
    assert any("Association" in e for e in enis if e["InterfaceType"] == "interface")

    vpcs = _items(estate, "Vpcs")
    assert len(vpcs) == 2
    assert len(_items(estate, "InternetGateways")) == len(_items(estate, "NatGateways")) == 1
    assert len(_items(estate, "VpcPeeringConnections")) == 1
    assert len(_items(estate, "TransitGatewayVpcAttachments")) == len(vpcs)

    for acl in _items(estate, "NetworkAcls"):
        n = len(acl["Entries"])
        assert n == 4 if acl["IsDefault"] else 10 <= n <= 22, acl["NetworkAclId"]
        if not acl["IsDefault"]:
            ports = {(e.get("PortRange") or {}).get("From") for e in acl["Entries"]}
            assert 1024 in ports  # ephemeral return traffic
            assert any(e["RuleAction"] == "deny" and e["RuleNumber"] < 100 for e in acl["Entries"])

    for sg in _items(estate, "SecurityGroups"):
        rules = sum(
            len(p["IpRanges"]) + len(p["UserIdGroupPairs"])
            for p in sg["IpPermissions"] + sg["IpPermissionsEgress"]
        )
        assert rules == 2 if sg["GroupName"] == "default" else 2 <= rules <= 30

    targets = {
        key
        for rt in _items(estate, "RouteTables")
        for r in rt["Routes"]
        for key in ("GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId")
        if key in r
    }
    assert targets == {"GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId"}


def test_loader_reads_the_estate_without_errors(estate: Path) -> None:
    load = pytest.importorskip("netcheck.inputs", reason="the AWS loader is not in this tree yet")
    if not hasattr(load, "load_snapshot"):
        pytest.skip("netcheck.inputs has no load_snapshot yet")
    result = load.load_snapshot(estate)
    errors = [d for d in result.diagnostics if "error" in str(getattr(d, "severity", "")).lower()]
    assert errors == []
    assert len(result.network.network_interfaces) == SIZE
    assert len(result.network.vpcs) == 2


def test_benchmark_queries_are_seeded_and_mixed(estate: Path) -> None:
    from benchmarks.estate import QUERY_PORTS
    from benchmarks.measure import pick_queries

    queries = pick_queries(estate, 20, seed=1)
    assert queries == pick_queries(estate, 20, seed=1)
    assert queries != pick_queries(estate, 20, seed=2)
    assert pick_queries(estate, 10, seed=1) == queries[:10]  # the cold query + warm ones
    enis = {e["NetworkInterfaceId"]: e for e in _items(estate, "NetworkInterfaces")}
    same_vpc = [enis[s]["VpcId"] == enis[d]["VpcId"] for s, d, _ in queries]
    assert same_vpc[::2] == [True] * 10 and not all(same_vpc[1::2])
    for src, dst, port in queries:
        assert src != dst and port in QUERY_PORTS
        assert enis[src]["InterfaceType"] == enis[dst]["InterfaceType"] == "interface"


def test_results_table_and_target_lines() -> None:
    from benchmarks.run import table, verdict_on_targets

    ok = {
        "status": "ok", "bytes": 64e6, "json_load_s": 1.0, "load_s": 4.0, "compile_s": 0.5,
        "cold_query_s": 0.5, "query_p50_s": 0.25, "query_p95_s": 1.0,
        "verdicts": {"reachable": 3, "unreachable": 2}, "peak_rss_mb": 300.0,
        "loadavg_start": 2.0, "loadavg_end": 2.5,
    }  # fmt: skip
    text = table({10_000: ok, 100_000: {"status": "timeout after 60 s"}})
    assert "| 10,000 | 64.0 | 1.00 s | 4.00 s | 500.0 ms | 4.5x |" in text
    assert "| 100,000 |" in text and "timeout after 60 s" in text
    lines = verdict_on_targets({10_000: ok})
    assert [line.split(":")[1].split()[0] for line in lines] == ["MET", "MISSED", "MET"]
