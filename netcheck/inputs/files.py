"""Finding and decoding the JSON files of a snapshot.

Input: a path (a folder searched recursively, or one JSON file), or a document already in
memory. Output: `SourceFile`s in a deterministic order (sorted by relative path), each with the
account and region its folders name, and the decoded JSON; unreadable files become diagnostics
(file, line, column). A document in memory is one `SourceFile` named `MEMORY`.

Layout rules (docs/formats.md): a folder named like an AWS account (12 digits) or a region
(`us-east-2`) anywhere below the root sets `account` / `region` for the files under it. A
Batfish-style snapshot (a folder with an `aws_configs` sub-folder) is read from `aws_configs`
only; its other folders (`configs`, `hosts`, `batfish`) hold non-AWS data.

Only regular files (or symbolic links to them) are read; hidden entries (`.git`) are ignored.
Anything else below the root — a FIFO, a device, a socket, a symbolic link loop, a broken link,
a link to a folder (not followed) — is skipped with a warning naming it; nothing is opened
before it is known to be a regular file, so a FIFO never blocks the load. An integer literal
too long for Python to read (over 4,300 digits) is an error naming its JSON path.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netcheck.inputs.diagnostics import Collector, Loc

ACCOUNT_RE = re.compile(r"^\d{12}$")
REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
BATFISH_AWS_DIR = "aws_configs"
# The file name diagnostics give a document passed in memory.
MEMORY = "<memory>"


@dataclass(frozen=True)
class SourceFile:
    """One decoded JSON file of a snapshot."""

    name: str  # the file as shown in messages (the user's path joined with the relative path)
    data: Any
    account: str | None = None
    region: str | None = None

    @property
    def loc(self) -> Loc:
        return Loc(self.name)


def _layout(rel_parts: tuple[str, ...]) -> tuple[str | None, str | None]:
    account = region = None
    for part in rel_parts:
        if ACCOUNT_RE.match(part):
            account = part
        elif REGION_RE.match(part):
            region = part
    return account, region


class _HugeInt:
    """Stands in for an integer literal too long for `int()` while a file is decoded again
    to find where it is."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _int_or_huge(text: str) -> int | _HugeInt:
    limit = sys.get_int_max_str_digits()
    digits = len(text.lstrip("-"))
    return _HugeInt(digits) if limit and digits > limit else int(text)


def _digits(number: int) -> int:
    """Decimal digits of `number`, from its bit length (`str()` refuses the long ones); may
    be one more than the exact count."""
    return int(abs(number).bit_length() * 0.30103) + 1


