"""The compile stage: model + query -> Z3 constraints with labels, one set per candidate path.

Modules: `packet` (the symbolic packet; the only place that creates Z3 variables), `steps`
(labelled steps and paths), `filters` (NACL, SG), `routing` (longest-prefix match),
`base` / `targets` / `explore` (the symbolic forwarding walk, dispatch table by route target
kind), `query` (endpoints and header constraints).
"""
