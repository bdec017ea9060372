"""Every way into the loader: one multi-key file, a folder (account / region sub-folders,
nested), a Batfish-style folder, netcheck's own JSON, and the exact round trip."""

from __future__ import annotations

import json
from ipaddress import IPv4Address, IPv4Network, IPv6Network
from pathlib import Path

import pytest

from netcheck.errors import Severity, SnapshotError
from netcheck.inputs import dumps_network, load_snapshot
from netcheck.model import (
    SCHEMA_VERSION,
    InterfaceOwnerKind,
    Network,
    RouteState,
    RouteTargetKind,
    VpcEndpointType,
)

DATA = Path(__file__).parent / "data"
KITCHEN_SINK = DATA / "kitchen-sink.json"

# Entities of tests/data/kitchen-sink.json
VPC_A, VPC_B = "vpc-0a", "vpc-0b"
PUBLIC_SUBNET, PRIVATE_SUBNET = "subnet-0a1", "subnet-0a2"
MAIN_RTB, PUBLIC_RTB = "rtb-0amain", "rtb-0apub"
CUSTOM_ACL, DEFAULT_ACL = "acl-0acustom", "acl-0adefault"
NAT, NAT_ENI = "nat-0a", "eni-0anat"


def kitchen() -> dict:
    return json.loads(KITCHEN_SINK.read_text())


