"""IP addresses and prefixes of either family, and the family they carry.

Input: text or integers from a loader, a query or the solver. Output: `Family` (V4 / V6 with
bit width and IP version), the `IPAddress` / `IPPrefix` types (the standard library's
`ipaddress` values of both families), parsing, integer ranges, and pydantic field types that
pin a field to the family AWS defines it in (`V4Address` for `PrivateIpAddress`, …).

Every signature above the loader takes `IPAddress` / `IPPrefix`, never one family's class:
code that only handles one family says so where it chooses (`family_of(x) is Family.V4`).
The types are aliases of the standard classes, not wrappers: the hot paths convert addresses
to integers millions of times (`int(address)`), and a wrapper would add a call to each.
Example::

    >>> family_of(parse_prefix("10.0.0.0/16")), prefix_range(parse_prefix("10.0.0.0/30"))
    (<Family.V4: 4>, (167772160, 167772163))
    >>> Family.V6.bits, Family.V4.address(167772161)
    (128, IPv4Address('10.0.0.1'))
"""

from __future__ import annotations

from enum import Enum
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Annotated, Any

from pydantic import AfterValidator

IPAddress = IPv4Address | IPv6Address
IPPrefix = IPv4Network | IPv6Network

__all__ = [
    "Family",
    "IPAddress",
    "IPPrefix",
    "V4Address",
    "V4Prefix",
    "V6Address",
    "V6Prefix",
    "family_of",
    "parse_address",
    "parse_prefix",
    "prefix_range",
    "prefix_sort_key",
]


class Family(Enum):
    """An address family: its IP version (the value), bit width, and integer range."""

    V4 = 4
    V6 = 6

    @property
    def version(self) -> int:
        return self.value

    @property
    def bits(self) -> int:
        return 32 if self is Family.V4 else 128

    @property
    def max_value(self) -> int:
        """The largest address as an integer (`2**bits - 1`)."""
        return (1 << self.bits) - 1

    def address(self, value: int) -> IPAddress:
        """The address of this family whose integer value is `value`."""
        return IPv4Address(value) if self is Family.V4 else IPv6Address(value)

    def prefix(self, address: int, length: int) -> IPPrefix:
        """The prefix `address/length` of this family (host bits must be zero)."""
        if self is Family.V4:
            return IPv4Network((address, length))
        return IPv6Network((address, length))

    @property
    def everything(self) -> IPPrefix:
        """`0.0.0.0/0` or `::/0`."""
        return self.prefix(0, 0)

    @classmethod
    def of_bits(cls, bits: int) -> Family:
        """The family whose addresses are `bits` wide (32 or 128)."""
        return _BY_BITS[bits]


_BY_BITS = {32: Family.V4, 128: Family.V6}
_BY_VERSION = {4: Family.V4, 6: Family.V6}


def family_of(x: IPAddress | IPPrefix) -> Family:
    """The family of an address or prefix."""
    return _BY_VERSION[x.version]


def parse_address(text: str, family: Family | None = None) -> IPAddress:
    """An address from text (`10.0.0.1`, `2001:db8::1`). Raises `ValueError` when it is not
    one, or not of `family` when one is given."""
    address = ip_address(text.strip())
    _check(address, text, family)
    return address


def parse_prefix(text: str, family: Family | None = None, *, strict: bool = False) -> IPPrefix:
    """A prefix from text (`10.0.0.0/16`; a bare address is its /32 or /128). Host bits are
    cleared unless `strict`. Raises `ValueError` when it is not a prefix, or not of `family`
    when one is given."""
    prefix = ip_network(text.strip(), strict=strict)
    _check(prefix, text, family)
    return prefix


def _check(x: IPAddress | IPPrefix, text: str, family: Family | None) -> None:
    if family is not None and family_of(x) is not family:
        raise ValueError(f"{text!r} is not an IPv{family.version} value")


def prefix_range(prefix: IPPrefix) -> tuple[int, int]:
    """The first and last address of `prefix` as integers (inclusive)."""
    lo = int(prefix.network_address)
    return lo, lo + prefix.num_addresses - 1


def prefix_sort_key(prefix: IPPrefix) -> tuple[int, int, int]:
    """Sorts prefixes of both families: IPv4 first, then by address and length (the order
    `ipaddress` gives within one family, which cannot compare across families)."""
    return (prefix.version, int(prefix.network_address), prefix.prefixlen)


# -- model field types --------------------------------------------------------------------
#
# AWS defines many fields in one family (`PrivateIpAddress` and `CidrBlock` are IPv4,
# `Ipv6Address` and `Ipv6CidrBlock` IPv6). Such a field is declared with the general type,
# so that code reading it handles whatever family it holds, and validated to hold only the
# family AWS gives it.


def _in_family(family: Family) -> Any:
    def check(x: Any) -> Any:
        if family_of(x) is not family:
            raise ValueError(f"{x} is not an IPv{family.version} value")
        return x

    return AfterValidator(check)


V4Address = Annotated[IPAddress, _in_family(Family.V4)]
V6Address = Annotated[IPAddress, _in_family(Family.V6)]
V4Prefix = Annotated[IPPrefix, _in_family(Family.V4)]
V6Prefix = Annotated[IPPrefix, _in_family(Family.V6)]
