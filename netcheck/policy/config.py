"""The repository's netcheck configuration: default snapshots, rule paths, rule selection and
suppressions.

Input: `.netcheck.toml` (keys at the top level) or `pyproject.toml` (`[tool.netcheck]`),
found in the given folder or the nearest parent that has one. Output: `Config`, with paths
resolved against the config file's folder.

    [tool.netcheck]
    snapshots = ["network/prod"]
    rules = ["policy/"]            # added to the built-in pack (builtin-rules = false to drop it)
    skip = ["NC-008"]

    [[tool.netcheck.suppress]]
    rule = "NC-001"
    resource = "i-0bastion"        # id, Name tag or glob; omitted: every resource
    reason = "bastion; SSH limited to the VPN range by the NACL"
    expires = 2026-12-31           # optional; afterwards the finding is reported again
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netcheck.errors import Diagnostic, RuleError, Severity
from netcheck.policy.result import Suppression

CONFIG_NAMES = (".netcheck.toml", "pyproject.toml")


class Config(BaseModel):
    """netcheck settings of a repository (all optional)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    snapshots: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    builtin_rules: bool = Field(default=True, alias="builtin-rules")
    select: list[str] = Field(default_factory=list)
    skip: list[str] = Field(default_factory=list)
    onprem: list[str] = Field(default_factory=list)
    strict: bool = False
    timeout: int = Field(default=30, gt=0)
    suppress: list[Suppression] = Field(default_factory=list)
    # Where the settings came from (not a setting); paths above are relative to its folder.
    file: str | None = Field(default=None, exclude=True)

    @property
    def root(self) -> Path:
        return Path(self.file).parent if self.file else Path.cwd()

    def snapshot_paths(self) -> list[Path]:
        return [self.root / p for p in self.snapshots]

    def rule_paths(self) -> list[Path]:
        return [self.root / p for p in self.rules]


def _section(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        section = tool.get("netcheck") if isinstance(tool, dict) else None
        return section if isinstance(section, dict) else None
    return data


def _error(file: Path, message: str, field: str | None = None) -> RuleError:
    d = Diagnostic(severity=Severity.ERROR, message=message, file=str(file), path=field)
    return RuleError(f"bad netcheck configuration in {file}", (d,))


def read_config(path: Path) -> Config | None:
    """The settings in one file (None: a pyproject.toml without `[tool.netcheck]`)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise _error(path, f"cannot read: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise _error(path, f"not valid TOML: {e}") from e
    section = _section(path, data)
    if section is None:
        return None
    prefix = "tool.netcheck" if path.name == "pyproject.toml" else ""
    try:
        return Config.model_validate({**section, "file": str(path)})
    except ValidationError as e:
        diags = []
        for err in e.errors():
            field = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "")
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["loc"][-1:] == ("reason",):
                msg += " (every suppression needs a reason)"
            diags.append(
                Diagnostic(severity=Severity.ERROR, message=msg, file=str(path), path=field)
            )
        raise RuleError(f"bad netcheck configuration in {path}", tuple(diags)) from e


def find_config(start: Path | None = None) -> Config:
    """The settings for `start` (default: the current folder): the first `.netcheck.toml`, or
    `pyproject.toml` with `[tool.netcheck]`, in it or a parent. No file: defaults."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                found = read_config(candidate)
                if found is not None:
                    return found
    return Config()