def split_into_folder(doc: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for key, value in doc.items():
        (folder / f"{key}.json").write_text(json.dumps({key: value}))


def ids(network: Network) -> dict[str, list[str]]:
    return {
        name: [r.id for r in getattr(network, name)]
        for name in Network.model_fields
        if name not in ("onprem_cidrs", "notes", "schema_version", "source")
    }


def test_single_file_with_many_keys():
    result = load_snapshot(KITCHEN_SINK)
    net = result.network
    assert {d.severity for d in result.diagnostics} == {Severity.NOTE}
    assert net.source == str(KITCHEN_SINK)
    assert [v.id for v in net.vpcs] == [VPC_A, VPC_B]
    # Secondary block kept, disassociated one dropped; IPv6 block read.
    assert net.vpc(VPC_A).cidr_blocks == (IPv4Network("10.0.0.0/16"), IPv4Network("10.1.0.0/16"))
    assert net.vpc(VPC_A).ipv6_cidr_blocks == (IPv6Network("2600:1f18:1::/56"),)
    public = net.subnet(PUBLIC_SUBNET)
    assert (public.route_table_id, public.route_table_is_main) == (PUBLIC_RTB, False)
    assert public.network_acl_id == CUSTOM_ACL
    private = net.subnet(PRIVATE_SUBNET)
    assert (private.route_table_id, private.route_table_is_main) == (MAIN_RTB, True)
    assert private.network_acl_id == DEFAULT_ACL
    assert net.subnet("subnet-0b1").network_acl_id == "acl-0bdefault"


def test_route_targets_and_destinations():
    net = load_snapshot(KITCHEN_SINK).network
    routes = net.route_table(MAIN_RTB).routes
    kinds = {r.destination_text: (r.target_kind, r.target_id, r.state) for r in routes}
    active = RouteState.ACTIVE
    assert kinds == {
        "10.0.0.0/16": (RouteTargetKind.LOCAL, None, active),
        "10.1.0.0/16": (RouteTargetKind.LOCAL, None, active),
        "0.0.0.0/0": (RouteTargetKind.NAT_GATEWAY, NAT, active),
        "172.16.0.0/16": (RouteTargetKind.VPC_PEERING_CONNECTION, "pcx-0ab", active),
        "pl-s3": (RouteTargetKind.GATEWAY_ENDPOINT, "vpce-0as3", active),
        "192.168.0.0/16": (RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY, "vgw-0a", active),
        "10.99.0.0/16": (RouteTargetKind.TRANSIT_GATEWAY, "tgw-0a", active),
        "10.98.0.0/16": (RouteTargetKind.TRANSIT_GATEWAY, "tgw-0a", RouteState.BLACKHOLE),
        "10.97.0.0/16": (RouteTargetKind.NETWORK_INTERFACE, "eni-0ainst", active),
        "::/0": (RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY, "eigw-0a", active),
    }
    by_dest = {r.destination_text: r for r in routes}
    assert by_dest["192.168.0.0/16"].origin == "EnableVgwRoutePropagation"
    assert by_dest["10.0.0.0/16"].origin == "CreateRouteTable"
    assert net.route_table(MAIN_RTB).main is True
    assert net.route_table("rtb-0aedge").gateway_ids == ("igw-0a",)


def test_filters_split_and_converted():
    net = load_snapshot(KITCHEN_SINK).network
    web = net.security_group("sg-0aweb")
    by_id = {r.rule_id: r for r in web.ingress}
    assert sorted(by_id) == [
        "sg-0aweb:ingress:0:cidr:0",
        "sg-0aweb:ingress:0:group:0",
        "sg-0aweb:ingress:0:ipv6:0",
        "sg-0aweb:ingress:0:prefix-list:0",
        "sg-0aweb:ingress:1:cidr:0",
    ]
    assert by_id["sg-0aweb:ingress:0:cidr:0"].description == "HTTPS"
    assert str(by_id["sg-0aweb:ingress:0:ipv6:0"].cidr) == "::/0"
    assert by_id["sg-0aweb:ingress:0:prefix-list:0"].prefix_list_id == "pl-custom"
    group_rule = by_id["sg-0aweb:ingress:0:group:0"]
    assert (group_rule.group_id, group_rule.group_owner_id) == ("sg-0adb", "111122223333")
    assert str(group_rule.port_range) == "443"
    icmp = by_id["sg-0aweb:ingress:1:cidr:0"]
    assert (icmp.protocol, icmp.icmp_type, icmp.icmp_code, icmp.port_range) == (1, -1, -1, None)
    db = {r.rule_id: r for r in net.security_group("sg-0adb").ingress}
    udp = db["sg-0adb:ingress:1:cidr:0"]
    assert (udp.protocol, udp.port_range.start, udp.port_range.end) == (17, 0, 65535)
    esp = db["sg-0adb:ingress:2:cidr:0"]
    assert (esp.protocol, esp.port_range) == (50, None)

    acl = net.network_acl(CUSTOM_ACL)
    entries = {(e.direction.value, e.rule_number): e for e in acl.entries}
    assert str(entries[("ingress", 100)].port_range) == "443"
    assert entries[("ingress", 100)].protocol == 6
    assert (entries[("ingress", 120)].icmp_type, entries[("ingress", 120)].icmp_code) == (8, -1)
    assert str(entries[("ingress", 32768)].cidr) == "::/0"
    assert entries[("egress", 100)].protocol == 17
    assert acl.subnet_ids == (PUBLIC_SUBNET,)


def test_interfaces_owners_and_addresses():
    net = load_snapshot(KITCHEN_SINK).network
    owners = {e.id: (e.owner_kind, e.owner_id) for e in net.network_interfaces}
    assert owners == {
        "eni-0aelb": (InterfaceOwnerKind.LOAD_BALANCER, "app/web/0123456789abcdef"),
        "eni-0afree": (InterfaceOwnerKind.UNATTACHED, None),
        "eni-0ainst": (InterfaceOwnerKind.INSTANCE, "i-0arun"),
        "eni-0alambda": (InterfaceOwnerKind.LAMBDA, "fn-1"),
        NAT_ENI: (InterfaceOwnerKind.NAT_GATEWAY, NAT),
        "eni-0aonly": (InterfaceOwnerKind.INSTANCE, "i-0aonly"),
        "eni-0ards": (InterfaceOwnerKind.RDS, "db-main"),
        "eni-0avpce": (InterfaceOwnerKind.VPC_ENDPOINT, "vpce-0aif"),
    }
    inst = net.interface("eni-0ainst")
    assert inst.public_ips == (IPv4Address("54.0.0.20"), IPv4Address("54.0.0.21"))
    # The secondary address's EIP comes from describe-addresses.
    assert inst.private_addresses[1].allocation_id == "eipalloc-sec"
    only = net.interface("eni-0aonly")  # built from describe-instances
    assert only.availability_zone == "us-east-1a" and only.group_ids == ("sg-0aweb",)
    nat_eni = net.interface(NAT_ENI)  # synthesized from NatGatewayAddresses
    assert nat_eni.subnet_id == PUBLIC_SUBNET and nat_eni.source_dest_check is False
    assert nat_eni.private_addresses[0].public_ip == IPv4Address("54.0.0.10")
    assert [i.id for i in net.instances] == ["i-0aonly", "i-0arun"]
    assert net.get("i-0arun").interface_ids == ("eni-0ainst",)
    assert net.get("i-0aonly").interface_ids == ("eni-0aonly",)


def test_gateways_endpoints_peering_vpn_tgw_rds():
    net = load_snapshot(KITCHEN_SINK).network
    s3 = net.get("vpce-0as3")
    assert s3.endpoint_type is VpcEndpointType.GATEWAY
    assert (s3.prefix_list_id, s3.route_table_ids) == ("pl-s3", (MAIN_RTB,))
    ssm = net.get("vpce-0aif")
    assert (ssm.subnet_ids, ssm.interface_ids, ssm.group_ids) == (
        (PRIVATE_SUBNET,),
        ("eni-0avpce",),
        ("sg-0aweb",),
    )
    assert [str(e) for e in net.prefix_list("pl-custom").entries] == [
        "192.0.2.0/24",
        "198.51.100.0/24",
    ]
    pcx = net.get("pcx-0ab")
    assert pcx.peer_of(VPC_A) == VPC_B and len(pcx.requester.cidr_blocks) == 2
    assert pcx.accepter.cidr_blocks == (IPv4Network("172.16.0.0/16"),)
    assert net.get("vgw-0a").vpc_ids == (VPC_A,)
    vpn = net.get("vpn-0a")
    assert vpn.onprem_cidrs == (IPv4Network("192.168.0.0/16"),) and vpn.static_routes_only
    assert (vpn.vpn_gateway_id, vpn.customer_gateway_id) == ("vgw-0a", "cgw-0a")
    assert net.get("eigw-0a").vpc_ids == (VPC_A,)
    tgw = net.get("tgw-0a")
    assert tgw.default_route_table_association and not tgw.default_route_table_propagation
    assert tgw.security_group_referencing_support
    att_a = net.get("tgw-attach-0a")
    assert att_a.appliance_mode and att_a.subnet_ids == (PRIVATE_SUBNET,)
    assert net.get("tgw-attach-0b").association_route_table_id == "tgw-rtb-0a"
    table = net.transit_gateway_route_tables[0]
    assert table.association_attachment_ids == ("tgw-attach-0a", "tgw-attach-0b", "tgw-attach-0vpn")
    assert table.propagation_attachment_ids == ("tgw-attach-0a",)  # 0b is "disabled"
    assert [
        (str(r.destination), r.route_type, r.state, r.attachment_ids) for r in table.routes
    ] == [
        ("10.0.0.0/16", "propagated", "active", ("tgw-attach-0a",)),
        ("10.200.0.0/16", "static", "active", ("tgw-attach-0b",)),
        ("10.201.0.0/16", "static", "blackhole", ()),
    ]
    db = net.db_instances[0]
    assert (db.id, db.port, db.vpc_id, db.interface_ids) == ("db-main", 5432, VPC_A, ("eni-0ards",))
    assert db.endpoint_address == "db-main.abc.us-east-1.rds.amazonaws.com"
    assert db.tags == {"Name": "main-db"}


@pytest.mark.parametrize(
    "rid",
    [
        "i-0astop",
        "eni-0astop",
        "nat-0adel",
        "vpce-0adel",
        "pcx-0old",
        "vpn-0del",
        "db-stopped",
        "tgw-attach-0pend",
    ],
)
def test_inactive_resources_left_out_with_a_note(rid):
    result = load_snapshot(KITCHEN_SINK)
    assert result.network.get(rid) is None
    notes = [d for d in result.diagnostics if d.resource_id == rid and "left out" in d.message]
    assert len(notes) == 1 and notes[0].severity is Severity.NOTE
    assert notes[0].file == str(KITCHEN_SINK) and notes[0].path.startswith("$.")
    assert any(rid in n for n in result.network.notes)


def test_folder_with_account_and_region(tmp_path):
    doc = kitchen()
    split_into_folder(doc, tmp_path / "snap" / "111122223333" / "us-east-1")
    net = load_snapshot(tmp_path / "snap").network
    assert ids(net) == ids(load_snapshot(KITCHEN_SINK).network)
    for res in net.all_resources():
        assert (res.account, res.region) == ("111122223333", "us-east-1"), res.id
    prov = net.subnet(PUBLIC_SUBNET).provenance
    assert prov.file == str(tmp_path / "snap" / "111122223333" / "us-east-1" / "Subnets.json")
    assert prov.path == "$.Subnets[0]"


def test_nested_region_folders_and_order(tmp_path):
    doc = kitchen()
    east = {k: v for k, v in doc.items() if k in ("Vpcs", "Subnets", "RouteTables")}
    rest = {k: v for k, v in doc.items() if k not in east}
    (tmp_path / "us-east-1" / "network").mkdir(parents=True)
    (tmp_path / "us-east-1" / "network" / "core.json").write_text(json.dumps(east))
    (tmp_path / "eu-west-1").mkdir()
    (tmp_path / "eu-west-1" / "rest.json").write_text(json.dumps(rest))
    (tmp_path / "README.txt").write_text("not JSON")
    result = load_snapshot(tmp_path)
    net = result.network
    assert net.vpc(VPC_A).region == "us-east-1"
    assert net.subnet(PUBLIC_SUBNET).region == "us-east-1"
    assert net.network_acl(CUSTOM_ACL).region == "eu-west-1"
    assert net.vpc(VPC_A).account is None
    assert any("non-JSON" in d.message for d in result.diagnostics)
    # Deterministic: a second load is identical, byte for byte.
    assert dumps_network(load_snapshot(tmp_path).network) == dumps_network(net)


def test_batfish_layout_reads_only_aws_configs(tmp_path):
    split_into_folder(kitchen(), tmp_path / "aws_configs" / "us-east-1")
    (tmp_path / "hosts").mkdir()
    (tmp_path / "hosts" / "srv.json").write_text('{"hostname": "srv"}')
    result = load_snapshot(tmp_path, strict=True)
    assert result.network.vpc(VPC_A).region == "us-east-1"
    assert any(
        "only aws_configs/" in d.message and "hosts" in d.message for d in result.diagnostics
    )


def test_netcheck_json_round_trip_is_exact(tmp_path):
    net = load_snapshot(KITCHEN_SINK, onprem_cidrs=["192.168.0.0/16", "10.250.0.0/16"]).network
    assert [str(c) for c in net.onprem_cidrs] == ["10.250.0.0/16", "192.168.0.0/16"]
    text = dumps_network(net)
    doc = json.loads(text)
    assert doc["schema_version"] == SCHEMA_VERSION and "vpcs" in doc
    path = tmp_path / "net.json"
    path.write_text(text)
    back = load_snapshot(path)
    assert back.network == net
    assert back.diagnostics == ()
    assert dumps_network(back.network) == text


def test_round_trip_of_peer_snapshots(tmp_path, hybrid_cloud, test_nat_gateway):
    for snap in (hybrid_cloud, test_nat_gateway):
        net = load_snapshot(snap).network
        path = tmp_path / f"{snap.name}.json"
        path.write_text(dumps_network(net))
        assert load_snapshot(path).network == net


def test_netcheck_json_in_a_folder_alone_is_read(tmp_path):
    net = load_snapshot(KITCHEN_SINK).network
    (tmp_path / "net.json").write_text(dumps_network(net))
    assert load_snapshot(tmp_path).network == net


def test_netcheck_json_mixed_with_aws_files_is_an_error(tmp_path):
    net = load_snapshot(KITCHEN_SINK).network
    (tmp_path / "a.json").write_text(dumps_network(net))
    (tmp_path / "b.json").write_text(KITCHEN_SINK.read_text())
    with pytest.raises(SnapshotError) as info:
        load_snapshot(tmp_path)
    (d,) = [d for d in info.value.diagnostics if d.severity is Severity.ERROR]
    assert d.file == str(tmp_path / "a.json") and "cannot be mixed" in d.message


def test_netcheck_json_onprem_added(tmp_path):
    net = load_snapshot(KITCHEN_SINK).network
    path = tmp_path / "net.json"
    path.write_text(dumps_network(net))
    again = load_snapshot(path, onprem_cidrs=["192.168.0.0/16"]).network
    assert again.onprem_cidrs == (IPv4Network("192.168.0.0/16"),)
    assert again.vpcs == net.vpcs


def test_identical_copy_in_another_file_is_a_note(tmp_path):
    doc = kitchen()
    (tmp_path / "111122223333").mkdir()
    (tmp_path / "111122223333" / "all.json").write_text(json.dumps(doc))
    (tmp_path / "444455556666").mkdir()
    shared = {"Subnets": [doc["Subnets"][2]], "TransitGateways": doc["TransitGateways"]}
    (tmp_path / "444455556666" / "shared.json").write_text(json.dumps(shared))
    result = load_snapshot(tmp_path)
    notes = [d for d in result.diagnostics if "listed again, identical" in d.message]
    assert [(d.resource_id, d.path) for d in notes] == [
        ("subnet-0b1", "$.Subnets[0]"),
        ("tgw-0a", "$.TransitGateways[0]"),
    ]
    assert result.network.subnet("subnet-0b1").account == "111122223333"


def test_other_route_targets_and_gateway_load_balancer_endpoint(tmp_path):
    doc = kitchen()
    routes = doc["RouteTables"][1]["Routes"]
    routes += [
        {"DestinationCidrBlock": "100.64.0.0/16", "CarrierGatewayId": "cagw-1", "State": "active"},
        {"DestinationCidrBlock": "100.65.0.0/16", "LocalGatewayId": "lgw-1", "State": "active"},
        {
            "DestinationCidrBlock": "100.66.0.0/16",
            "CoreNetworkArn": "arn:aws:networkmanager::1:core-network/core-network-1",
            "State": "active",
        },
        {"DestinationCidrBlock": "100.67.0.0/16", "InstanceId": "i-0arun", "State": "active"},
        {"DestinationCidrBlock": "100.68.0.0/16", "GatewayId": "vpce-0gwlb", "State": "active"},
    ]
    doc["VpcEndpoints"].append(
        {
            "VpcEndpointId": "vpce-0gwlb",
            "VpcEndpointType": "GatewayLoadBalancer",
            "VpcId": VPC_A,
            "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-1",
            "State": "available",
            "SubnetIds": [PUBLIC_SUBNET],
            "NetworkInterfaceIds": ["eni-0afree"],
        }
    )
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(doc))
    result = load_snapshot(path, strict=True)
    net = result.network
    kinds = {
        r.destination_text: (r.target_kind, r.target_id) for r in net.route_table(PUBLIC_RTB).routes
    }
    assert kinds["100.64.0.0/16"] == (RouteTargetKind.CARRIER_GATEWAY, "cagw-1")
    assert kinds["100.65.0.0/16"] == (RouteTargetKind.LOCAL_GATEWAY, "lgw-1")
    assert kinds["100.66.0.0/16"][0] is RouteTargetKind.CORE_NETWORK
    assert kinds["100.67.0.0/16"] == (RouteTargetKind.INSTANCE, "i-0arun")
    assert kinds["100.68.0.0/16"] == (
        RouteTargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT,
        "vpce-0gwlb",
    )
    eni = net.interface("eni-0afree")
    assert (eni.owner_kind, eni.owner_id) == (
        InterfaceOwnerKind.GATEWAY_LOAD_BALANCER_ENDPOINT,
        "vpce-0gwlb",
    )


