"""`load_snapshot`: the one entry point of the load stage.

Input: a path (folder of describe-* JSON, one multi-key JSON file, or netcheck JSON) or such a
document in memory, strict mode, user-declared on-prem ranges. Output:
`LoadResult(network, diagnostics)`, or `SnapshotError` carrying every diagnostic when the
snapshot is unusable.

The steps: decode the documents (`files`), pick their format (`formats.FORMATS`), let its
reader build a `Draft`, run the shared `passes.PASSES`, `assemble` the `Network`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from ipaddress import ip_network
from pathlib import Path
from typing import Any

from netcheck.errors import Diagnostic, Severity, SnapshotError
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.draft import assemble
from netcheck.inputs.files import MEMORY, read_sources, report_huge_numbers
from netcheck.inputs.formats import FORMATS, Format, choose_format
from netcheck.inputs.passes import run_passes
from netcheck.inputs.values import net_key
from netcheck.model import IPPrefix, Network


@dataclass(frozen=True)
class LoadResult:
    """A usable network and the warnings and notes found while loading it."""

    network: Network
    diagnostics: tuple[Diagnostic, ...]


def _onprem(cidrs: Sequence[str], c: Collector) -> tuple[IPPrefix, ...]:
    out: list[IPPrefix] = []
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
    source: str | Path | Mapping[str, Any],
    *,
    strict: bool = False,
    onprem_cidrs: Sequence[str] = (),
    formats: Sequence[Format] = FORMATS,
) -> LoadResult:
    """Load a snapshot into a `Network`: a path, or a document in memory (diagnostics then
    name the file `<memory>`).

    >>> result = load_snapshot("fixtures/three-tier")          # doctest: +SKIP
    >>> len(result.network.vpcs), [str(d) for d in result.diagnostics]  # doctest: +SKIP
    >>> load_snapshot({"Vpcs": [...], "Subnets": [...]})          # doctest: +SKIP

    Raises `SnapshotError` (with all diagnostics) when any error was found, or, with
    `strict=True`, any warning.
    """
    root = source if isinstance(source, Mapping) else Path(source)
    with _gc_paused():
        return _load(root, strict=strict, onprem_cidrs=onprem_cidrs, formats=formats)


def _read(
    root: Path | Mapping[str, Any],
    onprem: tuple[IPPrefix, ...],
    c: Collector,
    formats: Sequence[Format],
) -> Network | None:
    chosen = choose_format(read_sources(root, c), c, formats)
    if chosen is None:
        return None
    fmt, files = chosen
    draft = fmt.read(files, c)
    if draft is None:
        return None
    draft.settings.setdefault("source", MEMORY if isinstance(root, Mapping) else str(root))
    if onprem:
        # The user's ranges join the ones the input declares (netcheck JSON keeps its own).
        declared = draft.settings.get("onprem_cidrs", ())
        draft.settings["onprem_cidrs"] = tuple(sorted(set(declared) | set(onprem), key=net_key))
    return assemble(run_passes(draft, c), c)


def _load(
    root: Path | Mapping[str, Any],
    *,
    strict: bool,
    onprem_cidrs: Sequence[str],
    formats: Sequence[Format],
) -> LoadResult:
    c = Collector()
    onprem = _onprem(onprem_cidrs, c)
    try:
        network = _read(root, onprem, c, formats)
    except ValueError:
        # A document in memory may hold a Python int too long to print (files are checked
        # while decoding): name where it is rather than fail with "internal error".
        if not isinstance(root, Mapping) or not report_huge_numbers(MEMORY, root, c):
            raise
        network = None
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
        name = MEMORY if isinstance(root, Mapping) else root
        raise SnapshotError(
            f"snapshot {name} is not usable: {n} error{'s' if n != 1 else ''}"
            + (" (--strict: warnings count as errors)" if strict else ""),
            diagnostics,
        )
    return LoadResult(network, diagnostics)
