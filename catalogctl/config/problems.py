"""Problems found in a catalog: what `validate` prints, and what an invalid catalog raises."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from catalogctl.config.source import Position
from catalogctl.errors import ConfigError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # a fact worth saying (e.g. which variant becomes the default), never a fault


@dataclass(frozen=True)
class Problem:
    """One finding: `file:line:column: severity: message`, with an optional hint line."""

    position: Position | None
    severity: Severity
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.position}: " if self.position is not None else ""
        text = f"{where}{self.severity.value}: {self.message}"
        return text if not self.hint else f"{text}\n    hint: {self.hint}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(position: Position | None, message: str, hint: str | None = None) -> Problem:
    return Problem(position, Severity.ERROR, message, hint)


def warning(position: Position | None, message: str, hint: str | None = None) -> Problem:
    return Problem(position, Severity.WARNING, message, hint)


def note(position: Position | None, message: str, hint: str | None = None) -> Problem:
    return Problem(position, Severity.NOTE, message, hint)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File order, then line and column; problems without a position first."""
    return sorted(problems, key=lambda p: (p.position is not None, p.position or (), p.message))


class InvalidCatalog(ConfigError):
    """The catalog has errors; `problems` holds every one of them (and the warnings)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.is_error]
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        body = "\n".join(str(p) for p in errors)
        super().__init__(f"the catalog has {count}:\n{body}", hint="Run `catalogctl validate` for details.")

