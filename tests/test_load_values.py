"""Unit tests of the loader's small readers: protocols, ports, CIDRs, owners, sorting."""

from __future__ import annotations

import pytest

from netcheck.errors import Severity
from netcheck.inputs.aws.interfaces import owner_of
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.files import ACCOUNT_RE, REGION_RE
from netcheck.inputs.values import TYPE_RULE, cidr4, opt_bool, opt_int, port_range, protocol
from netcheck.model import InterfaceOwnerKind as Kind

LOC = Loc("f.json", "$.X[0]", "x-1")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("tcp", 6),
        ("UDP", 17),
        ("icmp", 1),
        ("icmpv6", 58),
        ("58", 58),
        ("-1", -1),
        ("6", 6),
        ("all", -1),
        ("47", 47),
        ("0", 0),
        ("255", 255),
    ],
)
def test_protocol_names_and_numbers(text, number):
    c = Collector()
    assert protocol(text, LOC, c) == number
    assert c.items == []


@pytest.mark.parametrize("text", ["256", "gre", "", None, "-2", True, 6, "0006"])
def test_invalid_protocol_is_an_error(text):
    c = Collector()
    assert protocol(text, LOC, c) is None
    (d,) = c.items
    assert (d.severity, d.file, d.path, d.resource_id) == (
        Severity.ERROR,
        "f.json",
        "$.X[0]",
        "x-1",
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, "0-65535"),
        (-1, -1, "0-65535"),
        (22, 22, "22"),
        (0, 65535, "0-65535"),
        (1024, 65535, "1024-65535"),
        (None, 80, "0-80"),
    ],
)
def test_port_ranges(start, end, expected):
    c = Collector()
    assert str(port_range(start, end, LOC, c)) == expected
    assert c.items == []


@pytest.mark.parametrize(("start", "end"), [(80, 22), (0, 65536), (-5, 10), (70000, 70000)])
def test_invalid_port_ranges(start, end):
    c = Collector()
    assert port_range(start, end, LOC, c) is None
    assert "invalid port range" in c.items[0].message


@pytest.mark.parametrize("text", ["10.0.0.0/33", "10.0.0.1/24", "::/0", "ten", 10])
def test_invalid_ipv4_cidrs(text):
    c = Collector()
    assert cidr4(text, LOC, c) is None
    assert c.has_errors


@pytest.mark.parametrize(
    ("eni", "instance", "expected"),
    [
        (
            {"Description": "Interface for NAT Gateway nat-0abc"},
            None,
            (Kind.NAT_GATEWAY, "nat-0abc"),
        ),
        (
            {"Description": "Network Interface for Transit Gateway Attachment tgw-attach-01"},
            None,
            (Kind.TRANSIT_GATEWAY_ATTACHMENT, "tgw-attach-01"),
        ),
        ({"Description": "VPC Endpoint Interface vpce-0a1"}, None, (Kind.VPC_ENDPOINT, "vpce-0a1")),
        ({"Description": "RDSNetworkInterface"}, None, (Kind.RDS, None)),
        ({"RequesterId": "amazon-rds"}, None, (Kind.RDS, None)),
        ({"RequesterId": "amazon-elb"}, None, (Kind.LOAD_BALANCER, None)),
        (
            {"Description": "ELB app/my-lb/50dc6c495c0c9188"},
            None,
            (Kind.LOAD_BALANCER, "app/my-lb/50dc6c495c0c9188"),
        ),
        (
            {"Description": "EFS mount target for fs-12345678 (fsmt-1)"},
            None,
            (Kind.EFS, "fs-12345678"),
        ),
        ({"InterfaceType": "nat_gateway"}, None, (Kind.NAT_GATEWAY, None)),
        (
            {"InterfaceType": "gateway_load_balancer_endpoint"},
            None,
            (Kind.GATEWAY_LOAD_BALANCER_ENDPOINT, None),
        ),
        ({"InterfaceType": "network_load_balancer"}, None, (Kind.LOAD_BALANCER, None)),
        ({"InterfaceType": "lambda"}, None, (Kind.LAMBDA, None)),
        ({"InterfaceType": "interface"}, "i-1", (Kind.INSTANCE, "i-1")),
        ({"InterfaceType": "trunk"}, "i-1", (Kind.INSTANCE, "i-1")),
        ({"Status": "available"}, None, (Kind.UNATTACHED, None)),
        (
            {"Status": "in-use", "Attachment": {"InstanceOwnerId": "amazon-aws"}},
            None,
            (Kind.OTHER, None),
        ),
    ],
)
def test_interface_owner(eni, instance, expected):
    assert owner_of(eni, instance) == expected


def test_account_and_region_folder_names():
    assert ACCOUNT_RE.match("111122223333") and not ACCOUNT_RE.match("11112222333")
    for region in ("us-east-2", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "il-central-1"):
        assert REGION_RE.match(region), region
    for other in ("us-east", "aws_configs", "prod", "us-east-2a"):
        assert not REGION_RE.match(other), other


def test_diagnostics_sort_naturally_by_file_then_path():
    c = Collector()
    c.warning("b", Loc("b.json", "$.X[10]"))
    c.warning("a", Loc("b.json", "$.X[2]"))
    c.note("first", Loc("a.json", "$.Y"))
    c.warning("a", Loc("b.json", "$.X[2]"))  # duplicates collapse
    assert [(d.file, d.path) for d in c.sorted()] == [
        ("a.json", "$.Y"),
        ("b.json", "$.X[2]"),
        ("b.json", "$.X[10]"),
    ]


# One rule for value types: a field is read only with the JSON type AWS prints for it.
# `describe-network-acls` prints `"RuleNumber": 100` and `"Protocol": "6"`; a converted value
# would be a guess about a file AWS did not write.


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("100", "got a string ('100')"),
        (" 100 ", "got a string (' 100 ')"),
        (True, "got a boolean"),
        (100.0, "got a number"),
        ([100], "got a list"),
    ],
)
def test_integer_fields_take_json_numbers_only(value, found):
    c = Collector()
    assert opt_int({"RuleNumber": value}, "RuleNumber", LOC, c) is None
    (d,) = c.items
    assert (d.severity, d.path, d.resource_id) == (Severity.ERROR, "$.X[0].RuleNumber", "x-1")
    assert d.message.startswith(f"RuleNumber must be an integer, {found}")
    assert TYPE_RULE in d.message


def test_boolean_fields_take_json_booleans_only():
    for value in ("true", 1):
        c = Collector()
        assert opt_bool({"Egress": value}, "Egress", LOC, c) is False
        (d,) = c.items
        assert d.path == "$.X[0].Egress" and TYPE_RULE in d.message


def test_protocol_as_a_json_number_states_the_rule():
    c = Collector()
    assert protocol(6, LOC, c) is None
    assert "AWS prints the protocol as a string" in c.items[0].message
    assert TYPE_RULE in c.items[0].message


def test_integer_wider_than_any_aws_value_is_an_error_without_printing_it():
    c = Collector()
    assert opt_int({"RuleNumber": 10**5000}, "RuleNumber", LOC, c) is None
    (d,) = c.items
    assert d.path == "$.X[0].RuleNumber" and "too large" in d.message
    assert len(d.message) < 200
    assert opt_int({"RuleNumber": 2**63}, "RuleNumber", LOC, Collector()) == 2**63
