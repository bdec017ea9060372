"""The shared input passes, one by one, on small drafts (and their docstring examples)."""

from __future__ import annotations

import doctest
import importlib

import pytest

from netcheck.errors import Severity
from netcheck.inputs import PASSES
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.draft import COLLECTIONS, UNRESOLVED, Draft, Reference, assemble
from netcheck.inputs.passes import (
    check_references,
    classify_endpoint_routes,
    fill_transit_associations,
    find_duplicates,
    link_instance_interfaces,
    resolve_subnet_associations,
    run_passes,
)
from netcheck.model import (
    Instance,
    Network,
    NetworkAcl,
    NetworkInterface,
    PrivateAddress,
    Provenance,
    Resource,
    Route,
    RouteTable,
    RouteTargetKind,
    Subnet,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
)

VPC = "vpc-0a"
SUBNET_A, SUBNET_B = "subnet-0a1", "subnet-0a2"
MAIN_RT, OTHER_RT = "rtb-0main", "rtb-0other"
DEFAULT_ACL, OTHER_ACL = "acl-0default", "acl-0other"


def at(path: str, rid: str) -> Provenance:
    return Provenance(file="s.json", path=path, resource_id=rid)


def subnet(sid: str, i: int, rt: str = UNRESOLVED, acl: str = UNRESOLVED) -> Subnet:
    return Subnet(
        id=sid,
        vpc_id=VPC,
        availability_zone="us-east-2a",
        cidr_block=f"10.0.{i}.0/24",
        route_table_id=rt,
        network_acl_id=acl,
        provenance=at(f"$.Subnets[{i}]", sid),
    )


def table(tid: str, i: int, main: bool = False, subnets: tuple[str, ...] = ()) -> RouteTable:
    return RouteTable(
        id=tid, vpc_id=VPC, main=main, subnet_ids=subnets, provenance=at(f"$.RouteTables[{i}]", tid)
    )


def acl(aid: str, i: int, default: bool = False, subnets: tuple[str, ...] = ()) -> NetworkAcl:
    return NetworkAcl(
        id=aid,
        vpc_id=VPC,
        is_default=default,
        subnet_ids=subnets,
        provenance=at(f"$.NetworkAcls[{i}]", aid),
    )


def messages(c: Collector) -> list[tuple[str, str | None, str]]:
    return [(d.severity.value, d.path, d.message) for d in c.sorted()]


# --- the registry of passes ------------------------------------------------------------------


def test_passes_run_defaulting_first_then_checks():
    assert [p.__name__ for p in PASSES] == [
        "resolve_subnet_associations",
        "fill_transit_associations",
        "classify_endpoint_routes",
        "link_instance_interfaces",
        "find_duplicates",
        "check_nacl_entries",
        "check_references",
    ]


@pytest.mark.parametrize("run", PASSES, ids=lambda p: p.__name__)
def test_every_pass_has_a_runnable_example(run):
    module = importlib.import_module(run.__module__)
    assert module.__name__.rsplit(".", 1)[1] == run.__name__  # one verb-named module each
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_collections_are_the_resource_fields_of_network():
    fields = [
        name
        for name, info in Network.model_fields.items()
        if getattr(info.annotation, "__args__", (None,))[0] is not None
        and isinstance(getattr(info.annotation, "__args__", (None,))[0], type)
        and issubclass(info.annotation.__args__[0], Resource)  # type: ignore[union-attr]
    ]
    assert list(COLLECTIONS) == fields


# --- resolve_subnet_associations -------------------------------------------------------------


def test_explicit_association_wins_else_the_main_table_and_default_acl():
    draft = Draft(
        {
            "subnets": [subnet(SUBNET_A, 0), subnet(SUBNET_B, 1)],
            "route_tables": [table(MAIN_RT, 0, main=True), table(OTHER_RT, 1, subnets=(SUBNET_B,))],
            "network_acls": [
                acl(DEFAULT_ACL, 0, default=True),
                acl(OTHER_ACL, 1, subnets=(SUBNET_A,)),
            ],
        }
    )
    c = Collector()
    resolve_subnet_associations(draft, c)
    a, b = draft.collections["subnets"]
    assert (a.route_table_id, a.route_table_is_main, a.network_acl_id) == (
        MAIN_RT,
        True,
        OTHER_ACL,
    )
    assert (b.route_table_id, b.route_table_is_main, b.network_acl_id) == (
        OTHER_RT,
        False,
        DEFAULT_ACL,
    )
    assert not c.items


