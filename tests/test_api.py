"""The Python API: endpoint resolution (ids, Name tags, addresses, CIDRs, `internet`), query
parsing, "did you mean", the JSON contract of `Answer.to_dict`, and the witness check
against the walker (a disagreement is `unknown`, never a witness)."""

from __future__ import annotations

import json

import pytest
from strategies import Builder, egress, ingress, ports, route

from netcheck.api import Snapshot, Verdict, parse_ports, parse_protocol
from netcheck.errors import QueryError
from netcheck.model import TCP, Instance
from netcheck.model.packet import OriginKind
from netcheck.model.resolve import resolve_destination, resolve_sources


def snapshot() -> Snapshot:
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.igw("igw-a", "vpc-a")
    b.route_table("rtb-pub", "vpc-a", route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.subnet("subnet-web", "vpc-a", "10.0.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-db", "vpc-a", "10.0.2.0/24")
    b.sg("sg-web", "vpc-a", ingress(TCP, ports(443)), egress())
    b.sg("sg-db", "vpc-a", ingress(TCP, ports(5432), group="sg-web"), egress())
    b.eni("eni-web", "subnet-web", "10.0.1.10", "sg-web", public="3.0.0.10", owner_id="i-web")
    b.eni("eni-db", "subnet-db", "10.0.2.10", "sg-db", owner_id="i-db")
    net = b.build()
    instances = (
        Instance(id="i-web", tags={"Name": "web"}, interface_ids=("eni-web",)),
        Instance(id="i-db", tags={"Name": "database"}, interface_ids=("eni-db",)),
    )
    return Snapshot(net.model_copy(update={"instances": instances}))


def test_parse_protocol_and_ports():
    assert (
        parse_protocol("TCP") == 6 and parse_protocol("any") is None and parse_protocol("47") == 47
    )
    assert parse_ports("1024-65535").start == 1024 and parse_ports(22).end == 22
    with pytest.raises(QueryError):
        parse_protocol("tcpp")
    with pytest.raises(QueryError):
        parse_ports("80-22")
    with pytest.raises(QueryError):
        snapshot().query("web", "database", protocol="icmp", port=22)


def test_resolve_names_ids_and_addresses():
    net = snapshot().network
    assert [s.origin.interface_id for s in resolve_sources(net, "web")] == ["eni-web"]
    assert [s.origin.interface_id for s in resolve_sources(net, "i-db")] == ["eni-db"]
    assert [s.origin.interface_id for s in resolve_sources(net, "10.0.2.10")] == ["eni-db"]
    d = resolve_destination(net, "web")
    assert d.interface_ids == ("eni-web",) and {str(a) for a in d.addresses} == {
        "10.0.1.10",
        "3.0.0.10",
    }
    assert resolve_destination(net, "3.0.0.10").interface_ids == ("eni-web",)
    outside = resolve_sources(net, "0.0.0.0/0")
    assert {s.origin.kind for s in outside} == {OriginKind.INTERNET}
    assert resolve_destination(net, "internet").internet
    sub = resolve_sources(net, "subnet-db")
    assert [s.origin.interface_id for s in sub] == ["eni-db"]


def test_unknown_endpoint_suggests():
    with pytest.raises(QueryError) as e:
        snapshot().query("databse", "web")
    assert "database" in e.value.suggestions
    assert "did you mean" in str(e.value)


def test_name_and_ip_queries_and_json_contract():
    snap = snapshot()
    a = snap.query("web", "database", protocol="tcp", port=5432)
    assert a.verdict is Verdict.REACHABLE
    d = json.loads(json.dumps(a.to_dict()))
    assert d["verdict"] == "reachable" and d["query"]["src"] == "web"
    w = d["witness"]
    assert {"packet", "path", "return_path", "final_packet", "nat_ports"} <= set(w)
    assert w["packet"]["dst_port"] == 5432 and w["path"][0]["component_id"] == "eni-web"

    u = snap.query("internet", "database", protocol="tcp", port=5432)
    assert u.verdict is Verdict.UNREACHABLE
    du = u.to_dict()
    assert "witness" not in du and du["proof"]["blockers"]
    assert {"component_id", "code", "rule", "message"} <= set(du["proof"]["blockers"][0])


def test_public_ip_destination_from_the_internet():
    snap = snapshot()
    a = snap.query("internet", "3.0.0.10", protocol="tcp", port=443)
    assert a.verdict is Verdict.REACHABLE
    assert str(a.witness.final_packet.dst_ip) == "10.0.1.10"
    assert snap.query("internet", "web", protocol="tcp", port=22).verdict is Verdict.UNREACHABLE


def test_walker_disagreement_is_unknown_not_a_witness(monkeypatch):
    from netcheck.model.packet import Disposition, DispositionKind
    from netcheck.walk import ConnectionTrace, Trace

    def refuse(network, packet, origin, **kw):
        d = Disposition(kind=DispositionKind.DROPPED, component_id="x", code="TEST")
        return ConnectionTrace(forward=Trace(origin=origin, packet=packet, hops=(), disposition=d))

    monkeypatch.setattr("netcheck.walk.walk_connection", refuse)
    a = snapshot().query("web", "database", protocol="tcp", port=5432)
    assert a.verdict is Verdict.UNKNOWN and a.witness is None
    assert "internal disagreement" in a.reason and "(bug)" in a.reason


def test_ambiguous_name_lists_candidates():
    snap = snapshot()
    net = snap.network.model_copy(
        update={
            "instances": (
                *snap.network.instances,
                Instance(id="i-web2", tags={"Name": "web"}, interface_ids=()),
            )
        }
    )
    with pytest.raises(QueryError) as e:
        resolve_sources(net, "web")
    assert set(e.value.suggestions) == {"i-web", "i-web2"}


def test_rds_identifier_and_cidr_destination():
    from netcheck.model import DbInstance

    snap = snapshot()
    db = DbInstance(id="orders-db", engine="postgres", port=5432, interface_ids=("eni-db",))
    net = snap.network.model_copy(update={"db_instances": (db,)})
    s = Snapshot(net)
    a = s.query("web", "orders-db", protocol="tcp", port=5432)
    assert a.verdict is Verdict.REACHABLE and a.witness.destination == "eni-db"
    cidr = s.query("web", "10.0.2.0/24", protocol="tcp", port=5432)
    assert cidr.verdict is Verdict.REACHABLE
    assert str(cidr.witness.packet.dst_ip) == "10.0.2.10"


def test_outside_source_cidr_is_internet_and_onprem():
    net = snapshot().network.model_copy(
        update={"onprem_cidrs": (__import__("ipaddress").ip_network("192.168.0.0/16"),)}
    )
    kinds = {s.origin.kind for s in resolve_sources(net, "0.0.0.0/0")}
    assert kinds == {OriginKind.INTERNET, OriginKind.ONPREM}
    one = resolve_sources(net, "8.8.8.0/24")
    assert all(s.origin.kind is not OriginKind.INTERFACE for s in one)


def test_private_outside_source_needs_onprem_ranges():
    net = snapshot().network
    with pytest.raises(QueryError):
        resolve_sources(net, "10.99.0.5")
    assert [s.origin.interface_id for s in resolve_sources(net, "10.0.1.0/24")] == ["eni-web"]


# A misspelt keyword must not change the question (issue #9, section 6): on the base commit
# `exposure(orign=…)` answered for the internet and `reachable_set(…, prot="udp")` for every
# protocol. Each raises TypeError naming the option and the close matches, before any solving.
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: s.exposure(orign="198.51.100.0/24"),
            "Snapshot.exposure() got an unexpected keyword argument 'orign' "
            "(did you mean 'origin'?)",
        ),
        (
            lambda s: s.reachable_set("internet", "web", prot="udp"),
            "Snapshot.reachable_set() got an unexpected keyword argument 'prot' "
            "(did you mean 'port' or 'protocol'?)",
        ),
        (
            lambda s: s.query("internet", "web", prot="udp"),
            "Snapshot.query() got an unexpected keyword argument 'prot' "
            "(did you mean 'port' or 'protocol'?)",
        ),
        (
            lambda s: s.query("internet", "web", protocol="tcp", one_wya=True),
            "(did you mean 'one_way'?)",
        ),
        (
            lambda s: s.exposure(timeout=5),
            "got an unexpected keyword argument 'timeout' (did you mean 'timeout_ms'?)",
        ),
        (
            lambda s: s.exposure(colour="red"),
            "'colour' (options: group_interfaces, origin, progress, timeout_ms)",
        ),
    ],
)
def test_unknown_keyword_raises_type_error_with_close_matches(call, message):
    with pytest.raises(TypeError) as info:
        call(snapshot())
    assert message in str(info.value)


