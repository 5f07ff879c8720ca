"""The exception tree. Every error a user can cause is a CatalogError with a readable message."""

from __future__ import annotations


class CatalogError(Exception):
    """Base of every user-facing error; the CLI prints `message` and exits 1."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class ConfigError(CatalogError):
    """The catalog or catalogctl.yaml cannot be used as written."""


class TargetError(CatalogError):
    """A target is missing, misconfigured, or its credentials are absent."""


class PlanError(CatalogError):
    """A plan cannot be built, read, or applied as asked."""


class StateError(CatalogError):
    """The state file is locked, unreadable, or inconsistent."""


class InternalError(CatalogError):
    """A bug in catalogctl (a cycle in the DAG, an unhandled action): please report it."""