def test_network_notes_hold_analysis_relevant_notes_only():
    net = load_snapshot(KITCHEN_SINK).network
    assert any("nat-0adel left out" in n for n in net.notes)
    assert any("eni-0anat" in n and "synthesized" in n for n in net.notes)
    assert not any("not modelled" in n for n in net.notes)


# Entries of a snapshot folder that are not regular files or folders: each skipped with a
# warning naming it (never silently; a FIFO is never opened, so loading never waits on one).
def _warnings(result) -> dict[str, str]:
    return {d.file: d.message for d in result.diagnostics if d.severity is Severity.WARNING}


def test_special_entries_in_a_snapshot_folder_are_skipped_with_a_warning(tmp_path):
    import os

    split_into_folder(kitchen(), tmp_path / "snap")
    snap = tmp_path / "snap"
    os.mkfifo(snap / "Extra.json")  # opening it would block until a writer comes
    (snap / "loop-a.json").symlink_to("loop-b.json")
    (snap / "loop-b.json").symlink_to("loop-a.json")
    (snap / "again").symlink_to(".")
    (snap / "gone.json").symlink_to("nowhere.json")
    (snap / "null.json").symlink_to(os.devnull)
    (tmp_path / "elsewhere").mkdir()
    (snap / "other").symlink_to(tmp_path / "elsewhere")
    (snap / "Vpcs-link.json").symlink_to(snap / "Vpcs.json")  # a link to a file is read
    result = load_snapshot(snap)
    warned = _warnings(result)
    assert set(warned) == {
        str(snap / name)
        for name in (
            "Extra.json",
            "loop-a.json",
            "loop-b.json",
            "again",
            "gone.json",
            "null.json",
            "other",
        )
    }
    assert warned[str(snap / "Extra.json")] == "skipped: a FIFO (named pipe), not a regular file"
    assert warned[str(snap / "loop-a.json")].startswith(
        "symbolic link loop (loop-a.json -> loop-b.json)"
    )
    assert warned[str(snap / "again")].startswith("symbolic link loop (again -> .")
    assert warned[str(snap / "gone.json")].startswith("broken symbolic link")
    assert "a character device" in warned[str(snap / "null.json")]
    assert "not followed" in warned[str(snap / "other")]
    # The link to Vpcs.json was read: its VPCs are the same ids, so a duplicate-free copy note.
    assert any(
        d.file == str(snap / "Vpcs.json") or d.file == str(snap / "Vpcs-link.json")
        for d in result.diagnostics
        if d.severity is Severity.NOTE and "listed again, identical" in d.message
    )
    assert result.network.vpc(VPC_A) is not None
    # --strict turns each into an error.
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap, strict=True)
    assert {d.file for d in info.value.diagnostics if d.severity is Severity.ERROR} == set(warned)


