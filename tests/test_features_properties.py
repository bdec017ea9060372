"""Property test: the engine agrees with the walker on random networks that also carry the
features of issue #9 §5 — VPC Block Public Access (modes per VPC and subnet, exclusions),
delegated prefixes, unattached interfaces, idle Elastic IPs, regional NAT gateways and TGW
multicast domains — with queries biased towards the addresses those features touch."""

from __future__ import annotations

from ipaddress import IPv4Address, ip_network

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import (
    ALLOW_ALL_ACL,
    INTERNET,
    INTERNET_HOSTS,
    egress,
    ingress,
    networks,
    packets,
    queries,
    route,
)
from test_engine_properties import engine, walker_verdict

from netcheck.model import (
    BlockPublicAccessExclusion,
    BlockPublicAccessExclusionMode,
    BlockPublicAccessMode,
    IdleAddress,
    InterfaceOwnerKind,
    InternetGatewayBlock,
    Network,
    RegionalNatGateway,
    TransitGatewayMulticastDomain,
)
from netcheck.model.packet import Origin, Packet
from netcheck.model.resolve import Header

MODES = (None, *BlockPublicAccessMode)
# VPC modes, weighted towards a block so that exclusions matter.
VPC_MODES = (None, BlockPublicAccessMode.OFF, *(BlockPublicAccessMode.BLOCK_BIDIRECTIONAL,) * 3)
VPC_MODES += (BlockPublicAccessMode.BLOCK_INGRESS,) * 2
EXCLUSION_MODES = (
    BlockPublicAccessExclusionMode.ALLOW_BIDIRECTIONAL,
    *(BlockPublicAccessExclusionMode.ALLOW_EGRESS,) * 2,
)
IDLE_IP, REGIONAL_IP, GROUP = "3.0.1.1", "3.0.1.2", "239.1.1.1"


@st.composite
def featured(draw: st.DrawFn) -> Network:
    """A random network (strategies.networks) with the §5 features laid over it."""
    net = draw(networks(transit=draw(st.booleans())))
    vpcs = [
        v.model_copy(update={"block_public_access": draw(st.sampled_from(VPC_MODES))})
        for v in net.vpcs
    ]
    subnets = [
        s.model_copy(update={"block_public_access": draw(st.sampled_from((None, None, *MODES)))})
        for s in net.subnets
    ]
    exclusions = []
    for rid in [*(v.id for v in vpcs), *(s.id for s in subnets)]:
        if draw(st.integers(0, 3)) == 0:
            mode = draw(st.sampled_from(EXCLUSION_MODES))
            exclusions.append(
                BlockPublicAccessExclusion(
                    id=f"vpcbpa-exclude-{len(exclusions)}", resource_id=rid, mode=mode
                )
            )
    if draw(st.booleans()):
        # Filters that let everything through and, in a VPC with an IGW, a default route to
        # it in some tables, so that the gateways (and Block Public Access) decide.
        tables = []
        for t in net.route_tables:
            igw = net.internet_gateway_of(t.vpc_id)
            if igw is not None and draw(st.booleans()):
                local = tuple(r for r in t.routes if r.target_kind.value == "local")
                t = t.model_copy(
                    update={"routes": (*local, route("0.0.0.0/0", "internet-gateway", igw.id))}
                )
            tables.append(t)
        net = net.model_copy(
            update={
                "route_tables": tuple(tables),
                "network_acls": tuple(
                    a.model_copy(update={"entries": ALLOW_ALL_ACL}) for a in net.network_acls
                ),
                "security_groups": tuple(
                    g.model_copy(update={"ingress": (ingress(),), "egress": (egress(),)})
                    for g in net.security_groups
                ),
            }
        )
    enis = []
    for e in net.network_interfaces:
        if e.owner_kind is not InterfaceOwnerKind.NAT_GATEWAY:
            subnet = net.subnet(e.subnet_id)
            if draw(st.integers(0, 3)) == 0:
                prefix = ip_network(f"{subnet.cidr_block.network_address + 208}/28")
                e = e.model_copy(update={"ipv4_prefixes": (prefix,)})
            if draw(st.integers(0, 5)) == 0:
                e = e.model_copy(update={"owner_kind": InterfaceOwnerKind.UNATTACHED})
        enis.append(e)
    regional = ()
    if draw(st.booleans()):
        regional = (
            RegionalNatGateway(
                id="nat-regional", vpc_id=vpcs[0].id, public_ips=(IPv4Address(REGIONAL_IP),)
            ),
        )
    domains = ()
    if net.transit_gateways and draw(st.booleans()):
        domains = (
            TransitGatewayMulticastDomain(
                id="tgw-mcast-domain-1", transit_gateway_id=net.transit_gateways[0].id
            ),
        )
    return net.model_copy(
        update={
            "vpcs": tuple(vpcs),
            "subnets": tuple(subnets),
            "network_interfaces": tuple(enis),
            "block_public_access_exclusions": tuple(exclusions),
            "idle_addresses": (IdleAddress(public_ip=IPv4Address(IDLE_IP), owner_id="i-stopped"),),
            "regional_nat_gateways": regional,
            "transit_gateway_multicast_domains": domains,
        }
    )