def test_no_main_table_is_an_error_and_the_subnet_is_dropped():
    draft = Draft({"subnets": [subnet(SUBNET_A, 0)], "network_acls": [acl(DEFAULT_ACL, 0, True)]})
    c = Collector()
    resolve_subnet_associations(draft, c)
    assert draft.collections["subnets"] == []
    assert messages(c) == [
        (
            "error",
            "$.Subnets[0]",
            f"subnet has no route table: no explicit association and no main route table of "
            f"{VPC} in the snapshot (add describe-route-tables output)",
        )
    ]


def test_two_tables_for_one_subnet_is_an_error():
    draft = Draft(
        {
            "subnets": [subnet(SUBNET_A, 0)],
            "route_tables": [
                table(MAIN_RT, 0, True, (SUBNET_A,)),
                table(OTHER_RT, 1, False, (SUBNET_A,)),
            ],
            "network_acls": [acl(DEFAULT_ACL, 0, True)],
        }
    )
    c = Collector()
    resolve_subnet_associations(draft, c)
    assert messages(c) == [
        (
            "error",
            "$.RouteTables[1]",
            f"subnet {SUBNET_A} is associated with two route tables: {MAIN_RT} and {OTHER_RT}",
        )
    ]
    assert draft.collections["subnets"][0].route_table_id == MAIN_RT  # the first one is kept


def test_a_resolved_subnet_is_left_alone():
    s = subnet(SUBNET_A, 0, rt=OTHER_RT, acl=OTHER_ACL)
    draft = Draft({"subnets": [s], "route_tables": [table(MAIN_RT, 0, True)]})
    resolve_subnet_associations(draft, Collector())
    assert draft.collections["subnets"] == [s]


# --- fill_transit_associations ---------------------------------------------------------------


def attachment(aid: str, assoc: str | None = None) -> TransitGatewayAttachment:
    return TransitGatewayAttachment(
        id=aid, transit_gateway_id="tgw-0a", resource_type="vpc", association_route_table_id=assoc
    )


def tgw_table(tid: str, *attachments: str) -> TransitGatewayRouteTable:
    return TransitGatewayRouteTable(
        id=tid, transit_gateway_id="tgw-0a", association_attachment_ids=attachments
    )


def test_transit_association_filled_only_when_one_table_names_it():
    draft = Draft(
        {
            "transit_gateway_attachments": [
                attachment("tgw-attach-0a"),
                attachment("tgw-attach-0b"),
                attachment("tgw-attach-0c", assoc="tgw-rtb-0z"),
                attachment("tgw-attach-0d"),
            ],
            "transit_gateway_route_tables": [
                tgw_table("tgw-rtb-0x", "tgw-attach-0a", "tgw-attach-0b", "tgw-attach-0c"),
                tgw_table("tgw-rtb-0y", "tgw-attach-0b"),
            ],
        }
    )
    fill_transit_associations(draft, Collector())
    got = [a.association_route_table_id for a in draft.collections["transit_gateway_attachments"]]
    assert got == ["tgw-rtb-0x", None, "tgw-rtb-0z", None]


# --- classify_endpoint_routes ----------------------------------------------------------------


def test_routes_to_gateway_load_balancer_endpoints_are_told_apart():
    routes = (
        Route(destination="0.0.0.0/0", target_kind="gateway-endpoint", target_id="vpce-0g"),
        Route(destination="10.9.0.0/16", target_kind="gateway-endpoint", target_id="vpce-0s3"),
    )
    endpoints = [
        VpcEndpoint(
            id="vpce-0g", vpc_id=VPC, endpoint_type="GatewayLoadBalancer", service_name="x"
        ),
        VpcEndpoint(id="vpce-0s3", vpc_id=VPC, endpoint_type="Gateway", service_name="s3"),
    ]
    draft = Draft({"route_tables": [RouteTable(id=MAIN_RT, vpc_id=VPC, routes=routes)]})
    draft.collections["vpc_endpoints"] = endpoints
    classify_endpoint_routes(draft, Collector())
    kinds = [r.target_kind for r in draft.collections["route_tables"][0].routes]
    assert kinds == [
        RouteTargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT,
        RouteTargetKind.GATEWAY_ENDPOINT,
    ]


