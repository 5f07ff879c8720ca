"""The providers catalogctl knows: one line per provider package (docs/providers.md).

Each package exposes `PROVIDER`, a ProviderSpec: its settings model (one member of the
`provider:` tagged union in catalogctl.yaml), capabilities, step builder, factory and sandbox.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from catalogctl.errors import TargetError
from catalogctl.providers.base import ProviderSpec

PACKAGES: tuple[str, ...] = (
    "catalogctl.providers.groovekart",
    "catalogctl.providers.shoprocket",
    "catalogctl.providers.shoplazza",
)
"""Adding a provider: its package here, one line."""

DEFAULT = "groovekart"
"""The provider of the embedded target (no catalogctl.yaml)."""


@cache
def providers() -> dict[str, ProviderSpec]:
    """Every provider by its `provider:` value, aliases included."""
    found: dict[str, ProviderSpec] = {}
    for package in PACKAGES:
        spec: ProviderSpec = import_module(package).PROVIDER
        for name in (spec.name, *spec.aliases):
            if name in found:
                raise AssertionError(f"two providers are called {name!r}")
            found[name] = spec
    return found


def get_provider(name: str) -> ProviderSpec:
    """The provider called `name` (or one of its aliases); TargetError listing the known ones."""
    known = providers()
    if name not in known:
        raise TargetError(f"unknown provider {name!r} (known: {', '.join(sorted(known))})")
    return known[name]
