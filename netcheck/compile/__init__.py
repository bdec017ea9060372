"""The compile stage: model + query -> Z3 constraints with labels, one set per candidate path.

Modules: `packet` (the symbolic packet; the only place that creates Z3 variables), `steps`
(labelled steps and paths), `filters` (NACL, SG), `routing` (longest-prefix match), `index`
(`NetworkIndex`: what is derived once per network, and the per-resource constraint caches),
`hops/` (one module per hop kind and the `ROUTE_TARGETS` table), `explore` (the `Explorer`
facade over the hops), `topology` (the location graph), `query` (endpoints and header
constraints).
"""
