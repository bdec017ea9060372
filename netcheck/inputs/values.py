"""Typed readers for raw JSON values: each reports a problem into a `Collector` and returns
`None` (or an empty value) instead of raising, so a loader collects every problem in one pass.

Input: decoded JSON (dicts, lists, strings) and a `Loc`. Output: Python values and model
building blocks (`IPv4Network`, `PortRange`, protocol numbers, tag dicts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.model import ALL_PROTOCOLS, ICMP, ICMPV6, TCP, UDP, PortRange

Json = dict[str, Any]
M = TypeVar("M", bound=BaseModel)

# The one rule for value types (docs/formats.md): a field is read only with the JSON type
# AWS prints for it — `"RuleNumber": 100`, `"Protocol": "6"`, `"Egress": false` — and never
# converted from another type, so a hand-edited or mis-generated file fails loudly instead of
# being half-understood.
TYPE_RULE = "netcheck reads each field with the JSON type AWS prints for it, never converted"

# Integers wider than this are no number AWS prints (rule numbers, ports, ICMP types, ASNs
# fit easily); rejecting them also keeps messages from printing a 5,000-digit value.
_MAX_INT_BITS = 64


_TYPE_NAMES = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    list: "a list",
    dict: "an object",
}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}.get(
        type(value), "a list" if isinstance(value, list) else "an object"
    )


def _typed(obj: Json, key: str, loc: Loc, c: Collector, typ: type) -> Any:
    value = obj.get(key)
    if value is None:
        return None
    ok = isinstance(value, typ) and not (typ is int and isinstance(value, bool))
    if not ok:
        c.error(f"{key} must be {_TYPE_NAMES[typ]}, got {_kind(value)}; {TYPE_RULE}", loc.key(key))
        return None
    return value


def opt_str(obj: Json, key: str, loc: Loc, c: Collector) -> str | None:
    return _typed(obj, key, loc, c, str)


def req_str(obj: Json, key: str, loc: Loc, c: Collector) -> str | None:
    """A required string field; missing or empty is an error."""
    if obj.get(key) in (None, ""):
        c.error(f"missing required field {key}", loc)
        return None
    return opt_str(obj, key, loc, c)


def opt_bool(obj: Json, key: str, loc: Loc, c: Collector, default: bool = False) -> bool:
    value = _typed(obj, key, loc, c, bool)
    return default if value is None else bool(value)


def opt_int(obj: Json, key: str, loc: Loc, c: Collector) -> int | None:
    """An integer field. AWS prints these as JSON numbers: a string ("22") is an error, as is
    a boolean or a fraction (`TYPE_RULE`)."""
    value = obj.get(key)
    if isinstance(value, str):
        c.error(
            f"{key} must be an integer, got a string ({_short(value)}); {TYPE_RULE}", loc.key(key)
        )
        return None
    number = _typed(obj, key, loc, c, int)
    if number is not None and number.bit_length() > _MAX_INT_BITS:
        c.error(
            f"{key} is too large ({number.bit_length()} bits): not a value AWS prints", loc.key(key)
        )
        return None
    return number


def _short(text: str, limit: int = 40) -> str:
    """`repr` of a string, cut to `limit` characters for messages."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text)} characters)"


def opt_dict(obj: Json, key: str, loc: Loc, c: Collector) -> Json | None:
    return _typed(obj, key, loc, c, dict)


def nested_str(obj: Json, key: str, field: str, loc: Loc, c: Collector) -> str | None:
    """`obj[key][field]` as a string (e.g. `CidrBlockState.State`), None when absent."""
    inner = opt_dict(obj, key, loc, c)
    return None if inner is None else opt_str(inner, field, loc.key(key), c)


def items(obj: Json, key: str, loc: Loc, c: Collector) -> Iterator[tuple[Any, Loc]]:
    """The elements of list field `key` with their locations (nothing when absent)."""
    value = obj.get(key)
    if not value:
        if value is not None and not isinstance(value, list):
            _typed(obj, key, loc, c, list)
        return
    if not isinstance(value, list):
        _typed(obj, key, loc, c, list)
        return
    base = loc.key(key)
    for i, item in enumerate(value):
        yield item, base.index(i)


def objects(obj: Json, key: str, loc: Loc, c: Collector) -> Iterator[tuple[Json, Loc]]:
    """The object elements of list field `key`; non-objects are reported and skipped."""
    for item, where in items(obj, key, loc, c):
        if isinstance(item, dict):
            yield item, where
        else:
            c.error(f"expected an object, got {_kind(item)}", where)


def strings(obj: Json, key: str, loc: Loc, c: Collector) -> list[str]:
    out = []
    for item, where in items(obj, key, loc, c):
        if isinstance(item, str):
            out.append(item)
        else:
            c.error(f"expected a string, got {_kind(item)}", where)
    return out


def nested_strings(obj: Json, key: str, field: str, loc: Loc, c: Collector) -> list[str]:
    """`[{field: "x"}, …]` -> `["x", …]` (e.g. `Groups[].GroupId`)."""
    out = []
    for item, where in objects(obj, key, loc, c):
        value = opt_str(item, field, where, c)
        if value:
            out.append(value)
    return out


def tags(obj: Json, loc: Loc, c: Collector, key: str = "Tags") -> dict[str, str]:
    """AWS `[{Key, Value}]` tags (`TagSet` on interfaces, `TagList` on RDS) as a dict."""
    out: dict[str, str] = {}
    for item, where in objects(obj, key, loc, c):
        k, v = item.get("Key"), item.get("Value", "")
        if isinstance(k, str) and isinstance(v, str):
            out[k] = v
        else:
            c.warning("tag ignored: Key and Value must be strings", where)
    return out


