"""Finding and decoding the JSON files of a snapshot.

Input: a path (a folder searched recursively, or one JSON file), or a document already in
memory. Output: `SourceFile`s in a deterministic order (sorted by relative path), each with the
account and region its folders name, and the decoded JSON; unreadable files become diagnostics
(file, line, column). A document in memory is one `SourceFile` named `MEMORY`.

Layout rules (docs/formats.md): a folder named like an AWS account (12 digits) or a region
(`us-east-2`) anywhere below the root sets `account` / `region` for the files under it. A
Batfish-style snapshot (a folder with an `aws_configs` sub-folder) is read from `aws_configs`
only; its other folders (`configs`, `hosts`, `batfish`) hold non-AWS data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
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


def read_files(path: Path, c: Collector) -> list[SourceFile]:
    """Every JSON file of the snapshot at `path`, decoded (unreadable files reported)."""
    if not path.exists():
        c.error("snapshot not found: no such file or folder", Loc(str(path)))
        return []
    if path.is_file():
        data = _decode(path, str(path), c)
        return [] if data is None else [SourceFile(str(path), data)]
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
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        if p.suffix.lower() == ".json":
            found.append((rel.parts, p))
        else:
            skipped.append(rel.as_posix())
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
