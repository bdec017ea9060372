"""Features present in describe-* input are modelled or reported (issue #9 §5): VPC Block
Public Access, prefix delegation, regional NAT gateways, stopped instances and unattached
interfaces keeping their Elastic IPs, transit gateway multicast domains.

Each test builds a small snapshot in describe-* shapes (a dict handed to `netcheck.load`)
and asserts the engine's answer and the concrete walker's, which must agree."""

from __future__ import annotations

from ipaddress import IPv4Address
from typing import Any

import pytest
from strategies import INTERNET, from_eni, tcp, udp

import netcheck
from netcheck.api import Snapshot, Verdict
from netcheck.errors import Severity
from netcheck.model.packet import DispositionKind, Packet
from netcheck.walk import walk_connection

ACCOUNT = "111122223333"
WEB, APP, NAT_ENI = "eni-0web", "eni-0app", "eni-0nat"
WEB_IP, WEB_PUBLIC = "10.0.1.10", "54.0.0.10"
APP_IP = "10.0.2.10"
NAT_IP, NAT_PUBLIC = "10.0.1.100", "54.0.0.100"
CLIENT = "198.51.100.7"


def _eni(
    eni_id: str, subnet: str, ip: str, public: str | None = None, instance: str | None = None
) -> dict[str, Any]:
    pa: dict[str, Any] = {"PrivateIpAddress": ip, "Primary": True}
    if public:
        pa["Association"] = {"PublicIp": public, "IpOwnerId": "amazon"}
    eni: dict[str, Any] = {
        "NetworkInterfaceId": eni_id,
        "SubnetId": subnet,
        "VpcId": "vpc-0a",
        "AvailabilityZone": "us-east-1a",
        "PrivateIpAddress": ip,
        "PrivateIpAddresses": [pa],
        "Groups": [{"GroupId": "sg-0open", "GroupName": "open"}],
        "InterfaceType": "interface",
        "Status": "in-use",
        "SourceDestCheck": True,
    }
    if instance:
        eni["Attachment"] = {"InstanceId": instance, "Status": "attached", "DeviceIndex": 0}
    return eni


def _instance(instance_id: str, eni: dict[str, Any], state: str = "running") -> dict[str, Any]:
    return {
        "InstanceId": instance_id,
        "State": {"Code": 16 if state == "running" else 80, "Name": state},
        "SubnetId": eni["SubnetId"],
        "VpcId": "vpc-0a",
        "Placement": {"AvailabilityZone": "us-east-1a"},
        "PrivateIpAddress": eni["PrivateIpAddress"],
        "NetworkInterfaces": [
            {
                "NetworkInterfaceId": eni["NetworkInterfaceId"],
                "SubnetId": eni["SubnetId"],
                "VpcId": "vpc-0a",
                "PrivateIpAddress": eni["PrivateIpAddress"],
                "PrivateIpAddresses": eni["PrivateIpAddresses"],
                "Groups": eni["Groups"],
                "Status": "in-use",
                "SourceDestCheck": True,
            }
        ],
    }


def _allow_all(egress: bool) -> list[dict[str, Any]]:
    return [
        {"RuleNumber": 100, "Egress": egress, "Protocol": "-1", "RuleAction": "allow",
         "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 32767, "Egress": egress, "Protocol": "-1", "RuleAction": "deny",
         "CidrBlock": "0.0.0.0/0"},
    ]  # fmt: skip