# --- link_instance_interfaces ----------------------------------------------------------------


def eni(eid: str, owner: str | None) -> NetworkInterface:
    return NetworkInterface(
        id=eid,
        subnet_id=SUBNET_A,
        vpc_id=VPC,
        private_addresses=(PrivateAddress(address="10.0.0.5", primary=True),),
        owner_kind="instance" if owner else "other",
        owner_id=owner,
    )


def test_instance_interfaces_are_the_built_listed_ones_plus_owned_ones():
    draft = Draft(
        {
            "network_interfaces": [eni("eni-0b", "i-0a"), eni("eni-0a", None)],
            "instances": [Instance(id="i-0a", interface_ids=("eni-0a", "eni-0gone"))],
        }
    )
    link_instance_interfaces(draft, Collector())
    assert draft.collections["instances"][0].interface_ids == ("eni-0a", "eni-0b")


# --- find_duplicates -------------------------------------------------------------------------


def test_duplicate_ids_across_collections_name_the_first_place():
    first = Vpc(id="x-0a", cidr_blocks=("10.0.0.0/16",), provenance=at("$.Vpcs[0]", "x-0a"))
    again = table("x-0a", 3)
    draft = Draft({"vpcs": [first], "route_tables": [table(MAIN_RT, 0), again]})
    c = Collector()
    find_duplicates(draft, c)
    assert [(d.path, d.resource_id, d.message) for d in c.items] == [
        ("$.RouteTables[3]", "x-0a", "duplicate id x-0a: also defined at s.json $.Vpcs[0]")
    ]


# --- check_references ------------------------------------------------------------------------


def ref(rid: str, path: str, what: str = "subnet", **kw: object) -> Reference:
    return Reference(rid, Loc("s.json", path, "eni-0a"), what, **kw)  # type: ignore[arg-type]


def test_references_present_broken_left_out_and_dangling():
    draft = Draft(
        {"subnets": [subnet(SUBNET_A, 0, MAIN_RT, DEFAULT_ACL)]},
        references=[
            ref(SUBNET_A, "$.A"),  # present
            ref("subnet-0broken", "$.B"),  # read but not built: its own error said so
            ref("nat-0old", "$.C", "NAT gateway", left_out_severity=Severity.NOTE),
            ref("subnet-0a3", "$.D", consequence="traffic is dropped"),
            ref("subnet-0a4", "$.E", severity=Severity.ERROR, suggest=False),
        ],
        read_ids={SUBNET_A, "subnet-0broken", "nat-0old"},
        left_out={"nat-0old": "state 'deleted'"},
    )
    c = Collector()
    check_references(draft, c)
    assert messages(c) == [
        ("note", "$.C", "NAT gateway nat-0old was left out (state 'deleted')"),
        (
            "warning",
            "$.D",
            f"subnet subnet-0a3 is not in the snapshot (did you mean {SUBNET_A}?); "
            "traffic is dropped",
        ),
        ("error", "$.E", "subnet subnet-0a4 is not in the snapshot"),
    ]
    # Warnings and notes matter to the analysis; errors stop it anyway.
    assert len(c.analysis_notes) == 2


def test_run_passes_then_assemble_sorts_by_id_and_collects_notes():
    draft = Draft(
        {
            "vpcs": [Vpc(id=VPC, cidr_blocks=("10.0.0.0/16",))],
            "subnets": [subnet(SUBNET_B, 1), subnet(SUBNET_A, 0)],
            "route_tables": [table(MAIN_RT, 0, main=True)],
            "network_acls": [acl(DEFAULT_ACL, 0, default=True)],
        },
        references=[ref("igw-0gone", "$.Routes[0].GatewayId", "internet gateway")],
        settings={"source": "test"},
    )
    c = Collector()
    net = assemble(run_passes(draft, c), c)
    assert [s.id for s in net.subnets] == [SUBNET_A, SUBNET_B]
    assert {s.route_table_id for s in net.subnets} == {MAIN_RT}
    assert net.source == "test"
    assert net.notes == (
        "warning: s.json $.Routes[0].GatewayId [eni-0a]: internet gateway igw-0gone is not in "
        "the snapshot",
    )
