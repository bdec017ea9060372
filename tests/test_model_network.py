"""Network lookups stay true to the resources, also on copies."""

from ipaddress import ip_network

from netcheck.model import Network, Vpc


def _vpc(vpc_id: str) -> Vpc:
    return Vpc(id=vpc_id, cidr_blocks=(ip_network("10.0.0.0/16"),))


def test_model_copy_rebuilds_lookups():
    net = Network(vpcs=(_vpc("vpc-1"),))
    assert set(net.by_id) == {"vpc-1"}  # fills the cache
    copied = net.model_copy(update={"vpcs": (_vpc("vpc-2"),)})
    assert set(copied.by_id) == {"vpc-2"}
    assert set(net.by_id) == {"vpc-1"}


def test_round_trip_through_json_is_equal():
    net = Network(vpcs=(_vpc("vpc-1"),))
    assert Network.model_validate_json(net.model_dump_json()) == net


def test_walker_keeps_the_same_non_public_ranges_as_the_model():
    # The walker has its own copy on purpose (independent oracle); both state forwarding.md.
    from netcheck.model.base import NON_PUBLIC_RANGES
    from netcheck.walk.match import NON_PUBLIC_RANGES as WALKER_RANGES

    assert tuple(WALKER_RANGES) == NON_PUBLIC_RANGES
