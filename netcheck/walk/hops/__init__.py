"""The walker's hop functions: one module per kind of hop, each a function `hop(w, ...)` that
records its `Hop`s on the `Walk` and either ends it (raises `Stop`) or calls the next hop.

Modules: `context` (the walk's state and bookkeeping), `interface`, `security_group`,
`network_acl`, `subnet` (routing from a subnet, local delivery), `internet_gateway`,
`internet`, `gateway_route_table`, `nat_gateway`, `peering`, `transit_gateway`,
`vpn_gateway`, `onprem`, `gateway_endpoint`, and `table` (`ROUTE_TARGETS`: route target kind
-> (resolve, forward)). Plain Python, nothing shared with `netcheck/compile`.
"""

# The hop modules call each other through module attributes at call time; importing the
# table first loads every hop module completely before the table reads their functions.
from netcheck.walk.hops import table as table
