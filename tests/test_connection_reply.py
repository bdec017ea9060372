"""A connection is established only if the reply comes back *as the reply* (issue #9 §1,
forwarding.md "Connections (default) and replies"): at the source, with exactly the reversed
header of the packet as the source sent it. Asymmetric routes — an instance with a public IP
whose subnet's default route goes to a NAT gateway, a peering or TGW route on one side only —
are blocked connections, with the hop where the reply went astray; the engine, the sets and
the walker agree."""

from __future__ import annotations

from strategies import (
    INTERNET,
    Builder,
    egress,
    from_eni,
    ingress,
    route,
    tcp,
    tgw_route,
)

from netcheck.compile.connection import REPLY_ADDRESS_MISMATCH
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind, Origin
from netcheck.model.resolve import Destination, Header, Source
from netcheck.questions.reachable_set import solve_pair
from netcheck.solve.engine import Request, run
from netcheck.walk import walk_connection

WEB = "eni-web"
WEB_PUBLIC = "3.0.0.10"
NAT = "nat-1"


def public_instance(default_route_via_nat: bool) -> Network:
    """An instance with public IP 3.0.0.10 in subnet-app; its subnet's default route goes to
    nat-1 (in subnet-pub, which routes to the IGW) or straight to the IGW."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.igw("igw-1", "vpc-1")
    b.subnet("subnet-pub", "vpc-1", "10.1.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-app", "vpc-1", "10.1.2.0/24", rtb="rtb-app")
    b.route_table("rtb-pub", "vpc-1", route("0.0.0.0/0", "internet-gateway", "igw-1"))
    b.nat(NAT, "subnet-pub", "10.1.1.100", "3.0.0.100")
    default = (
        route("0.0.0.0/0", "nat-gateway", NAT)
        if default_route_via_nat
        else route("0.0.0.0/0", "internet-gateway", "igw-1")
    )
    b.route_table("rtb-app", "vpc-1", default)
    b.sg("sg-web", "vpc-1", ingress(6), egress())
    b.eni(WEB, "subnet-app", "10.1.2.10", "sg-web", public=WEB_PUBLIC)
    return b.build()


def engine(network: Network, origin: Origin, target: str, header: Header, **kw: object):
    return run(
        Request(
            network=network,
            sources=(Source(origin=origin),),
            destination=Destination(interface_ids=(target,)),
            header=header,
            **kw,  # type: ignore[arg-type]
        )
    )


def the_set(network: Network, origin: Origin, target: str, header: Header, **kw: object):
    return solve_pair(
        network,
        (Source(origin=origin),),
        Destination(interface_ids=(target,)),
        header,
        **kw,  # type: ignore[arg-type]
    )


def test_reply_sent_out_through_a_nat_gateway_is_not_the_reply():
    net = public_instance(default_route_via_nat=True)
    sent = tcp("8.8.8.8", WEB_PUBLIC, 443)
    trace = walk_connection(net, sent, INTERNET)
    assert trace.forward.success
    assert trace.reply is not None
    d = trace.reply.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        REPLY_ADDRESS_MISMATCH,
        NAT,
    )
    assert not trace.success
    for header in (Header(packet=sent), Header(protocol=6)):
        out = engine(net, INTERNET, WEB, header)
        assert out.verdict == "unreachable"
        astray = [b for b in out.blockers if b.code == REPLY_ADDRESS_MISMATCH]
        assert [(b.component_id, b.direction) for b in astray] == [(NAT, "return")]
    assert not the_set(net, INTERNET, WEB, Header(protocol=6)).boxes
    # The forward packet alone gets there.
    assert engine(net, INTERNET, WEB, Header(protocol=6), one_way=True).verdict == "reachable"


def test_reply_through_the_internet_gateway_is_the_reply():
    net = public_instance(default_route_via_nat=False)
    sent = tcp("8.8.8.8", WEB_PUBLIC, 443)
    assert walk_connection(net, sent, INTERNET).success
    assert engine(net, INTERNET, WEB, Header(packet=sent)).verdict == "reachable"
    assert engine(net, INTERNET, WEB, Header(protocol=6)).verdict == "reachable"
    assert the_set(net, INTERNET, WEB, Header(protocol=6)).boxes


def test_an_instance_behind_the_nat_still_reaches_the_internet():
    """The outbound connection through the NAT is symmetric: its reply is reverse-translated
    by the NAT that made the session and arrives as the reply."""
    net = public_instance(default_route_via_nat=True)
    sent = tcp("10.1.2.10", "8.8.8.8", 443)
    assert walk_connection(net, sent, from_eni(WEB), nat_ports={NAT: 1024}).success
    out = run(
        Request(
            network=net,
            sources=(Source(origin=from_eni(WEB)),),
            destination=Destination(internet=True),
            header=Header(packet=sent),
            nat_ports={NAT: 1024},
        )
    )
    assert out.verdict == "reachable"


def peered(route_back: bool) -> Network:
    """vpc-1 routes 10.2.0.0/16 to pcx-12; vpc-2 routes 10.1.0.0/16 back only if
    `route_back` (otherwise its default route to its IGW takes the reply)."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.vpc("vpc-2", "10.2.0.0/16")
    b.igw("igw-2", "vpc-2")
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.subnet("subnet-2", "vpc-2", "10.2.1.0/24")
    b.pcx("pcx-12", "vpc-1", "vpc-2")
    b.main_routes("vpc-1", route("10.2.0.0/16", "vpc-peering-connection", "pcx-12"))
    back = (route("10.1.0.0/16", "vpc-peering-connection", "pcx-12"),) if route_back else ()
    b.main_routes("vpc-2", route("0.0.0.0/0", "internet-gateway", "igw-2"), *back)
    b.sg("sg-1", None, ingress(), egress())
    b.eni("eni-a", "subnet-1", "10.1.1.10", "sg-1")
    b.eni("eni-b", "subnet-2", "10.2.1.10", "sg-1", public="3.0.0.20")
    return b.build()


