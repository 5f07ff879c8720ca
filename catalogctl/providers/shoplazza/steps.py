"""Shoplazza's steps: none. The shop is only read; its facts are preconditions, never changes."""

from __future__ import annotations

from collections.abc import Sequence

from catalogctl.model.resource import ResourceMap
from catalogctl.plan.classify import Item
from catalogctl.plan.model import Step


def build_steps(items: Sequence[Item], desired: ResourceMap, live: ResourceMap) -> list[Step]:
    """No steps: a check-only provider plans preconditions, and there is nothing to carry out."""
    return []
