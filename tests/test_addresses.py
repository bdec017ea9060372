"""Address families (netcheck.model.addresses): widths, ranges, parsing, family-pinned model
fields, and the per-family symbolic packet (netcheck.compile.packet)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

import pytest
import z3
from pydantic import BaseModel, ValidationError

from netcheck.compile.packet import fresh, ip_in, ip_in_space, ip_is, ip_is_any, widths
from netcheck.model.addresses import (
    Family,
    V4Address,
    V4Prefix,
    V6Prefix,
    family_of,
    parse_address,
    parse_prefix,
    prefix_range,
    prefix_sort_key,
)


def test_family_widths_and_versions():
    assert (Family.V4.bits, Family.V4.version) == (32, 4)
    assert (Family.V6.bits, Family.V6.version) == (128, 6)
    assert Family.V4.max_value == 2**32 - 1
    assert Family.V6.max_value == 2**128 - 1
    assert Family.of_bits(32) is Family.V4 and Family.of_bits(128) is Family.V6


@pytest.mark.parametrize(
    ("text", "family"),
    [("10.0.0.1", Family.V4), ("2001:db8::1", Family.V6), (" 192.0.2.7 ", Family.V4)],
)
def test_parse_address_both_families(text, family):
    a = parse_address(text)
    assert family_of(a) is family
    assert parse_address(text, family) == a
    assert family.address(int(a)) == a


@pytest.mark.parametrize(
    ("text", "family", "lo", "hi"),
    [
        ("10.0.0.0/30", Family.V4, 0x0A000000, 0x0A000003),
        ("10.0.0.7", Family.V4, 0x0A000007, 0x0A000007),
        ("0.0.0.0/0", Family.V4, 0, 2**32 - 1),
        ("2001:db8::/126", Family.V6, 0x20010DB8 << 96, (0x20010DB8 << 96) + 3),
        ("::/0", Family.V6, 0, 2**128 - 1),
    ],
)
def test_parse_prefix_and_range(text, family, lo, hi):
    p = parse_prefix(text)
    assert family_of(p) is family
    assert prefix_range(p) == (lo, hi)


def test_parse_prefix_clears_host_bits_unless_strict():
    assert parse_prefix("10.0.0.5/24") == IPv4Network("10.0.0.0/24")
    with pytest.raises(ValueError):
        parse_prefix("10.0.0.5/24", strict=True)


@pytest.mark.parametrize("text", ["", "10.0.0", "10.0.0.256", "fe80::g", "10.0.0.0/33"])
def test_parsing_errors(text):
    with pytest.raises(ValueError):
        parse_prefix(text)
    if "/" not in text:
        with pytest.raises(ValueError):
            parse_address(text)


def test_parsing_the_wrong_family_is_an_error():
    with pytest.raises(ValueError, match="IPv4"):
        parse_address("2001:db8::1", Family.V4)
    with pytest.raises(ValueError, match="IPv6"):
        parse_prefix("10.0.0.0/8", Family.V6)


def test_everything_and_prefix_of_each_family():
    assert Family.V4.everything == IPv4Network("0.0.0.0/0")
    assert Family.V6.everything == IPv6Network("::/0")
    assert Family.V6.prefix(0x20010DB8 << 96, 32) == IPv6Network("2001:db8::/32")


def test_prefixes_of_both_families_sort_together():
    nets = [parse_prefix(t) for t in ("2001:db8::/32", "10.0.0.0/16", "10.0.0.0/8", "::/0")]
    got = [str(n) for n in sorted(nets, key=prefix_sort_key)]
    assert got == ["10.0.0.0/8", "10.0.0.0/16", "::/0", "2001:db8::/32"]


def test_family_pinned_model_fields():
    class M(BaseModel):
        address: V4Address
        cidr: V4Prefix
        v6: tuple[V6Prefix, ...] = ()

    m = M(address="10.0.0.1", cidr="10.0.0.0/24", v6=("2001:db8::/56",))
    assert m.address == IPv4Address("10.0.0.1") and isinstance(m.cidr, IPv4Network)
    assert m.model_dump(mode="json") == {
        "address": "10.0.0.1",
        "cidr": "10.0.0.0/24",
        "v6": ["2001:db8::/56"],
    }
    with pytest.raises(ValidationError):
        M(address="2001:db8::1", cidr="10.0.0.0/24")
    with pytest.raises(ValidationError):
        M(address="10.0.0.1", cidr="10.0.0.0/24", v6=("10.0.0.0/8",))


# -- the symbolic packet per family ----------------------------------------------------------


def test_packet_widths_follow_the_family():
    assert widths(Family.V4)["src_ip"] == 32 and widths(Family.V6)["dst_ip"] == 128
    assert widths(Family.V6)["dst_port"] == 16
    p4, p6 = fresh("t4"), fresh("t6", Family.V6)
    assert p4.family is Family.V4 and p4.src_ip.size() == 32 and p4.protocol.size() == 8
    assert p6.family is Family.V6 and p6.dst_ip.size() == 128 and p6.src_port.size() == 16


def _valid(f: z3.BoolRef) -> bool:
    s = z3.Solver()
    s.add(z3.Not(f))
    return s.check() == z3.unsat


def test_prefix_tests_per_family():
    p4, p6 = fresh("m4"), fresh("m6", Family.V6)
    v6net = IPv6Network("2001:db8::/32")
    inside = ip_in(p6.dst_ip, v6net, Family.V6)
    assert _valid(z3.Implies(p6.dst_ip == (0x20010DB8 << 96) + 5, inside))
    assert _valid(z3.Implies(p6.dst_ip == 5, z3.Not(inside)))
    # A prefix or address of the other family never matches.
    assert z3.is_false(ip_in(p4.dst_ip, v6net))
    assert z3.is_false(ip_in(p6.dst_ip, IPv4Network("0.0.0.0/0"), Family.V6))
    assert z3.is_false(ip_is(p4.src_ip, IPv6Address("::1")))
    assert z3.is_false(ip_is_any(p4.src_ip, [IPv6Address("::1")]))
    assert z3.is_false(ip_in_space(p4.dst_ip, v6net, ((0, 10),)))
    assert z3.is_true(ip_in_space(p4.dst_ip, IPv4Network("0.0.0.0/28"), ((0, 10),)))
