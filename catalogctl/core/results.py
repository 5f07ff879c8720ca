"""What one executed step reports back to the applier and the state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from catalogctl.core.live import Facts
from catalogctl.model.address import Address


@dataclass(frozen=True)
class StepResult:
    """What an executed action tells the applier and the state."""

    ids: Mapping[Address, str] = field(default_factory=dict)
    facts: Facts = field(default_factory=dict)
    requests: int = 0