def huge_numbers(data: Any, path: str = "$") -> Iterator[tuple[str, int]]:
    """JSON path and digit count of every integer too long to read, in a document decoded
    with `parse_int=_int_or_huge` or built in memory (Python ints of more than the digits
    `int()` converts)."""
    stack: list[tuple[str, Any]] = [(path, data)]
    limit = sys.get_int_max_str_digits()
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((f"{where}.{k}", v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((f"{where}[{i}]", v) for i, v in reversed(list(enumerate(node))))
        elif isinstance(node, _HugeInt):
            yield where, node.digits
        elif isinstance(node, int) and limit and _digits(node) > limit:
            yield where, _digits(node)


def report_huge_numbers(name: str, data: Any, c: Collector) -> bool:
    """An error per integer too long to read in `data`; whether there was one."""
    found = False
    for where, digits in huge_numbers(data):
        found = True
        c.error(
            f"integer of {digits} digits: too long to be a value AWS prints (netcheck reads "
            f"integers of at most {sys.get_int_max_str_digits()} digits)",
            Loc(name, where),
        )
    return found


def _decode(path: Path, name: str, c: Collector) -> Any:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        c.error(f"cannot read file: {exc.strerror or exc}", Loc(name))
        return None
    except UnicodeDecodeError as exc:
        c.error(f"not UTF-8 text (byte {exc.start})", Loc(name))
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        c.error(f"malformed JSON: {exc.msg}", Loc(name), line=exc.lineno, column=exc.colno)
        return None
    except RecursionError:
        c.error("malformed JSON: nested too deeply", Loc(name))
        return None
    except ValueError:
        # Python refuses to convert integer literals longer than `sys.get_int_max_str_digits()`
        # (4,300 by default) and the error has no position: decode again, keeping such
        # literals as markers, to name their JSON paths. Costs nothing on the usual path.
        if not report_huge_numbers(name, json.loads(text, parse_int=_int_or_huge), c):
            raise
        return None


# What `os.stat` says a path is, for entries that are neither regular files nor folders.
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _special_kind(mode: int) -> str:
    return next((kind for test, kind in _SPECIAL_KINDS if test(mode)), "not a regular file")


def _link_problem(entry: os.DirEntry[str]) -> str:
    """Why a symbolic link is skipped; "" when it names a regular file (read like one)."""
    target = os.readlink(entry.path)
    try:
        st = os.stat(entry.path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"symbolic link loop ({entry.name} -> {target}) skipped"
        if exc.errno == errno.ENOENT:
            return f"broken symbolic link ({entry.name} -> {target}) skipped"
        return f"symbolic link {entry.name} -> {target} skipped: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        real = Path(os.path.realpath(entry.path))
        here = Path(os.path.realpath(os.path.dirname(entry.path)))
        if real == here or real in here.parents:
            return f"symbolic link loop ({entry.name} -> {target}, a folder that holds it) skipped"
        return (
            f"symbolic link to a folder ({entry.name} -> {target}) not followed: copy the "
            "folder into the snapshot or load it on its own"
        )
    if not stat.S_ISREG(st.st_mode):
        return f"{entry.name} -> {target} is {_special_kind(st.st_mode)}: skipped"
    return ""


def _walk(
    folder: Path, rel: tuple[str, ...], c: Collector
) -> Iterator[tuple[tuple[str, ...], Path]]:
    """Every regular file (or link to one) below `folder`, in name order; hidden entries are
    ignored; anything else that cannot be read as a file is a warning naming it. Never opens
    a FIFO or a device (opening a FIFO would wait for a writer forever)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        c.warning(f"folder skipped: cannot list it ({exc.strerror or exc})", Loc(str(folder)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        parts = (*rel, entry.name)
        where = Loc(str(folder / entry.name))
        try:
            if entry.is_symlink():
                problem = _link_problem(entry)
                if problem:
                    c.warning(problem, where)
                    continue
                yield parts, Path(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path), parts, c)
            elif entry.is_file(follow_symlinks=False):
                yield parts, Path(entry.path)
            else:
                kind = _special_kind(entry.stat(follow_symlinks=False).st_mode)
                c.warning(f"skipped: {kind}, not a regular file", where)
        except OSError as exc:
            c.warning(f"skipped: {exc.strerror or exc}", where)


def read_files(path: Path, c: Collector) -> list[SourceFile]:
    """Every JSON file of the snapshot at `path`, decoded (unreadable files reported)."""
    try:
        st = path.stat()
    except OSError as exc:
        if os.path.islink(path):
            c.error(
                f"snapshot not readable: {exc.strerror or exc} (a symbolic link)", Loc(str(path))
            )
        else:
            c.error("snapshot not found: no such file or folder", Loc(str(path)))
        return []
    if stat.S_ISREG(st.st_mode):
        data = _decode(path, str(path), c)
        return [] if data is None else [SourceFile(str(path), data)]
    if not stat.S_ISDIR(st.st_mode):
        c.error(f"snapshot is {_special_kind(st.st_mode)}, not a file or folder", Loc(str(path)))
        return []
    root = path
    if (path / BATFISH_AWS_DIR).is_dir():
        root = path / BATFISH_AWS_DIR
        others = sorted(p.name for p in path.iterdir() if p.name != BATFISH_AWS_DIR)
        if others:
            c.note(
                f"Batfish-style snapshot: only {BATFISH_AWS_DIR}/ is read; skipped "
                + ", ".join(others),
                Loc(str(path)),
            )
    found: list[tuple[tuple[str, ...], Path]] = []
    skipped: list[str] = []
    for parts, p in _walk(root, (), c):
        if p.suffix.lower() == ".json":
            found.append((parts, p))
        else:
            skipped.append("/".join(parts))
    if skipped:
        shown = ", ".join(sorted(skipped)[:5]) + (", …" if len(skipped) > 5 else "")
        c.note(f"{len(skipped)} non-JSON file(s) skipped: {shown}", Loc(str(root)))
    if not found:
        c.error("no JSON files found in the snapshot folder", Loc(str(path)))
        return []
    out = []
    for parts, p in sorted(found):
        name = str(root.joinpath(*parts))
        data = _decode(p, name, c)
        if data is not None:
            account, region = _layout(parts[:-1])
            out.append(SourceFile(name, data, account, region))
    return out


def read_sources(source: Path | Mapping[str, Any], c: Collector) -> list[SourceFile]:
    """The documents of a snapshot: the files at a path, or one document in memory (a dict
    of describe-* keys, or netcheck JSON) as a collector would hand it over."""
    if isinstance(source, Mapping):
        return [SourceFile(MEMORY, dict(source))]
    return read_files(source, c)