def test_a_fifo_given_as_the_snapshot_is_an_error_not_a_hang(tmp_path):
    import os

    fifo = tmp_path / "snap.json"
    os.mkfifo(fifo)
    with pytest.raises(SnapshotError) as info:
        load_snapshot(fifo)
    (d,) = info.value.diagnostics
    assert d.file == str(fifo) and "a FIFO (named pipe), not a file or folder" in d.message


def test_a_broken_symbolic_link_given_as_the_snapshot(tmp_path):
    (tmp_path / "snap").symlink_to(tmp_path / "missing")
    with pytest.raises(SnapshotError) as info:
        load_snapshot(tmp_path / "snap")
    (d,) = info.value.diagnostics
    assert "symbolic link" in d.message


def test_cli_query_names_skipped_entries_and_still_answers(tmp_path):
    import os

    from typer.testing import CliRunner

    from netcheck.cli import app

    doc = json.loads((DATA / "bad" / "nacl-duplicate-rule.json").read_text())
    del doc["NetworkAcls"][0]["Entries"][3]  # the duplicate: the rest is a usable snapshot
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "web.json").write_text(json.dumps(doc))
    os.mkfifo(tmp_path / "snap" / "pipe.json")
    argv = ["query", str(tmp_path / "snap"), "--from", "internet", "--to", "web"]
    r = CliRunner().invoke(app, [*argv, "--protocol", "tcp", "--port", "443"])
    assert r.exit_code == 0, r.output
    assert f"warning: {tmp_path / 'snap' / 'pipe.json'} $: skipped: a FIFO" in r.stderr
    r = CliRunner().invoke(app, [*argv, "--strict"])
    assert r.exit_code == 2, r.output
    assert f"error: {tmp_path / 'snap' / 'pipe.json'} $: skipped: a FIFO" in r.stderr
