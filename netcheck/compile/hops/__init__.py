"""The hop functions of the symbolic forwarding walk: one module per kind of hop, each a
function `hop(hc, <where>, p, steps, ps) -> list[Path]` that appends its labelled `Step`s,
ends the paths that stop there and continues the others through the next hop.

Input: a `HopContext` (network, index, caches, known spaces, targets, feasibility check,
start packet), the packet copy, the steps so far and the `PathState`. Output: `Path`s.

Modules: `context` (shared state, path ends), `interface` (leave / arrive), `security_group`,
`network_acl`, `subnet` (routing from a subnet, local delivery), `internet_gateway`,
`internet`, `gateway_route_table` (ingress through an IGW/VGW), `nat_gateway`, `peering`,
`transit_gateway`, `vpn_gateway`, `onprem`, `gateway_endpoint`, and `table` (the dispatch
table `ROUTE_TARGETS`: route target kind -> hop). `compile/explore.py` is the facade.
"""

# The hop modules call each other through module attributes at call time (the walk is a
# cycle: routing -> NAT gateway -> routing); importing the table first loads every hop
# module completely before the table reads their functions.
from netcheck.compile.hops import table as table