def test_a_peering_route_on_one_side_only_blocks_the_connection():
    net = peered(route_back=False)
    sent = tcp("10.1.1.10", "10.2.1.10", 443)
    trace = walk_connection(net, sent, from_eni("eni-a"))
    assert trace.forward.success and not trace.success
    assert trace.reply is not None
    assert trace.reply.disposition.code == "IGW_DESTINATION_RFC1918"
    for header in (Header(packet=sent), Header(protocol=6)):
        out = engine(net, from_eni("eni-a"), "eni-b", header)
        assert out.verdict == "unreachable"
        assert ("internet", "IGW_DESTINATION_RFC1918", "return") in {
            (b.component_id, b.code, b.direction) for b in out.blockers
        }
    assert not the_set(net, from_eni("eni-a"), "eni-b", Header(protocol=6)).boxes
    both = peered(route_back=True)
    assert walk_connection(both, sent, from_eni("eni-a")).success
    assert engine(both, from_eni("eni-a"), "eni-b", Header(packet=sent)).verdict == "reachable"


def transit(route_back: bool) -> Network:
    """vpc-1 routes 10.2.0.0/16 to tgw-1, which routes it to vpc-2's attachment; vpc-2's
    subnets route 10.1.0.0/16 back to the TGW only if `route_back` (else the reply leaves
    through its NAT gateway)."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.vpc("vpc-2", "10.2.0.0/16")
    b.igw("igw-2", "vpc-2")
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.subnet("subnet-2", "vpc-2", "10.2.1.0/24", rtb="rtb-2")
    b.subnet("subnet-2-pub", "vpc-2", "10.2.9.0/24", rtb="rtb-2-pub")
    b.nat("nat-2", "subnet-2-pub", "10.2.9.100", "3.0.0.102")
    b.route_table("rtb-2-pub", "vpc-2", route("0.0.0.0/0", "internet-gateway", "igw-2"))
    b.tgw("tgw-1")
    b.tgw_vpc_attachment("tgw-attach-1", "tgw-1", "vpc-1", "subnet-1")
    b.tgw_vpc_attachment("tgw-attach-2", "tgw-1", "vpc-2", "subnet-2")
    b.tgw_route_table(
        "tgw-rtb-1",
        "tgw-1",
        tgw_route("10.1.0.0/16", "tgw-attach-1"),
        tgw_route("10.2.0.0/16", "tgw-attach-2"),
        associations=("tgw-attach-1", "tgw-attach-2"),
    )
    b.main_routes("vpc-1", route("10.2.0.0/16", "transit-gateway", "tgw-1"))
    back = (route("10.1.0.0/16", "transit-gateway", "tgw-1"),) if route_back else ()
    b.route_table("rtb-2", "vpc-2", route("0.0.0.0/0", "nat-gateway", "nat-2"), *back)
    b.sg("sg-1", None, ingress(), egress())
    b.eni("eni-a", "subnet-1", "10.1.1.10", "sg-1")
    b.eni("eni-b", "subnet-2", "10.2.1.10", "sg-1")
    return b.build()


def test_a_tgw_route_on_one_side_only_blocks_the_connection():
    net = transit(route_back=False)
    sent = tcp("10.1.1.10", "10.2.1.10", 443)
    trace = walk_connection(net, sent, from_eni("eni-a"), nat_ports={"nat-2": 1024})
    assert trace.forward.success and not trace.success
    for header in (Header(packet=sent), Header(protocol=6)):
        out = engine(net, from_eni("eni-a"), "eni-b", header, nat_ports={"nat-2": 1024})
        assert out.verdict == "unreachable", out.blockers
        assert any(b.direction == "return" for b in out.blockers)
    assert not the_set(
        net, from_eni("eni-a"), "eni-b", Header(protocol=6), nat_ports={"nat-2": 1024}
    ).boxes
    both = transit(route_back=True)
    assert walk_connection(both, sent, from_eni("eni-a")).success
    assert engine(both, from_eni("eni-a"), "eni-b", Header(packet=sent)).verdict == "reachable"


def test_reply_through_the_nat_subnet_twice_is_no_routing_loop():
    """eni-app (behind nat-1) connects to the public IP of eni-pub, which sits in nat-1's own
    subnet: the reply leaves that subnet through the IGW to the NAT's Elastic IP, is
    reverse-translated by nat-1 and routed from the same subnet again. The packet changed on
    the way, so this is no loop (the engine once answered unknown, "routing loop")."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.igw("igw-1", "vpc-1")
    b.subnet("subnet-pub", "vpc-1", "10.1.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-app", "vpc-1", "10.1.2.0/24", rtb="rtb-app")
    b.route_table("rtb-pub", "vpc-1", route("0.0.0.0/0", "internet-gateway", "igw-1"))
    b.nat(NAT, "subnet-pub", "10.1.1.100", "3.0.0.100")
    b.route_table("rtb-app", "vpc-1", route("0.0.0.0/0", "nat-gateway", NAT))
    b.sg("sg-1", "vpc-1", ingress(), egress())
    b.eni("eni-app", "subnet-app", "10.1.2.10", "sg-1")
    b.eni("eni-pub", "subnet-pub", "10.1.1.10", "sg-1", public="3.0.0.11")
    net = b.build()
    sent = tcp("10.1.2.10", "3.0.0.11", 443)
    pinned = {NAT: 1024}
    assert walk_connection(net, sent, from_eni("eni-app"), nat_ports=pinned).success
    out = engine(net, from_eni("eni-app"), "eni-pub", Header(packet=sent), nat_ports=pinned)
    assert out.verdict == "reachable", (out.reason, out.blockers)
