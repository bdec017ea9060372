"""The input formats netcheck reads, as an explicit registry.

Input: the decoded documents of a snapshot (`SourceFile`s). Output: the `Format` that reads
them (and the files it reads), or diagnostics when they cannot be read together.

`FORMATS` lists every format in the order they are tried: a file belongs to the first one
whose `detect` accepts its decoded JSON. The AWS describe-* reader comes last and accepts any
other document: it reports the files it cannot use itself (with better messages than a bare
"unknown format"). A later Terraform plan or live-collection format goes before it.

    >>> from netcheck.inputs.files import SourceFile
    >>> c = Collector()
    >>> fmt, files = choose_format([SourceFile("<memory>", {"Vpcs": []})], c)
    >>> fmt.name
    'AWS describe-* JSON'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from netcheck.inputs.aws.build import read_describe_json
from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import Draft
from netcheck.inputs.files import SourceFile
from netcheck.inputs.native import is_native, read_native


@dataclass(frozen=True)
class Format:
    """One input format: `detect` tells its decoded documents apart, `read` turns the files
    of a snapshot into a `Draft` (or None when nothing usable was read). `alone`: a snapshot
    in this format is exactly one file."""

    name: str
    detect: Callable[[Any], bool]
    read: Callable[[list[SourceFile], Collector], Draft | None]
    alone: bool = False


def _any_document(data: Any) -> bool:
    return True


NETCHECK_JSON = Format("netcheck JSON", is_native, read_native, alone=True)
AWS_DESCRIBE_JSON = Format("AWS describe-* JSON", _any_document, read_describe_json)

FORMATS: tuple[Format, ...] = (NETCHECK_JSON, AWS_DESCRIBE_JSON)


def detect_format(data: Any, formats: Sequence[Format] = FORMATS) -> Format | None:
    """The first format that accepts a decoded document, if any."""
    return next((f for f in formats if f.detect(data)), None)


def choose_format(
    files: Sequence[SourceFile], c: Collector, formats: Sequence[Format] = FORMATS
) -> tuple[Format, list[SourceFile]] | None:
    """The one format every file of the snapshot is in, and those files; None (with errors)
    when a file is in no known format, a one-file format comes with other files, or files
    of two formats are mixed."""
    found = [(f, detect_format(f.data, formats)) for f in files]
    lonely = [(f, fmt) for f, fmt in found if fmt is not None and fmt.alone]
    if lonely and len(files) > 1:
        for f, alone in lonely:
            c.error(f"{alone.name} cannot be mixed with other files; load it on its own", f.loc)
        return None
    names = ", ".join(fmt.name for fmt in formats)
    for f, maybe in found:
        if maybe is None:
            c.error(f"not in any input format netcheck reads ({names})", f.loc)
    kinds = list(dict.fromkeys(fmt for _, fmt in found if fmt is not None))
    if len(kinds) > 1:
        for f, other in found:
            if other is not None and other is not kinds[0]:
                c.error(f"{other.name} cannot be mixed with {kinds[0].name} files", f.loc)
        return None
    if not kinds:
        return None
    return kinds[0], [f for f, fmt in found if fmt is kinds[0]]
