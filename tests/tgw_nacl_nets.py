"""A tiny network for the TGW attachment-subnet NACL rules of docs/semantics/forwarding.md
(AWS "Network ACLs for transit gateways"), shared by the walker and engine tests (test data
only; the implementations share nothing).

vpc-1 (10.1/16): subnet-1 holds eni-1 (10.1.1.10) and is also vpc-1's attachment subnet.
vpc-2 (10.2/16): subnet-att-2 is the attachment subnet and holds eni-att (10.2.255.10);
subnet-app-2 holds eni-app (10.2.1.10). Both VPCs send 10.0.0.0/8 to tgw-1, whose one route
table has both VPCs propagated. `acl_1` / `acl_att` replace the allow-all NACLs of subnet-1 /
subnet-att-2."""

from __future__ import annotations

from strategies import Builder, egress, ingress, route

from netcheck.model import NaclEntry, Network

TGW = "tgw-1"
ENI_1, IP_1 = "eni-1", "10.1.1.10"
ENI_ATT, IP_ATT = "eni-att", "10.2.255.10"
ENI_APP, IP_APP = "eni-app", "10.2.1.10"
ACL_1, ACL_ATT = "acl-1", "acl-att"


def tgw_nacl_net(
    acl_1: tuple[NaclEntry, ...] | None = None, acl_att: tuple[NaclEntry, ...] | None = None
) -> Network:
    b = Builder()
    b.tgw(TGW)
    b.sg("sg-all", None, ingress(), egress())
    b.vpc("vpc-1", "10.1.0.0/16")
    b.main_routes("vpc-1", route("10.0.0.0/8", "transit-gateway", TGW))
    if acl_1 is not None:
        b.acl(ACL_1, "vpc-1", *acl_1)
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24", acl=ACL_1 if acl_1 is not None else None)
    b.eni(ENI_1, "subnet-1", IP_1, "sg-all")
    b.vpc("vpc-2", "10.2.0.0/16")
    b.main_routes("vpc-2", route("10.0.0.0/8", "transit-gateway", TGW))
    if acl_att is not None:
        b.acl(ACL_ATT, "vpc-2", *acl_att)
    b.subnet("subnet-att-2", "vpc-2", "10.2.255.0/28", acl=ACL_ATT if acl_att is not None else None)
    b.subnet("subnet-app-2", "vpc-2", "10.2.1.0/24")
    b.eni(ENI_ATT, "subnet-att-2", IP_ATT, "sg-all")
    b.eni(ENI_APP, "subnet-app-2", IP_APP, "sg-all")
    b.tgw_vpc_attachment("tgw-attach-1", TGW, "vpc-1", "subnet-1")
    b.tgw_vpc_attachment("tgw-attach-2", TGW, "vpc-2", "subnet-att-2")
    b.tgw_route_table(
        "tgw-rtb",
        TGW,
        associations=("tgw-attach-1", "tgw-attach-2"),
        propagations=("tgw-attach-1", "tgw-attach-2"),
    )
    return b.build()