def check_fields(obj: Json, known: Iterable[str], loc: Loc, c: Collector) -> None:
    """Warn once per field the loader neither reads nor knowingly ignores."""
    known = frozenset(known)
    for key in sorted(obj):
        if key not in known:
            c.warning(f"unknown field {key} ignored", loc.key(key))


def cidr4(text: object, loc: Loc, c: Collector) -> IPv4Network | None:
    net = _network(text, loc, c, "IPv4")
    return net if isinstance(net, IPv4Network) else None


def cidr6(text: object, loc: Loc, c: Collector) -> IPv6Network | None:
    net = _network(text, loc, c, "IPv6")
    return net if isinstance(net, IPv6Network) else None


def cidr_any(text: object, loc: Loc, c: Collector) -> IPv4Network | IPv6Network | None:
    return _network(text, loc, c, None)


@lru_cache(maxsize=65536)
def _parse_network(text: str) -> IPv4Network | IPv6Network | str:
    """A network, or the reason it is invalid (cached: snapshots repeat the same CIDRs)."""
    try:
        return ip_network(text, strict=True)
    except ValueError as exc:
        return str(exc)


def _network(
    text: object, loc: Loc, c: Collector, family: str | None
) -> IPv4Network | IPv6Network | None:
    if not isinstance(text, str):
        c.error(f"invalid CIDR {text!r}: expected a string", loc)
        return None
    net = _parse_network(text)
    if isinstance(net, str):
        c.error(f"invalid CIDR {text!r}: {net}", loc)
        return None
    if (family == "IPv4" and net.version != 4) or (family == "IPv6" and net.version != 6):
        c.error(f"invalid CIDR {text!r}: expected an {family} block", loc)
        return None
    return net


def net_key(net: IPv4Network | IPv6Network) -> tuple[int, int, int]:
    """Sort key for networks of both families (IPv4 first, then by address and length)."""
    return (net.version, int(net.network_address), net.prefixlen)


def ip4(text: object, loc: Loc, c: Collector) -> IPv4Address | None:
    if not isinstance(text, str):
        c.error(f"invalid IPv4 address {text!r}", loc)
        return None
    try:
        addr = ip_address(text)
    except ValueError:
        c.error(f"invalid IPv4 address {text!r}", loc)
        return None
    if not isinstance(addr, IPv4Address):
        c.error(f"invalid IPv4 address {text!r}: an IPv6 address", loc)
        return None
    return addr


def ip6(text: object, loc: Loc, c: Collector) -> IPv6Address | None:
    try:
        addr = ip_address(text)  # type: ignore[arg-type]
    except ValueError:
        c.error(f"invalid IPv6 address {text!r}", loc)
        return None
    if not isinstance(addr, IPv6Address):
        c.error(f"invalid IPv6 address {text!r}", loc)
        return None
    return addr


_PROTOCOL_NAMES = {"-1": ALL_PROTOCOLS, "all": ALL_PROTOCOLS, "tcp": TCP, "udp": UDP}
_PROTOCOL_NAMES |= {"icmp": ICMP, "icmpv6": ICMPV6, "58": ICMPV6}


def protocol(text: object, loc: Loc, c: Collector) -> int | None:
    """`tcp`/`udp`/`icmp`/`icmpv6`/`-1`/`"6"` -> an IANA number (`-1` = all). AWS prints the
    protocol as a string (`"6"`, `"-1"`): a JSON number is an error (`TYPE_RULE`)."""
    if isinstance(text, int) and not isinstance(text, bool):
        c.error(
            f"invalid protocol {text if text.bit_length() <= _MAX_INT_BITS else '(too large)'}: "
            f'AWS prints the protocol as a string ("6", "-1"), not a number; {TYPE_RULE}',
            loc,
        )
        return None
    if not isinstance(text, str):
        c.error(f"invalid protocol {text!r}", loc)
        return None
    name = text.strip().lower()
    if name in _PROTOCOL_NAMES:
        return _PROTOCOL_NAMES[name]
    if name.isdigit() and len(name) <= 3 and 0 <= int(name) <= 255:
        return int(name)
    c.error(f"invalid protocol {_short(text)}: expected tcp, udp, icmp, icmpv6, -1 or 0-255", loc)
    return None


def port_range(start: int | None, end: int | None, loc: Loc, c: Collector) -> PortRange | None:
    """An inclusive TCP/UDP port range; missing or -1 bounds mean all ports (0-65535)."""
    if start in (None, -1) and end in (None, -1):
        return PortRange(start=0, end=65535)
    lo = 0 if start in (None, -1) else start
    hi = 65535 if end in (None, -1) else end
    assert lo is not None and hi is not None
    if not (0 <= lo <= 65535 and 0 <= hi <= 65535) or lo > hi:
        c.error(f"invalid port range {start}-{end}: ports are 0-65535, from <= to", loc)
        return None
    return PortRange(start=lo, end=hi)


def icmp_value(value: int | None, loc: Loc, c: Collector, what: str) -> int | None:
    """An ICMP type or code: 0-255, or -1 (any). Missing means any."""
    if value is None:
        return -1
    if not -1 <= value <= 255:
        c.error(f"invalid ICMP {what} {value}: expected -1 (any) or 0-255", loc)
        return None
    return value


def build(cls: type[M], loc: Loc, c: Collector, **fields: Any) -> M | None:
    """Construct a model object; a validation failure becomes an error, not an exception."""
    try:
        return cls(**fields)
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            c.error(f"invalid {cls.__name__} {where}: {err['msg']}", loc)
        return None