def test_unknown_keyword_in_the_question_functions_and_check():
    import netcheck
    from netcheck.questions import diff, exposure, reachable_set

    snap = snapshot()
    with pytest.raises(TypeError, match=r"^exposure\(\) .*'orign' \(did you mean 'origin'\?\)"):
        exposure(snap, orign="198.51.100.0/24")
    with pytest.raises(TypeError, match=r"^reachable_set\(\) .*'one_wya'"):
        reachable_set(snap, "internet", "web", one_wya=True)
    with pytest.raises(TypeError, match=r"^diff\(\) .*'dts' \(did you mean 'dst'\?\)"):
        diff(snap, snap, dts="web")
    with pytest.raises(TypeError, match=r"^diff\(\) .*'sorce'"):
        netcheck.diff(snap, snap, sorce="web")
    with pytest.raises(TypeError, match=r"^check\(\) .*'selct' \(did you mean 'select'\?\)"):
        netcheck.check(snap, selct=["NC-*"])
    with pytest.raises(TypeError, match=r"^load\(\) .*'strct' \(did you mean 'strict'\?\)"):
        netcheck.load("fixtures/three-tier", strct=True)
    # Two at once: both named.
    with pytest.raises(TypeError, match=r"'orign'.*; .*'tmeout_ms'"):
        snap.exposure(orign="x", tmeout_ms=1)


def test_parameter_models_forbid_unknown_fields():
    from pydantic import ValidationError

    from netcheck.questions import DiffParams, ExposureParams, ReachableSetParams

    for make in (
        lambda: ReachableSetParams(src="a", dst="b", prot="udp"),
        lambda: ExposureParams(orign="x"),
        lambda: DiffParams(dts="x"),
    ):
        with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
            make()


def test_known_keywords_still_answer():
    snap = snapshot()
    answer = snap.query("internet", "web", protocol="tcp", port=443, one_way=False)
    assert answer.verdict is Verdict.REACHABLE
    rs = snap.reachable_set("internet", "web", protocol="tcp", port=443, timeout_ms=60000)
    assert rs.boxes
