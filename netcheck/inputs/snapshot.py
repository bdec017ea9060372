"""`load_snapshot`: the one entry point of the load stage.

Input: a path (folder of describe-* JSON, one multi-key JSON file, or netcheck JSON), strict
mode, user-declared on-prem ranges. Output: `LoadResult(network, diagnostics)`, or
`SnapshotError` carrying every diagnostic when the snapshot is unusable.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from ipaddress import ip_network
from pathlib import Path

from netcheck.errors import Diagnostic, Severity, SnapshotError
from netcheck.inputs.aws.build import build_network
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.files import read_files
from netcheck.inputs.native import is_native, read_native
from netcheck.inputs.values import net_key
from netcheck.model import IPNetwork, Network


@dataclass(frozen=True)
class LoadResult:
    """A usable network and the warnings and notes found while loading it."""

    network: Network
    diagnostics: tuple[Diagnostic, ...]


def _onprem(cidrs: Sequence[str], c: Collector) -> tuple[IPNetwork, ...]:
    out: list[IPNetwork] = []
    for text in cidrs:
        try:
            net = ip_network(text, strict=True)
        except ValueError as exc:
            c.error(f"invalid on-prem CIDR {text!r}: {exc}", Loc("--onprem", "$"))
            continue
        if net not in out:
            out.append(net)
    return tuple(sorted(out, key=net_key))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading.

    Loading allocates a few objects per JSON element while the whole decoded snapshot is
    alive, so the collector keeps re-scanning a growing heap (about half the load time of a
    10,000-interface estate). Nothing made here is garbage until the load ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_snapshot(
    path: str | Path, *, strict: bool = False, onprem_cidrs: Sequence[str] = ()
) -> LoadResult:
    """Load a snapshot into a `Network`.

    >>> result = load_snapshot("fixtures/three-tier")          # doctest: +SKIP
    >>> len(result.network.vpcs), [str(d) for d in result.diagnostics]  # doctest: +SKIP

    Raises `SnapshotError` (with all diagnostics) when any error was found, or, with
    `strict=True`, any warning.
    """
    with _gc_paused():
        return _load(Path(path), strict=strict, onprem_cidrs=onprem_cidrs)


def _load(root: Path, *, strict: bool, onprem_cidrs: Sequence[str]) -> LoadResult:
    c = Collector()
    onprem = _onprem(onprem_cidrs, c)
    files = read_files(root, c)
    network: Network | None = None
    native = [f for f in files if is_native(f.data)]
    if native and len(files) > 1:
        for f in native:
            c.error("netcheck JSON cannot be mixed with other files; load it on its own", f.loc)
    elif native:
        network = read_native(native[0], c)
        if network is not None and onprem:
            merged = tuple(sorted(set(network.onprem_cidrs) | set(onprem), key=net_key))
            fields = {name: getattr(network, name) for name in Network.model_fields}
            network = Network(**(fields | {"onprem_cidrs": merged}))
    elif files:
        network = build_network(files, c, source=str(root), onprem=onprem)
    diagnostics = c.sorted()
    if strict:
        diagnostics = tuple(
            d.model_copy(update={"severity": Severity.ERROR})
            if d.severity is Severity.WARNING
            else d
            for d in diagnostics
        )
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors or network is None:
        n = len(errors)
        raise SnapshotError(
            f"snapshot {root} is not usable: {n} error{'s' if n != 1 else ''}"
            + (" (--strict: warnings count as errors)" if strict else ""),
            diagnostics,
        )
    return LoadResult(network, diagnostics)
