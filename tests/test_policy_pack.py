"""The built-in rule pack on the policy fixtures (fixtures/policy/<case>/snapshot.json, made by
fixtures/policy/make_fixtures.py): every rule has a case that fails it, with the witness path in
the finding, and cases that pass it — including ones a syntactic scanner would flag.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import FIXTURES

from netcheck.api import Snapshot, load
from netcheck.model import TCP
from netcheck.policy import CheckResult, check, load_rules
from netcheck.walk import walk_connection

POLICY = FIXTURES / "policy"

WEB = "i-0a00000000000web1"
APP = "i-0a00000000000app1"
ENI_WEB = "eni-0a0000000000web1"
ENI_APP = "eni-0a0000000000app1"
PRIVATE_SUBNET = "subnet-0a0000000000priv"
PCX = "pcx-0a0000000000000b1"
DB = "orders-db"
INTERNAL_ENI = "eni-0b000000internl"

# case -> {rule id: resource ids with a finding}. Rules not listed must have no finding.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "clean": {},
    "ssh-open": {"NC-001": {WEB}},
    "rdp-open": {"NC-001": {WEB}},
    # Port 22 open to 0.0.0.0/0 in a security group, yet no packet gets there: CIS 5.2 and
    # Prowler flag these three, netcheck proves them unreachable.
    "ssh-open-no-public-ip": {},
    "ssh-open-nacl-deny": {},
    "ssh-open-no-igw-route": {},
    # No group allows 0.0.0.0/0; two groups together allow the whole internet.
    "ssh-two-groups": {"NC-001": {WEB}},
    "default-sg-used": {"NC-002": {ENI_WEB, ENI_APP}},
    # Members of the default group, which has no rules; other groups let them talk, and that
    # is not the default group's doing.
    "default-sg-restricted": {},
    "mysql-open": {"NC-003": {WEB}},
    "redis-open": {"NC-004": {WEB}},
    "smb-open": {"NC-005": {WEB}},
    "telnet-open": {"NC-006": {WEB}},
    "rds-public": {"NC-007": {DB}},
    # PubliclyAccessible with a public address and 5432 open to the world, but in a subnet
    # without a route to the internet gateway: the reply cannot get out.
    "rds-private": {},
    "private-subnet-exposed": {"NC-008": {PRIVATE_SUBNET}},
    "peering-wide": {"NC-009": {PCX}},
    "peering-least-access": {},
}


@cache
def snapshot(case: str) -> Snapshot:
    return load(POLICY / case / "snapshot.json")


@cache
def result(case: str) -> CheckResult:
    return check(snapshot(case))


def test_every_builtin_rule_has_a_failing_and_a_passing_case():
    ids = {r.id for r in load_rules()}
    failing = {rule for expected in EXPECTED.values() for rule in expected}
    assert failing == ids
    for rule in ids:
        assert any(rule not in expected for expected in EXPECTED.values())


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_case(case: str):
    r = result(case)
    assert not r.errors and not r.undecided
    got: dict[str, set[str]] = {}
    for f in r.findings:
        got.setdefault(f.rule_id, set()).add(f.resource_id)
    assert got == EXPECTED[case]


@pytest.mark.parametrize(
    "case", sorted(c for c, expected in EXPECTED.items() if expected and c != "peering-wide")
)
def test_finding_carries_a_valid_witness_path(case: str):
    net = snapshot(case).network
    for f in result(case).findings:
        assert f.path, f"{f.rule_id} on {f.resource_id} has no witness path"
        assert f.packet and f.path_text
        assert f.location is not None and f.location.file.endswith("snapshot.json")
        assert f.fix
        # The path ends at the offending resource (one of its interfaces).
        resource = net.get(f.resource_id)
        assert resource is not None
        last = f.path[-1].component_id
        enis = {
            e.id
            for e in net.network_interfaces
            if e.id == f.resource_id or e.owner_id == f.resource_id
        }
        enis |= set(getattr(resource, "interface_ids", ()))
        enis |= {e.id for e in net.interfaces_in_subnet(f.resource_id)}
        assert last in enis
        # The witness is a real packet: the concrete walker agrees it gets there and back.
        answer = snapshot(case).query(
            f.question.src, f.question.dst, protocol=f.question.protocol, port=f.question.port
        )
        w = answer.witness
        assert w is not None
        origin = walk_connection(net, w.packet, _origin(w.origin))
        assert origin.success
        if f.question.port is not None:
            lo, _, hi = f.question.port.partition("-")
            assert w.packet.protocol == TCP
            assert int(lo) <= w.packet.dst_port <= int(hi or lo)


def _origin(text: str):
    from netcheck.model.packet import Origin, OriginKind

    if text == "internet":
        return Origin(kind=OriginKind.INTERNET)
    return Origin(kind=OriginKind.INTERFACE, interface_id=text)


def test_two_groups_finding_names_both_halves_of_the_internet():
    (f,) = result("ssh-two-groups").findings
    assert f.question.port == "22"
    sg_hops = [h for h in f.path if h.kind == "security-group"]
    assert sg_hops and any("0a00000000000" in (h.rule or "") for h in sg_hops)


def test_peering_finding_goes_through_the_peering_connection():
    (f,) = result("peering-wide").findings
    assert f.rule_id == "NC-009" and f.resource_id == PCX
    assert any(h.component_id == PCX for h in f.path)
    assert f.path[-1].component_id == INTERNAL_ENI
    assert "outside the declared" in f.message


def test_syntactic_false_positive_is_proven_unreachable():
    """The proof behind a passing case: the question was asked and answered unreachable."""
    snap = snapshot("ssh-open-no-igw-route")
    answer = snap.query("internet", APP, protocol="tcp", port=22)
    assert answer.verdict.value == "unreachable"
    assert answer.proof is not None and answer.proof.blockers
