"""The concrete packet walker: the plain-Python oracle the Z3 engine is checked against.

Input: a `Network`, a concrete `Packet` and its `Origin`. Output: a `Trace` (hops and
disposition) or, for a connection, a `ConnectionTrace` (forward and reply).
Imports only `netcheck.model` and `netcheck.errors`; follows docs/semantics/forwarding.md.
"""

from netcheck.walk.connection import appliance_choices, walk_connection
from netcheck.walk.hops.context import MAX_HOPS
from netcheck.walk.trace import ConnectionTrace, Trace
from netcheck.walk.walker import walk

__all__ = ["MAX_HOPS", "ConnectionTrace", "Trace", "appliance_choices", "walk", "walk_connection"]