@st.composite
def featured_case(draw: st.DrawFn) -> tuple[Network, Origin, Packet]:
    """A query on a featured network: free (strategies.queries), from the internet to a
    public IP of the network, or towards an address a feature owns (a delegated prefix, an
    idle Elastic IP, a regional NAT's address, a multicast group)."""
    net = draw(featured())
    origin, packet = draw(queries(net))
    public = sorted({str(a) for e in net.network_interfaces for a in e.public_ips})
    special = [IDLE_IP, REGIONAL_IP, GROUP] + [
        str(p.network_address + 3) for e in net.network_interfaces for p in e.ipv4_prefixes
    ]
    kind = draw(st.sampled_from(("free", "internet", "internet", "special", "special")))
    if kind == "internet" and public:
        # A public IP in a subnet under each kind of block equally often.
        by_block: dict[InternetGatewayBlock, list[str]] = {}
        for e in net.network_interfaces:
            if e.owner_kind is InterfaceOwnerKind.NAT_GATEWAY:
                continue
            if net.internet_gateway_of(e.vpc_id) is None:
                continue
            for a in e.public_ips:
                by_block.setdefault(net.internet_gateway_block(e.subnet_id), []).append(str(a))
        pool = by_block[draw(st.sampled_from(sorted(by_block)))] if by_block else public
        src = draw(st.sampled_from(INTERNET_HOSTS))
        return net, INTERNET, draw(packets(net, src, draw(st.sampled_from(pool))))
    if kind == "special":
        src = str(packet.src_ip)
        if origin.kind.value == "interface" and draw(st.booleans()):
            eni = net.interface(origin.interface_id or "")
            if eni.ipv4_prefixes:
                src = str(eni.ipv4_prefixes[0].network_address + 5)
        packet = draw(packets(net, src, draw(st.sampled_from(special))))
    return net, origin, packet


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(featured_case())
def test_engine_equals_walker_with_the_features_of_issue_9(case):
    network, origin, packet = case
    expected = walker_verdict(network, origin, packet)
    got = engine(network, origin, Header(packet=packet))
    assert got.verdict == expected, (
        f"engine {got.verdict} ({got.reason or [b.code for b in got.blockers]}) vs walker "
        f"{expected} for {packet} from {origin}"
    )


def test_the_generator_reaches_the_features():
    """The strategy does produce each feature (so the property above exercises them)."""
    seen: set[str] = set()

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(featured())
    def look(net: Network) -> None:
        if any(v.block_public_access not in (None, BlockPublicAccessMode.OFF) for v in net.vpcs):
            seen.add("bpa")
        if net.block_public_access_exclusions:
            seen.add("exclusion")
        if any(e.ipv4_prefixes for e in net.network_interfaces):
            seen.add("prefix")
        if any(not e.attached for e in net.network_interfaces):
            seen.add("unattached")
        if net.regional_nat_gateways:
            seen.add("regional")
        if net.transit_gateway_multicast_domains:
            seen.add("multicast")

    look()
    assert seen == {"bpa", "exclusion", "prefix", "unattached", "regional", "multicast"}