def estate() -> dict[str, Any]:
    """vpc-0a: a public subnet (web instance with a public IP, the NAT gateway) routing to
    igw-0a, a private subnet (app instance) routing to nat-0a; NACLs and SGs open."""
    web, app = (
        _eni(WEB, "subnet-0pub", WEB_IP, WEB_PUBLIC, "i-0web"),
        _eni(APP, "subnet-0priv", APP_IP, None, "i-0app"),
    )
    nat_eni = _eni(NAT_ENI, "subnet-0pub", NAT_IP, NAT_PUBLIC)
    nat_eni.update(
        InterfaceType="nat_gateway",
        Description="Interface for NAT Gateway nat-0a",
        Groups=[],
        SourceDestCheck=False,
        RequesterManaged=True,
    )
    local = {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"}
    return {
        "Vpcs": [{"VpcId": "vpc-0a", "CidrBlock": "10.0.0.0/16", "State": "available",
                  "OwnerId": ACCOUNT}],
        "Subnets": [
            {"SubnetId": "subnet-0pub", "VpcId": "vpc-0a", "CidrBlock": "10.0.1.0/24",
             "AvailabilityZone": "us-east-1a", "State": "available"},
            {"SubnetId": "subnet-0priv", "VpcId": "vpc-0a", "CidrBlock": "10.0.2.0/24",
             "AvailabilityZone": "us-east-1a", "State": "available"},
        ],
        "RouteTables": [
            {"RouteTableId": "rtb-0pub", "VpcId": "vpc-0a",
             "Associations": [{"SubnetId": "subnet-0pub", "Main": False}],
             "Routes": [local, {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0a",
                                "State": "active"}]},
            {"RouteTableId": "rtb-0priv", "VpcId": "vpc-0a",
             "Associations": [{"Main": True}],
             "Routes": [local, {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0a",
                                "State": "active"}]},
        ],
        "NetworkAcls": [
            {"NetworkAclId": "acl-0a", "VpcId": "vpc-0a", "IsDefault": True,
             "Entries": _allow_all(False) + _allow_all(True), "Associations": []},
        ],
        "SecurityGroups": [
            {"GroupId": "sg-0open", "GroupName": "open", "VpcId": "vpc-0a",
             "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
             "IpPermissionsEgress": [{"IpProtocol": "-1",
                                      "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
        ],
        "InternetGateways": [
            {"InternetGatewayId": "igw-0a",
             "Attachments": [{"VpcId": "vpc-0a", "State": "available"}]},
        ],
        "NatGateways": [
            {"NatGatewayId": "nat-0a", "VpcId": "vpc-0a", "SubnetId": "subnet-0pub",
             "State": "available", "ConnectivityType": "public",
             "NatGatewayAddresses": [{"NetworkInterfaceId": NAT_ENI, "PrivateIp": NAT_IP,
                                      "PublicIp": NAT_PUBLIC, "IsPrimary": True,
                                      "Status": "succeeded"}]},
        ],
        "NetworkInterfaces": [web, app, nat_eni],
        "Reservations": [
            {"ReservationId": "r-0a", "Instances": [_instance("i-0web", web),
                                                    _instance("i-0app", app)]},
        ],
    }  # fmt: skip


def load(doc: dict[str, Any]) -> Snapshot:
    return netcheck.load(doc)


def walked(snap: Snapshot, packet: Packet, origin: Any) -> Any:
    return walk_connection(snap.network, packet, origin)


def agree(answer: Any, trace: Any) -> None:
    """The engine's verdict and the walker's outcome are the same."""
    if answer.verdict is Verdict.REACHABLE:
        assert trace.success, trace
    elif answer.verdict is Verdict.UNREACHABLE:
        assert not trace.success
        assert trace.forward.disposition.kind is not DispositionKind.UNKNOWN or (
            trace.reply is not None
        )
    else:
        kinds = {trace.forward.disposition.kind}
        if trace.reply is not None:
            kinds.add(trace.reply.disposition.kind)
        assert DispositionKind.UNKNOWN in kinds, trace


def codes(answer: Any) -> set[tuple[str, str | None]]:
    assert answer.proof is not None, answer
    return {(b.component_id, b.code) for b in answer.proof.blockers}


# -- VPC Block Public Access ------------------------------------------------------------------

BPA = "VPC_BLOCK_PUBLIC_ACCESS_ENABLED"


def with_bpa(mode: str, *exclusions: tuple[str, str], options: bool = False) -> Snapshot:
    doc = estate()
    if options:
        doc["VpcBlockPublicAccessOptions"] = {
            "AwsAccountId": ACCOUNT,
            "AwsRegion": "us-east-1",
            "State": "update-complete",
            "InternetGatewayBlockMode": mode,
            "ExclusionsAllowed": "allowed",
            "ManagedBy": "account",
        }
    else:
        doc["Vpcs"][0]["BlockPublicAccessStates"] = {"InternetGatewayBlockMode": mode}
    doc["VpcBlockPublicAccessExclusions"] = [
        {
            "ExclusionId": f"vpcbpa-exclude-{i:017x}",
            "InternetGatewayExclusionMode": xmode,
            "ResourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:{rid.split('-')[0]}/{rid}",
            "State": "create-complete",
        }
        for i, (rid, xmode) in enumerate(exclusions)
    ]
    return load(doc)


def inbound(snap: Snapshot) -> tuple[Any, Any]:
    """internet -> the web instance's public IP, tcp/443 (engine, walker)."""
    a = snap.query("internet", WEB_PUBLIC, protocol="tcp", port=443)
    t = walked(snap, tcp(CLIENT, WEB_PUBLIC, 443), INTERNET)
    agree(a, t)
    return a, t


def outbound(snap: Snapshot, eni: str, ip: str) -> tuple[Any, Any]:
    """`eni` -> 8.8.8.8 tcp/443 (engine, walker)."""
    a = snap.query(eni, "8.8.8.8", protocol="tcp", port=443)
    t = walked(snap, tcp(ip, "8.8.8.8", 443), from_eni(eni))
    agree(a, t)
    return a, t


def test_without_block_public_access_all_three_directions_are_reachable():
    snap = load(estate())
    assert inbound(snap)[0].verdict is Verdict.REACHABLE
    assert outbound(snap, WEB, WEB_IP)[0].verdict is Verdict.REACHABLE
    assert outbound(snap, APP, APP_IP)[0].verdict is Verdict.REACHABLE


def test_block_bidirectional_drops_all_igw_traffic_with_its_own_code():
    snap = with_bpa("block-bidirectional")
    for a, t in (inbound(snap), outbound(snap, WEB, WEB_IP), outbound(snap, APP, APP_IP)):
        assert a.verdict is Verdict.UNREACHABLE
        assert ("igw-0a", BPA) in codes(a)
        assert t.forward.disposition.code == BPA


def test_block_ingress_drops_internet_initiated_and_direct_egress_but_nat_flows_pass():
    snap = with_bpa("block-ingress")
    a, t = inbound(snap)
    assert a.verdict is Verdict.UNREACHABLE and ("igw-0a", BPA) in codes(a)
    # Only traffic to and from NAT gateways passes: the web instance's own public IP not.
    a, t = outbound(snap, WEB, WEB_IP)
    assert a.verdict is Verdict.UNREACHABLE and t.forward.disposition.code == BPA
    a, t = outbound(snap, APP, APP_IP)
    assert a.verdict is Verdict.REACHABLE and t.success


def test_account_options_apply_to_vpcs_that_report_no_state():
    snap = with_bpa("block-bidirectional", options=True)
    assert inbound(snap)[0].verdict is Verdict.UNREACHABLE


def test_allow_bidirectional_exclusion_of_a_subnet_lifts_the_block_for_it_only():
    snap = with_bpa("block-bidirectional", ("subnet-0pub", "allow-bidirectional"))
    assert inbound(snap)[0].verdict is Verdict.REACHABLE
    assert outbound(snap, WEB, WEB_IP)[0].verdict is Verdict.REACHABLE
    # The app's traffic leaves through the NAT in the excluded subnet: it passes too.
    assert outbound(snap, APP, APP_IP)[0].verdict is Verdict.REACHABLE


def test_allow_egress_exclusion_passes_outbound_and_replies_not_inbound():
    snap = with_bpa("block-bidirectional", ("vpc-0a", "allow-egress"))
    a, _ = inbound(snap)
    assert a.verdict is Verdict.UNREACHABLE and ("igw-0a", BPA) in codes(a)
    assert outbound(snap, WEB, WEB_IP)[0].verdict is Verdict.REACHABLE
    assert outbound(snap, APP, APP_IP)[0].verdict is Verdict.REACHABLE


def test_exclusions_not_allowed_by_the_account_are_left_out():
    doc = estate()
    doc["VpcBlockPublicAccessOptions"] = {
        "AwsAccountId": ACCOUNT,
        "AwsRegion": "us-east-1",
        "InternetGatewayBlockMode": "block-bidirectional",
        "ExclusionsAllowed": "not-allowed",
    }
    doc["VpcBlockPublicAccessExclusions"] = [
        {
            "ExclusionId": "vpcbpa-exclude-1",
            "InternetGatewayExclusionMode": "allow-bidirectional",
            "ResourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc/vpc-0a",
            "State": "create-complete",
        }
    ]
    snap = load(doc)
    assert snap.network.block_public_access_exclusions == ()
    assert inbound(snap)[0].verdict is Verdict.UNREACHABLE


def test_unknown_block_mode_is_a_clear_error():
    doc = estate()
    doc["Vpcs"][0]["BlockPublicAccessStates"] = {"InternetGatewayBlockMode": "block-everything"}
    with pytest.raises(netcheck.errors.SnapshotError) as e:
        load(doc)
    d = next(d for d in e.value.diagnostics if d.severity is Severity.ERROR)
    assert "block-everything" in d.message and "InternetGatewayBlockMode" in (d.path or "")


# -- prefix delegation ------------------------------------------------------------------------

POD_PREFIX, POD_IP = "10.0.2.208/28", "10.0.2.211"


def with_prefix() -> Snapshot:
    doc = estate()
    app = doc["NetworkInterfaces"][1]
    app["Ipv4Prefixes"] = [{"Ipv4Prefix": POD_PREFIX}]
    app["Ipv6Prefixes"] = [{"Ipv6Prefix": "2600:1f18:0:2::/80"}]
    return load(doc)


def test_delegated_prefix_addresses_are_the_interfaces_own():
    snap = with_prefix()
    eni = snap.network.interface(APP)
    assert [str(p) for p in eni.ipv4_prefixes] == [POD_PREFIX]
    assert [str(p) for p in eni.ipv6_prefixes] == ["2600:1f18:0:2::/80"]
    # As a destination: web -> a pod address is delivered to the app interface.
    a = snap.query(WEB, POD_IP, protocol="tcp", port=8080)
    t = walked(snap, tcp(WEB_IP, POD_IP, 8080), from_eni(WEB))
    agree(a, t)
    assert a.verdict is Verdict.REACHABLE
    assert t.forward.disposition.component_id == APP
    # As a source: the pod address passes the source/destination check and goes out via NAT.
    a = snap.query(POD_IP, "8.8.8.8", protocol="tcp", port=443)
    t = walked(snap, tcp(POD_IP, "8.8.8.8", 443), from_eni(APP))
    agree(a, t)
    assert a.verdict is Verdict.REACHABLE


def test_without_the_prefix_the_pod_address_is_unreachable():
    snap = load(estate())
    a = snap.query(WEB, POD_IP, protocol="tcp", port=8080)
    t = walked(snap, tcp(WEB_IP, POD_IP, 8080), from_eni(WEB))
    agree(a, t)
    assert a.verdict is Verdict.UNREACHABLE


def test_a_group_reference_matches_a_members_delegated_prefix():
    doc = estate()
    doc["NetworkInterfaces"][1]["Ipv4Prefixes"] = [{"Ipv4Prefix": POD_PREFIX}]
    doc["SecurityGroups"].append(
        {
            "GroupId": "sg-0web",
            "GroupName": "web",
            "VpcId": "vpc-0a",
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 80,
                    "ToPort": 80,
                    "UserIdGroupPairs": [{"GroupId": "sg-0open", "UserId": ACCOUNT}],
                }
            ],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        }
    )
    doc["NetworkInterfaces"][0]["Groups"] = [{"GroupId": "sg-0web", "GroupName": "web"}]
    snap = load(doc)
    a = snap.query(POD_IP, WEB_IP, protocol="tcp", port=80)
    t = walked(snap, tcp(POD_IP, WEB_IP, 80), from_eni(APP))
    agree(a, t)
    assert a.verdict is Verdict.REACHABLE


# -- regional NAT gateways --------------------------------------------------------------------


def with_regional_nat() -> Snapshot:
    doc = estate()
    doc["NatGateways"].append(
        {
            "NatGatewayId": "nat-0regional",
            "VpcId": "vpc-0a",
            "State": "available",
            "ConnectivityType": "public",
            "AvailabilityMode": "regional",
            "NatGatewayAddresses": [
                {"AllocationId": "eipalloc-0r", "PublicIp": "54.0.0.200", "Status": "succeeded"}
            ],
        }
    )
    doc["RouteTables"][1]["Routes"][1] = {
        "DestinationCidrBlock": "0.0.0.0/0",
        "NatGatewayId": "nat-0regional",
        "State": "active",
    }
    return load(doc)


def test_regional_nat_gateway_loads_and_paths_through_it_are_unknown():
    snap = with_regional_nat()
    assert [n.id for n in snap.network.regional_nat_gateways] == ["nat-0regional"]
    a = snap.query(APP, "8.8.8.8", protocol="tcp", port=443)
    t = walked(snap, tcp(APP_IP, "8.8.8.8", 443), from_eni(APP))
    agree(a, t)
    assert a.verdict is Verdict.UNKNOWN
    assert "nat-0regional" in (a.reason or "") and "regional" in (a.reason or "")
    assert t.forward.disposition.component_id == "nat-0regional"


def test_a_regional_nats_address_is_no_internet_host():
    snap = with_regional_nat()
    a = snap.query("internet", "54.0.0.200", protocol="tcp", port=443)
    t = walked(snap, tcp(CLIENT, "54.0.0.200", 443), INTERNET)
    agree(a, t)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("nat-0regional", "NGW_NO_UNSOLICITED_INBOUND") in codes(a)


# -- stopped instances and unattached interfaces ----------------------------------------------

EIP = "54.0.0.50"


def with_stopped_instance() -> Snapshot:
    doc = estate()
    db = _eni("eni-0db", "subnet-0pub", "10.0.1.50", EIP, "i-0db")
    db["PrivateIpAddresses"][0]["Association"]["IpOwnerId"] = ACCOUNT
    doc["NetworkInterfaces"].append(db)
    doc["Reservations"][0]["Instances"].append(_instance("i-0db", db, state="stopped"))
    doc["Addresses"] = [
        {
            "PublicIp": EIP,
            "AllocationId": "eipalloc-0db",
            "Domain": "vpc",
            "InstanceId": "i-0db",
            "NetworkInterfaceId": "eni-0db",
            "PrivateIpAddress": "10.0.1.50",
        }
    ]
    return load(doc)


def test_the_elastic_ip_of_a_stopped_instance_is_not_an_internet_host():
    snap = with_stopped_instance()
    assert [(str(a.public_ip), a.owner_id, a.state) for a in snap.network.idle_addresses] == [
        (EIP, "i-0db", "stopped")
    ]
    a = snap.query("internet", EIP, protocol="tcp", port=22)
    t = walked(snap, tcp(CLIENT, EIP, 22), INTERNET)
    agree(a, t)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("i-0db", "INSTANCE_NOT_RUNNING") in codes(a)
    assert t.forward.disposition.code == "INSTANCE_NOT_RUNNING"
    # From inside the estate too (out through the IGW, then nobody there).
    a = snap.query(WEB, EIP, protocol="tcp", port=22)
    t = walked(snap, tcp(WEB_IP, EIP, 22), from_eni(WEB))
    agree(a, t)
    assert a.verdict is Verdict.UNREACHABLE
    assert t.forward.disposition.code == "INSTANCE_NOT_RUNNING"


def test_a_stopped_instance_named_as_endpoint_is_unreachable_with_the_reason():
    snap = with_stopped_instance()
    a = snap.query("internet", "i-0db", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("i-0db", "INSTANCE_NOT_RUNNING") in codes(a)
    with pytest.raises(netcheck.errors.QueryError, match="stopped"):
        snap.query("i-0db", "internet", protocol="tcp", port=443)


def test_an_unattached_interface_keeps_its_elastic_ip_and_answers_nothing():
    doc = estate()
    spare = _eni("eni-0spare", "subnet-0pub", "10.0.1.60", EIP)
    spare["Status"] = "available"
    doc["NetworkInterfaces"].append(spare)
    snap = load(doc)
    a = snap.query("internet", EIP, protocol="tcp", port=22)
    t = walked(snap, tcp(CLIENT, EIP, 22), INTERNET)
    agree(a, t)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("eni-0spare", "ENI_NOT_ATTACHED") in codes(a)
    assert t.forward.disposition.code == "ENI_NOT_ATTACHED"
    a = snap.query(WEB, "10.0.1.60", protocol="tcp", port=22)
    t = walked(snap, tcp(WEB_IP, "10.0.1.60", 22), from_eni(WEB))
    agree(a, t)
    assert a.verdict is Verdict.UNREACHABLE


# -- transit gateway multicast domains -------------------------------------------------------

GROUP = "239.1.1.1"


def with_multicast_domain(domain: bool = True) -> Snapshot:
    doc = estate()
    doc["TransitGateways"] = [
        {
            "TransitGatewayId": "tgw-0a",
            "State": "available",
            "OwnerId": ACCOUNT,
            "Options": {"MulticastSupport": "enable", "DefaultRouteTableAssociation": "disable",
                        "DefaultRouteTablePropagation": "disable"},
        }
    ]  # fmt: skip
    doc["TransitGatewayVpcAttachments"] = [
        {
            "TransitGatewayAttachmentId": "tgw-attach-0a",
            "TransitGatewayId": "tgw-0a",
            "VpcId": "vpc-0a",
            "SubnetIds": ["subnet-0priv"],
            "State": "available",
        }
    ]
    if domain:
        doc["TransitGatewayMulticastDomains"] = [
            {
                "TransitGatewayMulticastDomainId": "tgw-mcast-domain-0a",
                "TransitGatewayId": "tgw-0a",
                "State": "available",
                "Options": {"Igmpv2Support": "enable", "StaticSourcesSupport": "disable"},
            }
        ]
    return load(doc)


def test_multicast_domain_is_read_without_a_warning():
    snap = with_multicast_domain()
    assert [d.id for d in snap.network.transit_gateway_multicast_domains] == ["tgw-mcast-domain-0a"]
    about = [d for d in snap.diagnostics if "TransitGatewayMulticastDomains" in (d.path or "")]
    assert about and {d.severity for d in about} == {Severity.NOTE}


def test_multicast_through_a_tgw_multicast_domain_is_unknown_with_a_reason():
    snap = with_multicast_domain()
    a = snap.query(APP, GROUP, protocol="udp", port=5000, one_way=True)
    assert a.verdict is Verdict.UNKNOWN
    assert "tgw-mcast-domain-0a" in (a.reason or "")
    t = walked(snap, udp(APP_IP, GROUP, 5000), from_eni(APP))
    assert t.forward.disposition.kind is DispositionKind.UNKNOWN
    assert t.forward.disposition.component_id == "tgw-mcast-domain-0a"
    # Unicast from the same VPC is unaffected.
    assert outbound(snap, APP, APP_IP)[0].verdict is Verdict.REACHABLE


def test_without_a_multicast_domain_multicast_is_still_dropped():
    snap = with_multicast_domain(domain=False)
    a = snap.query(APP, GROUP, protocol="udp", port=5000, one_way=True)
    t = walked(snap, udp(APP_IP, GROUP, 5000), from_eni(APP))
    assert a.verdict is Verdict.UNREACHABLE
    assert not t.forward.success


# -- the same through the exposure question --------------------------------------------------


def _exposure(snap: Snapshot, resource: str) -> Any:
    return next(r for r in snap.exposure("internet").resources if resource in (r.id, *r.interfaces))


def test_exposure_sees_block_public_access():
    assert _exposure(load(estate()), "i-0web").reachable
    blocked = _exposure(with_bpa("block-ingress"), "i-0web")
    assert not blocked.reachable and blocked.status == "complete"


def test_exposure_keeps_an_unattached_interface_apart_and_unreachable():
    doc = estate()
    # Same subnet, groups and address shape as the web interface: only attachment differs.
    spare = _eni("eni-0spare", "subnet-0pub", "10.0.1.60", EIP)
    spare["Status"] = "available"
    doc["NetworkInterfaces"].append(spare)
    snap = load(doc)
    assert _exposure(snap, "i-0web").reachable
    assert not _exposure(snap, "eni-0spare").reachable


def test_exposure_covers_a_delegated_prefix():
    doc = estate()
    doc["NetworkInterfaces"][0]["Ipv4Prefixes"] = [{"Ipv4Prefix": "10.0.1.208/28"}]
    snap = load(doc)
    web = next(r for r in snap.exposure(APP).resources if r.id == "i-0web")
    assert web.reachable and web.status == "complete"
    pods = (int(IPv4Address("10.0.1.208")), int(IPv4Address("10.0.1.223")))
    assert any(
        lo <= pods[0] and pods[1] <= hi for b in web.boxes for lo, hi in b.intervals["dst_ip"]
    )


def test_nat_hairpin_to_an_own_public_ip_is_no_routing_loop():
    """app -> web's public IP: out through the NAT gateway and the internet gateway, back in
    through the internet gateway; the reply goes out to the NAT's public IP and back through
    the NAT, which routes it from its own subnet — the web subnet, already routed from on
    this path but with another packet (the NAT translated it), so no loop."""
    snap = load(estate())
    answer = snap.query(APP, WEB_PUBLIC, protocol="tcp", port=443)
    assert answer.verdict == "reachable", answer.reason
    assert answer.witness is not None
    rs = snap.reachable_set(APP, "i-0web")
    assert rs.status == "complete" and not rs.unknown_paths
    assert any(WEB_PUBLIC + "/32" in b.dst_ips for b in rs.boxes if b.protocol == "tcp")
