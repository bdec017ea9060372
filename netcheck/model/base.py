"""Common building blocks of the vendor-independent model.

Input: nothing (this is the bottom of the pipeline).
Output: `Provenance`, `Resource` (the frozen base of every model object), `PortRange`,
address type aliases and protocol numbers used throughout netcheck.

Every model object is a frozen pydantic model. Provenance records where the object came
from (file, JSON path, resource id) so that every message and every explanation can point
back at the input a user wrote.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field

from netcheck.model.addresses import IPAddress, IPPrefix

__all__ = [
    "ALL_PORTS",
    "ALL_PROTOCOLS",
    "EPHEMERAL_PORTS",
    "ICMP",
    "ICMPV6",
    "NON_PUBLIC_RANGES",
    "PROTOCOL_NAMES",
    "TCP",
    "UDP",
    "Frozen",
    "IPAddress",
    "IPPrefix",
    "Port",
    "PortRange",
    "Provenance",
    "Resource",
    "protocol_name",
]

# IANA protocol numbers. `ALL_PROTOCOLS` (-1) is how AWS writes "every protocol".
ALL_PROTOCOLS: Final = -1
ICMP: Final = 1
TCP: Final = 6
UDP: Final = 17
ICMPV6: Final = 58

PROTOCOL_NAMES: Final[dict[int, str]] = {
    ALL_PROTOCOLS: "all",
    ICMP: "icmp",
    TCP: "tcp",
    UDP: "udp",
    ICMPV6: "icmpv6",
}

Port = Annotated[int, Field(ge=0, le=65535)]

# Ranges the internet never carries (forwarding.md "On the internet"): RFC 1918, RFC 6598,
# "this network", loopback, link-local, multicast and reserved. The concrete walker keeps its
# own copy on purpose (it is the independent oracle); a test keeps the two equal. IPv4 only:
# IPv6's special ranges come with IPv6 forwarding (issue #10).
NON_PUBLIC_RANGES: Final = tuple(
    IPv4Network(c)
    for c in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)


def protocol_name(number: int) -> str:
    """Readable name of an IP protocol number (`6` -> `tcp`, `47` -> `47`)."""
    return PROTOCOL_NAMES.get(number, str(number))


class Frozen(BaseModel):
    """Base for every model value: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Provenance(Frozen):
    """Where a model object came from: the file, the JSON path inside it, the resource id."""

    file: str
    path: str = "$"
    resource_id: str | None = None

    def __str__(self) -> str:
        rid = f" ({self.resource_id})" if self.resource_id else ""
        return f"{self.file}:{self.path}{rid}"


class Resource(Frozen):
    """A network resource with an AWS id, tags, region/account and provenance."""

    id: str
    tags: dict[str, str] = Field(default_factory=dict)
    region: str | None = None
    account: str | None = None
    provenance: Provenance | None = None

    @property
    def name(self) -> str | None:
        """The value of the `Name` tag, if any."""
        return self.tags.get("Name")


class PortRange(Frozen):
    """An inclusive port range `[start, end]`."""

    start: Port
    end: Port

    def __contains__(self, port: int) -> bool:
        return self.start <= port <= self.end

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


ALL_PORTS: Final = PortRange(start=0, end=65535)
EPHEMERAL_PORTS: Final = PortRange(start=1024, end=65535)
