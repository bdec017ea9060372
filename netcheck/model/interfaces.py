"""Network interfaces and the resources that own them.

Input: values from a loader. Output: `NetworkInterface`, `PrivateAddress`,
`InterfaceOwnerKind`, `Instance`, `DbInstance`.

Interfaces are the endpoints of every path: instances, NAT gateways, interface endpoints,
RDS, load balancers, Lambda and TGW attachments all appear as interfaces, which carry the
addresses and the security groups.
"""

from __future__ import annotations

from enum import StrEnum

from netcheck.model.addresses import IPAddress, V4Address, V4Prefix, V6Address, V6Prefix
from netcheck.model.base import Frozen, Port, Resource


class InterfaceOwnerKind(StrEnum):
    """What an interface belongs to (derived from InterfaceType, Attachment, RequesterId)."""

    INSTANCE = "instance"
    NAT_GATEWAY = "nat-gateway"
    VPC_ENDPOINT = "vpc-endpoint"
    GATEWAY_LOAD_BALANCER_ENDPOINT = "gateway-load-balancer-endpoint"
    RDS = "rds"
    LOAD_BALANCER = "load-balancer"
    LAMBDA = "lambda"
    TRANSIT_GATEWAY_ATTACHMENT = "transit-gateway-attachment"
    EFS = "efs"
    OTHER = "other"
    UNATTACHED = "unattached"


class PrivateAddress(Frozen):
    """A private IPv4 address of an interface and the public IPv4 address mapped to it."""

    address: V4Address
    primary: bool = False
    public_ip: V4Address | None = None
    # The Elastic IP allocation, when the public address is an EIP.
    allocation_id: str | None = None


class NetworkInterface(Resource):
    """An elastic network interface (ENI)."""

    subnet_id: str
    vpc_id: str
    availability_zone: str | None = None
    private_addresses: tuple[PrivateAddress, ...]
    ipv6_addresses: tuple[V6Address, ...] = ()
    # Prefixes delegated to the interface (prefix delegation, e.g. EKS pods): every address
    # in them is the interface's own, as a destination and as a source.
    ipv4_prefixes: tuple[V4Prefix, ...] = ()
    ipv6_prefixes: tuple[V6Prefix, ...] = ()
    group_ids: tuple[str, ...] = ()
    source_dest_check: bool = True
    interface_type: str = "interface"
    owner_kind: InterfaceOwnerKind = InterfaceOwnerKind.OTHER
    # The id of the owning resource when known (instance id, nat id, vpce id, tgw-attach id).
    owner_id: str | None = None
    description: str = ""
    status: str = "in-use"

    @property
    def primary_address(self) -> IPAddress:
        for pa in self.private_addresses:
            if pa.primary:
                return pa.address
        return self.private_addresses[0].address

    @property
    def addresses(self) -> tuple[IPAddress, ...]:
        return tuple(pa.address for pa in self.private_addresses)

    def owns(self, address: IPAddress) -> bool:
        """`address` is one of this interface's private addresses or in a delegated prefix."""
        return address in self.addresses or any(address in p for p in self.ipv4_prefixes)

    @property
    def attached(self) -> bool:
        """Something answers behind this interface (it is attached to its owner)."""
        return self.owner_kind is not InterfaceOwnerKind.UNATTACHED

    @property
    def public_ips(self) -> tuple[IPAddress, ...]:
        return tuple(pa.public_ip for pa in self.private_addresses if pa.public_ip is not None)


class Instance(Resource):
    """An EC2 instance (only `running` ones are kept by the loader)."""

    state: str = "running"
    subnet_id: str | None = None
    vpc_id: str | None = None
    interface_ids: tuple[str, ...] = ()
    source_dest_check: bool = True


class DbInstance(Resource):
    """An RDS DB instance; `id` is the DBInstanceIdentifier."""

    engine: str = ""
    endpoint_address: str | None = None
    port: Port | None = None
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()
    publicly_accessible: bool = False
    status: str = "available"
    # Interfaces of this DB found in the snapshot (matched by the loader), possibly empty.
    interface_ids: tuple[str, ...] = ()


class IdleAddress(Frozen):
    """A public IPv4 address of the snapshot that nothing answers behind: an Elastic IP (or
    public IP) kept by the interface of an instance that is not running. The internet
    delivers a packet for it to nobody (forwarding.md "On the internet")."""

    public_ip: V4Address
    private_ip: V4Address | None = None
    # The interface holding the address and the resource that is not running (instance id).
    interface_id: str | None = None
    owner_id: str | None = None
    # The owner's state as the snapshot reports it, e.g. "stopped".
    state: str = "stopped"
